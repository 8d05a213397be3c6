# RocketMQ-Swift — Apache License 2.0
"""A real network partition between a SYNC_MASTER and its slave.

Name server, master, slave and the official C++ client each run as a separate host in its own network
namespace (veth pairs on a bridge in a fifth namespace; addresses 10.201.<run>.x exist only inside
them). The path between master and slave is cut (blackhole routes on both hosts; clients and the name
server still reach both) and healed: while cut, no send is acknowledged as SEND_OK (first
FLUSH_SLAVE_TIMEOUT, then SLAVE_NOT_AVAILABLE once the master dropped the dead link); after the heal the
slave reconnects, sends are SEND_OK again and both commit logs are byte-identical. Needs root and
iproute2; everything it made is removed at the end."""

import shutil
import tempfile
from pathlib import Path

from conftest import binary, write_properties
from netns import Host, Net, needs_netns, send

pytestmark = needs_netns


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
