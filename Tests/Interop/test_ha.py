# RocketMQ-Swift — Apache License 2.0
"""Master/slave replication seen by the official C++ client: a SYNC_MASTER acknowledges only what its
slave holds, and after the master is killed (SIGKILL) a consumer reads every acknowledged message from
the slave and commits its offsets there."""

import json
import shutil
import time

from conftest import Broker, Namesrv, _new_root
from rmq_helpers import SendStatus, unique_name

WAIT = 60.0


def _pair(root):
    namesrv = Namesrv.launch(root / "namesrv")
    common = {"brokerClusterName": "HACluster", "brokerIP2": "127.0.0.1", "mapedFileSizeCommitLog": 4 * 1024 * 1024}
    master = Broker.launch(root / "master", namesrv, broker_name="ha-broker",
                           extra=dict(common, brokerRole="SYNC_MASTER", brokerId=0))
    slave = Broker.launch(root / "slave", namesrv, broker_name="ha-broker",
                          extra=dict(common, brokerRole="SLAVE", brokerId=1))
    return namesrv, master, slave


def test_slave_serves_every_acknowledged_message_after_master_kill9(client_factory):
    namesrv, master, slave = _pair(_new_root("ha"))
    try:
        clients = client_factory(namesrv.address)
        producer = clients.producer()
        topic = unique_name("HATopic")
        # The first sends create the topic and may answer SLAVE_NOT_AVAILABLE until the slave is linked.
        deadline = time.monotonic() + WAIT
        warmups = 1
        while producer.send_sync(topic, "warmup").status != SendStatus.OK:
            warmups += 1
            assert time.monotonic() < deadline, "SYNC_MASTER never answered SEND_OK with a slave attached"
            time.sleep(0.2)
        acked = []
        for i in range(200):
            r = producer.send_sync(topic, "ha-%d" % i)
            assert r.status == SendStatus.OK, "send %d: %s" % (i, r.status)
            acked.append(r.msg_id)

        master.kill9()

        # A consumer started now finds only the slave in the route and consumes everything from it.
        consumer = clients.consumer(topic)
        got = consumer.collector.wait_for_bodies([b"ha-%d" % i for i in range(200)], WAIT)
        assert {b"ha-%d" % i for i in range(200)} <= {m.body for m in got}
        group = consumer.group
        consumer.shutdown()  # persists its offsets, to the slave (the master is gone)

        slave.stop()
        offsets = json.loads((slave.store_dir / "config" / "consumerOffset.json").read_text())["offsetTable"]
        mine = offsets.get("%s@%s" % (topic, group), {})
        assert sum(int(v) for v in mine.values()) == warmups + 200, offsets
    finally:
        for server in (slave, master, namesrv):
            server.stop()
        for server in (slave, master):
            shutil.rmtree(server.store_dir, ignore_errors=True)  # reserved blocks: see cluster_factory
