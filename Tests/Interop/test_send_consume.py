# RocketMQ-Swift — Apache License 2.0
"""Send and consume through OUR broker with the official C++ client."""

import time
from collections import defaultdict

from rmq_helpers import MessageModel, SendStatus, unique_name

WAIT = 60.0                 # deadline for deliveries
REDELIVERY_BOUND = 8        # consumed messages a restarted consumer may see again (at-least-once slack)


def _assert_ok(results):
    bad = [r for r in results if r.status != SendStatus.OK]
    assert not bad, "non-OK send results: %r" % bad


def _new_topic(clients, prefix="Topic"):
    topic = unique_name(prefix)
    producer = clients.producer()
    producer.ensure_topic(topic)
    return topic, producer


def test_sync_send_and_consume(clients):
    topic, producer = _new_topic(clients)
    results = [producer.send_sync(topic, "sync-%d" % i) for i in range(20)]
    _assert_ok(results)
    assert len({r.msg_id for r in results}) == 20
    consumer = clients.consumer(topic)
    consumer.collector.wait_for_ids([r.msg_id for r in results], WAIT)
    got = {m.body for m in consumer.messages}
    assert got == {b"sync-%d" % i for i in range(20)}
    assert all(m.topic == topic for m in consumer.messages)


def test_async_send(clients):
    topic, producer = _new_topic(clients)
    consumer = clients.consumer(topic)
    pending = [producer.send_async(topic, "async-%d" % i) for i in range(20)]
    results = [p.wait(WAIT) for p in pending]
    _assert_ok(results)
    consumer.collector.wait_for_ids([r.msg_id for r in results], WAIT)


def test_oneway_send(clients):
    topic, producer = _new_topic(clients)
    consumer = clients.consumer(topic)
    bodies = [b"oneway-%d" % i for i in range(20)]
    for body in bodies:
        producer.send_oneway(topic, body)
    consumer.collector.wait_for_bodies(bodies, WAIT)


def test_orderly_send_and_orderly_consume(clients):
    topic, producer = _new_topic(clients, "OrderTopic")
    keys = ["order-%d" % k for k in range(6)]
    per_key = 15
    consumer = clients.consumer(topic, orderly=True)
    queue_of = defaultdict(set)
    for seq in range(per_key):
        for index, key in enumerate(keys):
            result = producer.send_orderly(topic, "%s:%d" % (key, seq), shard_key=index, keys=key)
            assert result.status == SendStatus.OK
    messages = consumer.collector.wait_for_count(len(keys) * per_key, WAIT)
    sequences = defaultdict(list)
    for m in messages:
        key, seq = m.body.decode().split(":")
        sequences[key].append(int(seq))
        queue_of[key].add(m.queue_id)
    for key in keys:
        assert sequences[key] == list(range(per_key)), "key %s consumed out of order: %r" % (key, sequences[key])
        assert len(queue_of[key]) == 1, "key %s spread over queues %r" % (key, queue_of[key])


def test_clustering_two_consumers_split_queues(clients):
    topic, producer = _new_topic(clients, "ClusterTopic")
    group = unique_name("CG_cluster")
    a = clients.consumer(topic, group=group)
    b = clients.consumer(topic, group=group)
    # Both instances share the group's queues. The later one only gets queues after the rebalance that
    # follows its registration, so keep sending batches until each has received something.
    sent = set()
    deadline = time.monotonic() + 90
    batch = 0
    while True:
        for i in range(16):
            r = producer.send_sync(topic, "c-%d-%d" % (batch, i))
            assert r.status == SendStatus.OK
            sent.add(r.msg_id)
        batch += 1
        if a.messages and b.messages:
            break
        if time.monotonic() > deadline:
            raise AssertionError("no split after %d batches: a=%d b=%d messages" % (
                batch, len(a.messages), len(b.messages)))
        time.sleep(1)

    def union():
        return {m.msg_id for m in a.messages} | {m.msg_id for m in b.messages}

    deadline = time.monotonic() + WAIT
    while not sent <= union() and time.monotonic() < deadline:
        time.sleep(0.2)
    missing = sent - union()
    assert not missing, "lost %d of %d messages" % (len(missing), len(sent))
    # Once the rebalance has settled, a final batch lands on disjoint queues.
    last = set()
    for i in range(16):
        last.add(producer.send_sync(topic, "final-%d" % i).msg_id)
    deadline = time.monotonic() + WAIT
    while not last <= union() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert last <= union(), "lost messages of the final batch"
    queues_a = {m.queue_id for m in a.messages if m.msg_id in last}
    queues_b = {m.queue_id for m in b.messages if m.msg_id in last}
    assert not (queues_a & queues_b), "both consumers consumed queues %r" % (queues_a & queues_b)


def test_broadcasting_each_consumer_gets_everything(clients):
    topic, producer = _new_topic(clients, "BroadcastTopic")
    group = unique_name("CG_bcast")
    consumers = [clients.consumer(topic, group=group, model=MessageModel.BROADCASTING) for _ in range(2)]
    results = [producer.send_sync(topic, "b-%d" % i) for i in range(20)]
    _assert_ok(results)
    for c in consumers:
        c.collector.wait_for_ids([r.msg_id for r in results], WAIT)


def test_tag_subscription(clients):
    topic, producer = _new_topic(clients, "TagTopic")
    consumer = clients.consumer(topic, expression="TagA || TagB")
    expected = set()
    for i in range(10):
        for tag in ("TagA", "TagB", "TagC"):
            r = producer.send_sync(topic, "%s-%d" % (tag, i), tags=tag)
            assert r.status == SendStatus.OK
            if tag in ("TagA", "TagB"):
                expected.add(r.msg_id)
        producer.send_sync(topic, "untagged-%d" % i)
    consumer.collector.wait_for_ids(expected, WAIT)
    messages = consumer.collector.assert_quiet(len(expected))
    assert {m.tags for m in messages} == {"TagA", "TagB"}
    assert {m.msg_id for m in messages} == expected


def test_large_body_1mib(clients):
    topic = unique_name("BigTopic")
    # Raise the client's 128 KiB default and keep the body uncompressed (threshold above its size).
    producer = clients.producer(max_message_size=4 * 1024 * 1024, compress_over=8 * 1024 * 1024)
    producer.ensure_topic(topic)
    body = bytes((i * 131 + (i >> 10)) & 0xFF for i in range(1024 * 1024))
    result = producer.send_sync(topic, body)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic)
    [message] = [m for m in consumer.collector.wait_for_ids([result.msg_id], WAIT) if m.msg_id == result.msg_id]
    assert len(message.body) == len(body)
    assert message.body == body
    assert message.store_size > len(body)  # stored uncompressed


def test_all_byte_values_body(clients):
    topic, producer = _new_topic(clients, "BinaryTopic")
    body = bytes(range(256)) * 4 + b"\x00\x00tail\x00"
    result = producer.send_sync(topic, body)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic)
    messages = consumer.collector.wait_for_ids([result.msg_id], WAIT)
    assert [m.body for m in messages if m.msg_id == result.msg_id] == [body]


def test_keys_tags_and_properties_round_trip(clients):
    topic, producer = _new_topic(clients, "PropTopic")
    props = {"color": "blue", "x-number": "42", "unicode": "héllo-世界", "spaces": "a b  c"}
    result = producer.send_sync(topic, "with props", tags="TagP", keys="key-1 key-2", properties=props)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic, property_names=list(props))
    messages = consumer.collector.wait_for_ids([result.msg_id], WAIT)
    [m] = [m for m in messages if m.msg_id == result.msg_id]
    assert m.tags == "TagP"
    assert m.keys == "key-1 key-2"
    for name, value in props.items():
        assert m.properties.get(name) == value, "property %s: %r" % (name, m.properties.get(name))
    assert m.properties.get("UNIQ_KEY") == result.msg_id
    assert m.body == b"with props"


def _consume_all(consumer, ids):
    return consumer.collector.wait_for_ids(ids, WAIT)


def _new_ids_and_redeliveries(messages, old_ids, new_ids):
    got = {m.msg_id for m in messages}
    missing = set(new_ids) - got
    redelivered = [m for m in messages if m.msg_id in old_ids]
    return missing, redelivered


def test_offsets_survive_consumer_restart(clients):
    topic, producer = _new_topic(clients, "OffsetTopic")
    group = unique_name("CG_offsets")
    first_ids = [producer.send_sync(topic, "first-%d" % i).msg_id for i in range(30)]
    first = clients.consumer(topic, group=group)
    _consume_all(first, first_ids)
    first.shutdown()  # persists offsets to the broker

    second_ids = [producer.send_sync(topic, "second-%d" % i).msg_id for i in range(30)]
    second = clients.consumer(topic, group=group)
    messages = _consume_all(second, second_ids)
    missing, redelivered = _new_ids_and_redeliveries(messages, set(first_ids), second_ids)
    assert not missing
    assert len(redelivered) <= REDELIVERY_BOUND, "%d consumed messages delivered again" % len(redelivered)


def test_offsets_survive_broker_restart(cluster_factory, client_factory):
    c = cluster_factory()
    clients = client_factory(c.namesrv_addr)
    topic, producer = _new_topic(clients, "OffsetRestartTopic")
    group = unique_name("CG_brestart")
    first_ids = [producer.send_sync(topic, "first-%d" % i).msg_id for i in range(30)]
    first = clients.consumer(topic, group=group)
    _consume_all(first, first_ids)
    first.shutdown()

    c.broker.restart()  # graceful: the broker persists offsets on shutdown

    second_ids = [producer.send_sync_retry(topic, "second-%d" % i, timeout=WAIT).msg_id for i in range(30)]
    second = clients.consumer(topic, group=group)
    messages = _consume_all(second, second_ids)
    missing, redelivered = _new_ids_and_redeliveries(messages, set(first_ids), second_ids)
    assert not missing
    assert len(redelivered) <= REDELIVERY_BOUND, "%d consumed messages delivered again" % len(redelivered)


def test_sync_flush_messages_survive_kill9(cluster_factory, client_factory):
    c = cluster_factory(flush_disk_type="SYNC_FLUSH")
    clients = client_factory(c.namesrv_addr)
    topic, producer = _new_topic(clients, "DurableTopic")
    acked = []
    for i in range(50):
        r = producer.send_sync(topic, "durable-%d" % i)
        assert r.status == SendStatus.OK
        acked.append(r.msg_id)

    c.broker.restart(kill=True)  # SIGKILL: only what was flushed before the ack survives

    consumer = clients.consumer(topic)
    messages = consumer.collector.wait_for_ids(acked, WAIT)
    assert {b"durable-%d" % i for i in range(50)} <= {m.body for m in messages}
    # And the restarted broker takes new messages.
    assert producer.send_sync_retry(topic, "after-restart", timeout=WAIT).status == SendStatus.OK
