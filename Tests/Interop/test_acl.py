# RocketMQ-Swift — Apache License 2.0
"""4.x plain ACL with the official C++ client: it signs with `SetProducerSessionCredentials` /
`SetPushConsumerSessionCredentials` (HmacSHA1 over its fields, including its `OnsChannel`), and our
broker with `aclEnable=true` checks signature and permissions. Every refusal is shown next to the same
operation succeeding with the right keys, so none can pass by accident."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from rocketmq.exceptions import ProducerSendSyncFailed

from conftest import binary
from rmq_helpers import SendStatus, unique_name

CHANNEL = "ALIYUN"  # the C++ client's default channel, signed like any other field
PUB_SUB = ("pubSubUser", "pubSubSecret", CHANNEL)
PUB_ONLY = ("pubOnlyUser", "pubOnlySecret", CHANNEL)
WRONG_SECRET = ("pubSubUser", "not-the-secret", CHANNEL)

ACCOUNTS = """
accounts:
  - accessKey: adminUser
    secretKey: adminSecret
    admin: true
  - accessKey: pubSubUser
    secretKey: pubSubSecret
    defaultTopicPerm: PUB|SUB
    defaultGroupPerm: SUB
  - accessKey: pubOnlyUser
    secretKey: pubOnlySecret
    defaultTopicPerm: PUB
    defaultGroupPerm: SUB
"""


@pytest.fixture
def acl(cluster_factory, client_factory, tmp_path, monkeypatch):
    """A private cluster whose broker has aclEnable=true and reads ACCOUNTS (no white addresses)."""
    acl_file = tmp_path / "plain_acl.yml"
    acl_file.write_text(ACCOUNTS)
    monkeypatch.setenv("ROCKETMQ_ACL_PLAIN_FILE", str(acl_file))
    cluster = cluster_factory(broker_extra={"aclEnable": True})
    return cluster, client_factory(cluster.namesrv_addr), acl_file


def _cpp_log() -> str:
    """Everything the C++ client has logged so far (conftest points its HOME into the work dir)."""
    log_dir = Path(os.environ["HOME"]) / "logs" / "rocketmq-cpp"
    files = sorted(log_dir.glob("*rocketmq-cpp.log*")) if log_dir.exists() else []
    return "".join(f.read_text(errors="replace") for f in files)


def refusal(producer, topic) -> str:
    """Sends once, which must fail; returns what the C++ client logged of the broker's answer (it
    logs the response's remark and code, but its exception only says the send failed)."""
    before = len(_cpp_log())
    with pytest.raises(ProducerSendSyncFailed):
        producer.send_sync(topic, b"must-be-refused")
    deadline = time.monotonic() + 5
    while True:
        answers = [line for line in _cpp_log()[before:].splitlines() if "processSendResponse error remark" in line]
        if answers or time.monotonic() > deadline:
            return "\n".join(answers)
        time.sleep(0.1)


def remark(message: str) -> str:
    """How upstream 4.x answers an ACL refusal, as the C++ client logs it: SYSTEM_ERROR (1) and the
    AclException's text."""
    return "remark:org.apache.rocketmq.acl.common.AclException: %s, error code:1" % message


def test_signed_send_and_consume_refused_without_right_keys(acl):
    cluster, clients, _ = acl
    topic = unique_name("AclTopic")
    producer = clients.producer(credentials=PUB_SUB)
    producer.ensure_topic(topic)
    sent = [producer.send_sync(topic, "acl-%d" % i) for i in range(5)]
    assert all(r.status == SendStatus.OK for r in sent)
    consumer = clients.consumer(topic, credentials=PUB_SUB)
    consumer.collector.wait_for_bodies([b"acl-%d" % i for i in range(5)], timeout=30)

    # The same send, with a wrong secret and with no credentials at all.
    assert remark("Check signature failed for accessKey=pubSubUser") in refusal(
        clients.producer(credentials=WRONG_SECRET), topic)
    # Without credentials the C++ client still sends an empty AccessKey (upstream's broker says the same).
    assert remark("No acl config for ") in refusal(clients.producer(), topic)
    assert remark("No acl config for strangerKey") in refusal(
        clients.producer(credentials=("strangerKey", "pubSubSecret", CHANNEL)), topic)
    # Nothing refused was stored or delivered.
    time.sleep(1.0)
    assert sorted(m.body for m in consumer.messages) == [b"acl-%d" % i for i in range(5)]


def test_pub_only_account_cannot_consume(acl):
    cluster, clients, _ = acl
    topic = unique_name("AclPubOnly")
    producer = clients.producer(credentials=PUB_ONLY)  # PUB is enough to send
    producer.ensure_topic(topic)
    bodies = [b"p-%d" % i for i in range(3)]
    for body in bodies:
        assert producer.send_sync(topic, body).status == SendStatus.OK
    pub_only = clients.consumer(topic, credentials=PUB_ONLY)
    pub_sub = clients.consumer(topic, credentials=PUB_SUB)
    pub_sub.collector.wait_for_bodies(bodies, timeout=30)
    time.sleep(2.0)  # the PUB-only consumer had the same time, and more
    assert pub_only.messages == []


def test_white_listed_address_needs_no_signature(acl):
    cluster, clients, acl_file = acl
    topic = unique_name("AclWhite")
    clients.producer(credentials=PUB_SUB).ensure_topic(topic)
    unsigned = clients.producer()
    assert remark("No acl config for ") in refusal(unsigned, topic)

    # White-list loopback; the broker picks the change up without a restart.
    acl_file.write_text("globalWhiteRemoteAddresses:\n  - 127.0.0.1\n" + ACCOUNTS)
    result = unsigned.send_sync_retry(topic, b"white-listed", timeout=20)
    assert result.status == SendStatus.OK
    consumer = clients.consumer(topic)  # unsigned too
    consumer.collector.wait_for_bodies([b"white-listed"], timeout=30)


def test_mqadmin_signs_with_tools_yml(acl, tmp_path):
    cluster, clients, _ = acl
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    topic = unique_name("AclAdminTopic")

    def update_topic(access_key, secret_key):
        (home / "conf" / "tools.yml").write_text("accessKey: %s\nsecretKey: %s\n" % (access_key, secret_key))
        return subprocess.run([str(binary("mqadmin")), "updateTopic", "-n", cluster.namesrv_addr,
                               "-b", cluster.broker.address, "-t", topic],
                              capture_output=True, text=True, timeout=30, env=dict(os.environ, ROCKETMQ_HOME=str(home)))

    refused = update_topic("pubSubUser", "pubSubSecret")  # a valid account, but not an admin
    assert refused.returncode != 0
    assert "Need admin permission for request code=17, but accessKey=pubSubUser is not" in refused.stdout + refused.stderr
    done = update_topic("adminUser", "adminSecret")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "success" in done.stdout
    # The topic exists now: a signed producer sends to it.
    assert clients.producer(credentials=PUB_SUB).send_sync_retry(topic, b"after-admin").status == SendStatus.OK
