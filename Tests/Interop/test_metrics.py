# RocketMQ-Swift — Apache License 2.0
"""Prometheus metrics (metricsExporterType=PROM) of OUR broker and name server, driven by the official
C++ client: the scrape must show exactly what the client did, and the whole exposition must parse with
the reference parser (prometheus_client), so Prometheus itself will accept it."""

import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port
from rmq_helpers import SendStatus, unique_name

WAIT = 30.0
N = 30


def scrape(port: int):
    """GET /metrics → (content type, families by name, samples as (name, labels, value))."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as response:
        assert response.status == 200
        content_type = response.headers.get("Content-Type")
        text = response.read().decode("utf-8")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = [(s.name, s.labels, s.value) for f in families.values() for s in f.samples]
    return content_type, families, samples


def value(samples, name, **labels):
    found = [v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in labels.items())]
    assert len(found) <= 1, "%s%r matches %d series" % (name, labels, len(found))
    return found[0] if found else None


def wait_for(predicate, timeout=WAIT, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.2)


def test_metrics_match_cpp_client_traffic(cluster_factory, client_factory):
    broker_port, ns_port = free_port(), free_port()
    c = cluster_factory(
        broker_extra={"metricsExporterType": "PROM", "metricsPromExporterHost": "127.0.0.1",
                      "metricsPromExporterPort": broker_port, "metricsLabel": "env:interop"},
        namesrv_extra={"metricsExporterType": "PROM", "metricsPromExporterHost": "127.0.0.1",
                       "metricsPromExporterPort": ns_port})
    clients = client_factory(c.namesrv_addr)
    topic, group = unique_name("MetricsTopic"), unique_name("CG_metrics")
    producer = clients.producer()
    producer.ensure_topic(topic)  # one warm-up message creates the topic
    results = [producer.send_sync(topic, "metrics-%d" % i) for i in range(N)]
    assert all(r.status == SendStatus.OK for r in results)

    content_type, families, samples = scrape(broker_port)
    assert content_type.startswith("text/plain; version=0.0.4")
    base = {"topic": topic, "message_type": "normal", "is_system": "false", "cluster": "InteropCluster",
            "node_type": "broker", "env": "interop"}
    assert value(samples, "rocketmq_messages_in_total", **base) == N + 1
    assert value(samples, "rocketmq_message_size_count", **base) == N + 1
    bytes_in = value(samples, "rocketmq_throughput_in_total", **base)
    assert bytes_in == value(samples, "rocketmq_message_size_sum", **base) and bytes_in > N * len("metrics-0")
    assert families["rocketmq_messages_in"].type == "counter"
    assert families["rocketmq_message_size"].type == "histogram"
    assert families["rocketmq_rpc_latency"].type == "histogram"
    sends = sum(v for n, l, v in samples if n == "rocketmq_rpc_latency_count"
                and l.get("request_code") in ("send_message", "send_message_v2") and l.get("response_code") == "success")
    assert sends >= N + 1
    assert sum(v for n, l, v in samples if n == "rocketmq_producer_connections" and l.get("language") == "cpp") >= 1

    consumer = clients.consumer(topic, group=group)
    consumer.collector.wait_for_ids([r.msg_id for r in results], WAIT)
    lag = {"consumer_group": group, "topic": topic, "is_retry": "false"}

    def drained():
        _, f, s = scrape(broker_port)
        done = value(s, "rocketmq_consumer_lag_messages", **lag) == 0 \
            and value(s, "rocketmq_messages_out_total", topic=topic, consumer_group=group) == N + 1
        return (f, s) if done else None
    families, samples = wait_for(drained, what="lag 0 and %d messages out" % (N + 1))
    assert families["rocketmq_consumer_lag_messages"].type == "gauge"
    assert families["rocketmq_messages_out"].type == "counter"
    assert value(samples, "rocketmq_throughput_out_total", topic=topic, consumer_group=group) == bytes_in
    assert value(samples, "rocketmq_consumer_inflight_messages", **lag) == 0
    assert value(samples, "rocketmq_consumer_ready_messages", **lag) == 0
    assert value(samples, "rocketmq_consumer_lag_latency", **lag) == 0
    assert value(samples, "rocketmq_consumer_connections", consumer_group=group, language="cpp", consume_mode="push") == 1
    assert (value(samples, "rocketmq_rpc_latency_count", request_code="pull_message", response_code="success") or 0) >= 1
    assert value(samples, "rocketmq_topic_number") >= 1
    assert value(samples, "rocketmq_storage_size", storage_type="local", storage_medium="disk") > 0

    _, ns_families, ns_samples = scrape(ns_port)
    assert value(ns_samples, "rocketmq_namesrv_broker_number", cluster="InteropCluster", node_type="nameserver") == 1
    assert value(ns_samples, "rocketmq_namesrv_topic_number") >= 1
    assert ns_families["rocketmq_rpc_latency"].type == "histogram"
    assert (value(ns_samples, "rocketmq_rpc_latency_count", request_code="register_broker", response_code="success") or 0) >= 1
