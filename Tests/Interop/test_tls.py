# RocketMQ-Swift — Apache License 2.0
"""TLS on OUR broker and name server (tls.server.mode), checked with OpenSSL and the official C++ client.

Certificates are made here with `openssl req` (a CA and a server certificate it signs, the key
encrypted as upstream's docs do). `openssl s_client` must complete a verified handshake in permissive
and enforcing mode; Python's ssl module (OpenSSL too) then carries a real remoting request over TLS.
The official C++ client (plaintext only) works against permissive and is refused by enforcing.
"""

import json
import shutil
import socket
import ssl
import struct
import subprocess
import time
from pathlib import Path

import pytest
from rocketmq.exceptions import ProducerSendSyncFailed

from conftest import Namesrv
from rmq_helpers import SendStatus, unique_name

KEY_PASSWORD = "123456"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=30)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is required (apt-get install openssl)", pytrace=False)
    d = tmp_path_factory.mktemp("tls-certs")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    _openssl("req", "-x509", *ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=interop test CA", cwd=d)
    _openssl("req", *ec, "-nodes", "-keyout", "server_plain.key", "-out", "server.csr", "-subj", "/CN=localhost",
             cwd=d)
    (d / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=d)
    # PKCS#8, encrypted: upstream's TLS guide makes server.key this way (with a password).
    _openssl("pkcs8", "-topk8", "-in", "server_plain.key", "-out", "server.key", "-passout", "pass:" + KEY_PASSWORD,
             cwd=d)
    return d


def tls_server_keys(certs: Path, mode: str) -> dict:
    return {
        "tls.server.mode": mode,
        "tls.test.mode.enable": False,
        "tls.server.certPath": certs / "server.pem",
        "tls.server.keyPath": certs / "server.key",
        "tls.server.keyPassword": KEY_PASSWORD,
    }


def s_client(port: int, certs: Path) -> subprocess.CompletedProcess:
    """A verified handshake (chain to our CA, name 127.0.0.1), then EOF on stdin closes it."""
    return subprocess.run(
        ["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-CAfile", str(certs / "ca.pem"),
         "-verify_return_error", "-verify_ip", "127.0.0.1", "-brief"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)


def assert_handshake(port: int, certs: Path) -> None:
    result = s_client(port, certs)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "CONNECTION ESTABLISHED" in output, output
    assert "Verification: OK" in output, output
    assert "CN = localhost" in output or "CN=localhost" in output, output


def remoting_request(sock, code: int, ext: dict, opaque: int) -> dict:
    """Sends one JSON-header request frame and returns the response header (PROTOCOL.md §1)."""
    header = json.dumps({"code": code, "extFields": ext, "flag": 0, "language": "JAVA", "opaque": opaque,
                         "serializeTypeCurrentRPC": "JSON", "version": 409}).encode()
    sock.sendall(struct.pack(">ii", 4 + len(header), len(header)) + header)

    def read_exact(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed after %d of %d bytes" % (len(data), n))
            data += chunk
        return data

    length, header_word = struct.unpack(">ii", read_exact(8))
    header_length = header_word & 0xFFFFFF
    response = json.loads(read_exact(header_length))
    read_exact(length - 4 - header_length)
    return response


def tls_request(port: int, certs: Path, code: int, ext: dict) -> dict:
    context = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as sock:
            return remoting_request(sock, code, ext, opaque=77)


def plaintext_closed(port: int) -> bool:
    """A plaintext request on `port`: True when the server closes the connection without answering."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            remoting_request(sock, 105, {"topic": "TBW102"}, opaque=5)
        except (ConnectionError, OSError):
            return True
    return False


GET_ROUTEINFO_BY_TOPIC = 105
GET_BROKER_RUNTIME_INFO = 28


def test_permissive_serves_tls_and_plaintext(cluster_factory, client_factory, certs):
    """Permissive (upstream's default mode): a verified TLS handshake and a remoting request over TLS
    work on the broker's port, and the plaintext C++ client sends and consumes on the same port."""
    cluster = cluster_factory(broker_extra=tls_server_keys(certs, "permissive"))
    broker_port = cluster.broker.port
    assert_handshake(broker_port, certs)
    response = tls_request(broker_port, certs, GET_BROKER_RUNTIME_INFO, {})
    assert response["code"] == 0 and response["opaque"] == 77 and response["flag"] & 1 == 1, response

    clients = client_factory(cluster.namesrv_addr)
    topic = unique_name("TlsPermissive")
    producer = clients.producer()
    producer.ensure_topic(topic)
    result = producer.send_sync(topic, b"plaintext beside TLS")
    assert result.status == SendStatus.OK
    collector = clients.consumer(topic).collector
    collector.wait_for_bodies([b"plaintext beside TLS"], timeout=30)
    assert cluster.broker.alive


def test_enforcing_refuses_plaintext(cluster_factory, client_factory, certs):
    """Enforcing: TLS handshakes and requests work, the plaintext C++ client's sends fail (its
    connections are closed, logged once each), and the broker stays up. The broker registers with the
    permissive name server over TLS (enforcing implies tls.enable for its own client)."""
    cluster = cluster_factory(broker_extra=tls_server_keys(certs, "enforcing"))
    broker_port = cluster.broker.port
    assert_handshake(broker_port, certs)
    response = tls_request(broker_port, certs, GET_BROKER_RUNTIME_INFO, {})
    assert response["code"] == 0, response
    assert plaintext_closed(broker_port)

    # The registration went over TLS: the name server routes TBW102 to this broker.
    route = remoting_request(socket.create_connection(("127.0.0.1", cluster.namesrv.port), timeout=10),
                             GET_ROUTEINFO_BY_TOPIC, {"topic": "TBW102"}, opaque=9)
    assert route["code"] == 0, route

    producer = client_factory(cluster.namesrv_addr).producer(send_timeout_ms=2000)
    started = time.monotonic()
    with pytest.raises(ProducerSendSyncFailed):
        producer.send_sync(unique_name("TlsEnforcing"), b"must not arrive")
    assert time.monotonic() - started < 30
    assert cluster.broker.alive
    assert "running in SSL enforcing mode" in cluster.broker.output() + _log_text(cluster.broker.workdir)


def test_disabled_refuses_handshake(tmp_path):
    """Disabled: the ClientHello reads as an oversized frame; the name server closes the connection
    and keeps serving plaintext."""
    server = Namesrv.launch(tmp_path / "namesrv", extra={"tls.server.mode": "disabled"})
    try:
        result = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % server.port, "-brief"],
                                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20)
        assert result.returncode != 0, result.stdout + result.stderr
        assert "CONNECTION ESTABLISHED" not in result.stdout + result.stderr
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            response = remoting_request(sock, GET_ROUTEINFO_BY_TOPIC, {"topic": "NoSuchTopic"}, opaque=3)
        assert response["code"] == 17, response  # TOPIC_NOT_EXIST: plaintext still served
        assert server.alive
    finally:
        server.stop()


def _log_text(workdir: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in Path(workdir).rglob("*.log"))
