# RocketMQ-Swift — Apache License 2.0
"""The C++ producer fetches routes from OUR name server."""

import time

import pytest
from rocketmq.exceptions import ProducerSendSyncFailed

from rmq_helpers import SendStatus, unique_name


def test_unknown_topic_without_broker_fails_clearly(namesrv_only, client_factory):
    """No broker registered: the route lookups (topic, then TBW102) find nothing, and the send fails
    promptly with the client's "No route info" error instead of hanging."""
    producer = client_factory(namesrv_only.address).producer(send_timeout_ms=3000)
    topic = unique_name("NoSuchTopic")
    started = time.monotonic()
    with pytest.raises(ProducerSendSyncFailed) as excinfo:
        producer.send_sync(topic, b"nobody home")
    elapsed = time.monotonic() - started
    assert "No route info" in str(excinfo.value), str(excinfo.value)
    assert elapsed < 15, "send took %.1fs to fail" % elapsed
    assert namesrv_only.alive


def test_route_to_broker_via_namesrv(cluster, clients):
    """With a broker registered, a new topic is routed via TBW102, auto-created, and then has its own
    route: a second producer (fresh client factory) sends to it straight away."""
    topic = unique_name("RouteTopic")
    first = clients.producer().ensure_topic(topic)
    assert first.status == SendStatus.OK
    result = clients.producer().send_sync_retry(topic, b"hello route", timeout=15)
    assert result.status == SendStatus.OK
    assert result.msg_id
    assert result.offset >= 0
