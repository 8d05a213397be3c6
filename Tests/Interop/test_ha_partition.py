# RocketMQ-Swift — Apache License 2.0
"""A real network partition between a SYNC_MASTER and its slave.

Name server, master, slave and the official C++ client each run as a separate host in its own network
namespace (veth pairs on a bridge in a fifth namespace; addresses 10.201.<run>.x exist only inside
them). The path between master and slave is cut (blackhole routes on both hosts; clients and the name
server still reach both) and healed: while cut, no send is acknowledged as SEND_OK (first
FLUSH_SLAVE_TIMEOUT, then SLAVE_NOT_AVAILABLE once the master dropped the dead link); after the heal the
slave reconnects, sends are SEND_OK again and both commit logs are byte-identical. Needs root and
iproute2; everything it made is removed at the end."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import binary, write_properties

HERE = Path(__file__).resolve().parent
HOSTS = {"n": 2, "m": 3, "s": 4, "c": 5}

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("ip") is None,
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

    def __init__(self, net, host, name, args, workdir, marker):
        self.log = workdir / (name + ".out")
        env = dict(os.environ, ROCKETMQ_LOG_DIR=str(workdir / "logs"), HOME=str(workdir))
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(["ip", "netns", "exec", net.ns(host)] + args, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                         start_new_session=True)
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


def broker_conf(net, workdir, host, role, broker_id):
    store = workdir / host / "store"
    store.mkdir(parents=True)
    return write_properties(workdir / host / "broker.conf", {
        "brokerClusterName": "NetnsCluster", "brokerName": "broker-p", "brokerId": broker_id,
        "brokerRole": role, "brokerIP1": net.ip(host), "brokerIP2": net.ip(host),
        "namesrvAddr": net.ip("n") + ":9876", "listenPort": 10911, "storePathRootDir": store,
        "mapedFileSizeCommitLog": 4 * 1024 * 1024, "syncFlushTimeout": 1000,
        "haHousekeepingInterval": 3000, "haSendHeartbeatInterval": 1000,
    }), store


def test_partition_between_sync_master_and_slave():
    net = Net()
    workdir = Path(tempfile.mkdtemp(prefix="rmq-netns-"))
    hosts = []
    try:
        net.up()
        ns_conf = write_properties(workdir / "namesrv.conf", {"listenPort": 9876})
        hosts.append(Host(net, "n", "namesrv", [str(binary("mqnamesrv")), "-c", str(ns_conf)], workdir, "boot success"))
        m_conf, m_store = broker_conf(net, workdir, "m", "SYNC_MASTER", 0)
        hosts.append(Host(net, "m", "master", [str(binary("mqbroker")), "-c", str(m_conf)], workdir, "boot success"))
        s_conf, s_store = broker_conf(net, workdir, "s", "SLAVE", 1)
        hosts.append(Host(net, "s", "slave", [str(binary("mqbroker")), "-c", str(s_conf)], workdir, "boot success"))
        topic = "PartitionTopic"

        before = send(net, workdir, topic, "before", 30, until_ok=60)
        assert [s for _, s in before] == ["OK"] * 30

        net.cut("m", "s")
        during = send(net, workdir, topic, "during", 8)
        statuses = [s for _, s in during]
        assert "OK" not in statuses, statuses
        assert statuses[0] == "FLUSH_SLAVE_TIMEOUT", statuses
        assert statuses[-1] == "SLAVE_NOT_AVAILABLE", statuses

        net.heal("m", "s")
        after = send(net, workdir, topic, "after", 30, until_ok=60)
        assert [s for _, s in after] == ["OK"] * 30

        # The slave converged: its log is the master's, byte for byte.
        for h in hosts[1:]:
            h.stop()
        m_files = sorted(p.name for p in (m_store / "commitlog").iterdir())
        s_files = sorted(p.name for p in (s_store / "commitlog").iterdir())
        assert m_files == s_files
        for name in m_files:
            assert (m_store / "commitlog" / name).read_bytes() == (s_store / "commitlog" / name).read_bytes(), name
    finally:
        for h in reversed(hosts):
            h.stop()
        net.down()
        shutil.rmtree(workdir, ignore_errors=True)
