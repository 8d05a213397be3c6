# RocketMQ-Swift — Apache License 2.0
"""Hosts in network namespaces for multi-host tests: name server, brokers and the official C++ client
each run as a separate host (veth pairs on a bridge in a namespace of its own; addresses 10.201.<run>.x
exist only inside them). Needs root and iproute2; `Net.down` removes everything `Net.up` made."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
HOSTS = {"n": 2, "m": 3, "s": 4, "c": 5}

needs_netns = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
                                 reason="network namespaces need root and iproute2")


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, timeout=30)


class Net:
    def __init__(self):
        self.tag = "%d" % (os.getpid() % 10000)
        self.subnet = "10.201.%d" % (os.getpid() % 250)
        self.bridge_ns = "rmqbr%s" % self.tag

    def ns(self, host):
        return "rmq%s%s" % (host, self.tag)

    def ip(self, host):
        return "%s.%d" % (self.subnet, HOSTS[host])

    def up(self):
        sh("ip", "netns", "add", self.bridge_ns)
        sh("ip", "-n", self.bridge_ns, "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", self.bridge_ns, "link", "set", "br0", "up")
        for host in HOSTS:
            ns = self.ns(host)
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p" + host,
               "netns", self.bridge_ns)
            sh("ip", "-n", self.bridge_ns, "link", "set", "p" + host, "master", "br0")
            sh("ip", "-n", self.bridge_ns, "link", "set", "p" + host, "up")
            sh("ip", "-n", ns, "addr", "add", self.ip(host) + "/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")

    def cut(self, a, b):
        """Partitions hosts a and b from each other (each drops what it would send to the other);
        both stay reachable for everyone else."""
        sh("ip", "-n", self.ns(a), "route", "add", "blackhole", self.ip(b) + "/32")
        sh("ip", "-n", self.ns(b), "route", "add", "blackhole", self.ip(a) + "/32")

    def heal(self, a, b):
        sh("ip", "-n", self.ns(a), "route", "del", "blackhole", self.ip(b) + "/32")
        sh("ip", "-n", self.ns(b), "route", "del", "blackhole", self.ip(a) + "/32")

    def down(self):
        for host in HOSTS:
            sh("ip", "netns", "del", self.ns(host), check=False)
        sh("ip", "netns", "del", self.bridge_ns, check=False)


class Host:
    """A server process on one namespaced host."""

    def __init__(self, net, host, name, args, workdir, marker, cwd=None, env=None):
        self.log = workdir / (name + ".out")
        env = env or dict(os.environ, ROCKETMQ_LOG_DIR=str(workdir / "logs"), HOME=str(workdir))
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(["ip", "netns", "exec", net.ns(host)] + args, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                         start_new_session=True, cwd=cwd)
        deadline = time.monotonic() + 30
        while marker not in self.log.read_text(errors="replace"):
            assert self.proc.poll() is None, "%s exited:\n%s" % (name, self.log.read_text(errors="replace"))
            assert time.monotonic() < deadline, "%s did not boot:\n%s" % (name, self.log.read_text())
            time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=15)


def send(net, workdir, topic, prefix, count, until_ok=None):
    cmd = ["ip", "netns", "exec", net.ns("c"), sys.executable, str(HERE / "ha_send.py"),
           net.ip("n") + ":9876", topic, prefix, str(count)]
    if until_ok:
        cmd += ["--until-ok", str(until_ok)]
    env = dict(os.environ, HOME=str(workdir / "client"), PYTHONPATH=str(HERE))
    (workdir / "client").mkdir(exist_ok=True)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env).stdout
    rows = [line.split() for line in out.splitlines() if line and line[0].isdigit()]
    if until_ok:
        assert any(line.startswith("warmup ") for line in out.splitlines()), out
    return [(int(r[0]), r[1]) for r in rows]
