# RocketMQ-Swift — Apache License 2.0
"""Delay levels, consumer retry (RECONSUME_LATER) and client-side body compression."""

import threading
import time

import pytest

from rmq_helpers import CONSUME_SUCCESS, RECONSUME_LATER, SendStatus, unique_name

# Upstream default messageDelayLevel: "1s 5s 10s 30s 1m ...".
DELAY_SECONDS = {1: 1.0, 2: 5.0, 3: 10.0}
MAX_LATENESS = 1.5
CLOCK_SLACK = 0.02   # store/born timestamps are whole milliseconds


@pytest.mark.parametrize("level", [1, 2, 3])
def test_delay_levels(clients, level):
    topic = unique_name("DelayTopic")
    producer = clients.producer()
    producer.ensure_topic(topic)
    consumer = clients.consumer(topic)

    before = time.time()
    result = producer.send_sync(topic, "delayed-%d" % level, delay_level=level)
    assert result.status == SendStatus.OK
    delay = DELAY_SECONDS[level]
    messages = consumer.collector.wait_for_ids([result.msg_id], delay + 30)
    [m] = [m for m in messages if m.msg_id == result.msg_id]
    due = m.born_timestamp / 1000.0 + delay
    assert m.received_at >= before + delay - CLOCK_SLACK, "delivered %.3fs early" % (before + delay - m.received_at)
    assert m.received_at <= due + MAX_LATENESS, "delivered %.3fs late" % (m.received_at - due)
    assert m.body == b"delayed-%d" % level


def test_reconsume_later_redelivers(clients):
    topic = unique_name("RetryTopic")
    producer = clients.producer()
    producer.ensure_topic(topic)
    attempts = []
    lock = threading.Lock()

    def listener(message):
        with lock:
            attempts.append(message)
            first = len([a for a in attempts if a.body == message.body]) == 1
        return RECONSUME_LATER if first else CONSUME_SUCCESS

    consumer = clients.consumer(topic, listener=listener)
    result = producer.send_sync(topic, b"retry me", keys="retry-key")
    assert result.status == SendStatus.OK
    # First retry uses delay level 3 (10 s) upstream; allow for it plus scheduling.
    messages = consumer.collector.wait_until(
        lambda ms: any(m.body == b"retry me" and m.reconsume_times >= 1 for m in ms), 60,
        "a redelivery with reconsume_times >= 1")
    retried = [m for m in messages if m.body == b"retry me"]
    assert retried[0].reconsume_times == 0
    again = [m for m in retried if m.reconsume_times >= 1][0]
    assert again.keys == "retry-key"
    assert again.msg_id == result.msg_id  # the client reports UNIQ_KEY, which survives the retry
    assert not consumer.errors


def test_client_compressed_body_round_trips(clients):
    topic = unique_name("CompressTopic")
    producer = clients.producer(compress_level=5, compress_over=4096)
    producer.ensure_topic(topic)
    body = b"".join(b"RocketMQ-compressible-%06d;" % (i % 500) for i in range(65536 // 28 + 1))[:65536]
    assert len(body) == 65536
    result = producer.send_sync(topic, body)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic)
    messages = consumer.collector.wait_for_ids([result.msg_id], 60)
    [m] = [m for m in messages if m.msg_id == result.msg_id]
    assert m.body == body
    # The broker stored what the producer sent: the zlib-compressed body (sysflag bit 0).
    assert m.store_size < len(body) // 4, "stored %d bytes for a 64 KiB compressible body" % m.store_size


def test_lz4_at_rest_reaches_cpp_client_as_plain_bytes(cluster_factory, client_factory):
    """A broker storing large bodies LZ4-compressed (compressionAtRest=lz4) still serves the 4.x C++
    client, which only knows zlib, a body it can read: the compression plugin re-serves it plain."""
    c = cluster_factory(broker_extra={"compressionAtRest": "lz4", "compressionAtRestThreshold": "1024"})
    clients = client_factory(c.namesrv_addr)
    topic = unique_name("Lz4AtRestTopic")
    producer = clients.producer(compress_over=10 * 1024 * 1024)  # the client itself does not compress
    producer.ensure_topic(topic)
    body = b"".join(b"at-rest-lz4-%06d|" % (i % 300) for i in range(8192 // 18 + 1))[:8192]
    result = producer.send_sync(topic, body)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic)
    messages = consumer.collector.wait_for_ids([result.msg_id], 60)
    [m] = [m for m in messages if m.msg_id == result.msg_id]
    assert m.body == body
    # And the broker really stored it compressed: the record's SYSFLAG carries the LZ4 bits (0x101).
    import glob
    import struct
    [segment] = sorted(glob.glob(str(c.broker.store_dir) + "/commitlog/*"))[:1]
    data = open(segment, "rb").read()
    found = False
    pos = 0
    while pos + 40 <= len(data):
        size, magic = struct.unpack(">ii", data[pos:pos + 8])
        if size <= 0 or magic not in (-626843481,):
            break
        sysflag = struct.unpack(">i", data[pos + 36:pos + 40])[0]
        if sysflag & 0x701 == 0x101 and size < len(body):
            found = True
        pos += size
    assert found, "no LZ4-compressed record in the commit log"
