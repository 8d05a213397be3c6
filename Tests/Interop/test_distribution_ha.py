# RocketMQ-Swift — Apache License 2.0
"""The zip's master/slave samples, as the seeds run them: `sh bin/mqbroker -c conf/2m-2s-sync/broker-a.properties`
on one host and `sh bin/mqbroker -c conf/2m-2s-sync/broker-a-s.properties` on another (the samples leave the
port at 10911, so master and slave need hosts of their own: network namespaces here). The slave learns its
master from the name server, the official C++ client's sends are acknowledged, `mqadmin clusterList` shows
both brokers, and the slave's commit log is the master's, byte for byte. Same for conf/2m-2s-async."""

import filecmp
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from netns import Host, Net, needs_netns, send

pytestmark = needs_netns
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def home_dir():
    built = subprocess.run(["bash", str(REPO / "distribution" / "build.sh"), os.environ.get("RMQ_DIST_MODE", "--debug")],
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stderr + built.stdout
    zip_path = Path(built.stdout.strip().splitlines()[-1])
    work = Path(tempfile.mkdtemp(prefix="rmq-dist-ha-"))
    subprocess.run(["unzip", "-q", str(zip_path)], cwd=work, check=True)
    [home] = [p for p in work.iterdir() if p.name.startswith("rocketmq-swift-")]
    yield home
    shutil.rmtree(work, ignore_errors=True)


def _commitlogs_equal(m_home, s_home):
    m_dir, s_dir = m_home / "store" / "commitlog", s_home / "store" / "commitlog"
    names = sorted(p.name for p in m_dir.iterdir())
    if not names or names != sorted(p.name for p in s_dir.iterdir()):
        return False
    return all(filecmp.cmp(m_dir / n, s_dir / n, shallow=False) for n in names)


@pytest.mark.parametrize("sample", ["2m-2s-sync", "2m-2s-async"])
def test_sample_master_and_slave_replicate(home_dir, sample):
    net = Net()
    workdir = Path(tempfile.mkdtemp(prefix="rmq-sample-"))
    hosts = []

    def server(host, name, args, marker):
        user_home = workdir / host
        user_home.mkdir(exist_ok=True)
        env = dict(os.environ, HOME=str(user_home))
        for key in ("ROCKETMQ_LOG_DIR", "ROCKETMQ_PID_DIR", "NAMESRV_ADDR", "ROCKETMQ_HOME"):
            env.pop(key, None)
        hosts.append(Host(net, host, name, ["sh"] + args, workdir, marker, cwd=home_dir, env=env))

    try:
        net.up()
        namesrv = net.ip("n") + ":9876"
        server("n", "namesrv", ["bin/mqnamesrv"], "boot success")
        server("m", "master", ["bin/mqbroker", "-n", namesrv, "-c", "conf/%s/broker-a.properties" % sample], "boot success")
        server("s", "slave", ["bin/mqbroker", "-n", namesrv, "-c", "conf/%s/broker-a-s.properties" % sample],
               "boot success")

        sent = send(net, workdir, "SampleTopic", sample, 100, until_ok=60)
        assert [s for _, s in sent] == ["OK"] * 100

        listing = subprocess.run(["ip", "netns", "exec", net.ns("c"), "sh", "bin/mqadmin", "clusterList", "-n", namesrv],
                                 cwd=home_dir, capture_output=True, text=True, timeout=60)
        assert listing.returncode == 0, listing.stderr
        rows = [line.split() for line in listing.stdout.splitlines() if "broker-a" in line]
        assert sorted((r[1], r[2], r[3]) for r in rows) == [
            ("broker-a", "0", net.ip("m") + ":10911"), ("broker-a", "1", net.ip("s") + ":10911")], listing.stdout

        slave_log = (workdir / "s" / "logs" / "rocketmqlogs" / "broker.log").read_text(errors="replace")
        assert "HAClient connected to master" in slave_log and net.ip("m") + ":10912" in slave_log, slave_log[-2000:]
        if sample.endswith("-sync"):
            # SYNC_MASTER acknowledged only what the slave holds: stopped now, the logs must already match.
            for h in hosts[1:]:
                h.stop()
            assert _commitlogs_equal(workdir / "m", workdir / "s"), "slave's commit log differs from the master's"
        else:
            deadline = time.monotonic() + 30
            while not _commitlogs_equal(workdir / "m", workdir / "s"):
                assert time.monotonic() < deadline, "slave's commit log did not converge to the master's"
                time.sleep(0.5)
    finally:
        for h in reversed(hosts):
            h.stop()
        net.down()
        shutil.rmtree(workdir, ignore_errors=True)
