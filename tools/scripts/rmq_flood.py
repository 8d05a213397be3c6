#!/usr/bin/env python3
# RocketMQ-Swift — Apache License 2.0
"""Connection floods, slow clients and parked pulls against a running broker or name server.

Plain Python 3 (no packages), speaking the remoting protocol itself (JSON headers, PROTOCOL.md §1-2),
so it can send what no real client sends: frames that announce 2 GiB, frames trickled a byte a second,
request codes nobody knows. Used by tools/scripts/limits-bench.sh (full size) and by
Tests/Interop/test_limits.py (CI size).

  rmq_flood.py flood --addr 127.0.0.1:10911 --pid PID --kind broker --idle 10000 --slowloris 100 \
      --huge 100 --unknown 1000 --duration 30
  rmq_flood.py parked-pulls --addr 127.0.0.1:10911 --pid PID --pulls 10000 --topics 40

Each prints one JSON object with its figures (p50/p99/max latency of a real producer or route
lookup running alongside in its own process, RSS of the target before/peak/after, what every kind of
bad client saw) and exits 1 if a check failed.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import socket
import struct
import sys
import time
from typing import Dict, List, Optional, Tuple

REQUEST_CODE_NOT_SUPPORTED = 3
SEND_MESSAGE_V2 = 310
PULL_MESSAGE = 11
UPDATE_AND_CREATE_TOPIC = 17
GET_BROKER_RUNTIME_INFO = 28
GET_ROUTEINFO_BY_TOPIC = 105
UNKNOWN_CODE = 7777


# ---------------------------------------------------------------- wire

def encode(code: int, opaque: int, ext: Optional[Dict[str, object]] = None, body: bytes = b"",
           oneway: bool = False) -> bytes:
    header = {"code": code, "flag": 2 if oneway else 0, "language": "JAVA", "opaque": opaque,
              "serializeTypeCurrentRPC": "JSON", "version": 409}
    if ext:
        header["extFields"] = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in ext.items()}
    raw = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack(">ii", 4 + len(raw) + len(body), len(raw)) + raw + body


def decode_frame(frame: bytes) -> Tuple[dict, bytes]:
    """`frame` is everything after the length word."""
    (word,) = struct.unpack(">I", frame[:4])
    header_len = word & 0xFFFFFF
    header = json.loads(frame[4:4 + header_len])
    return header, frame[4 + header_len:]


async def read_command(reader: asyncio.StreamReader) -> Tuple[dict, bytes]:
    (length,) = struct.unpack(">i", await reader.readexactly(4))
    return decode_frame(await reader.readexactly(length))


def read_command_sync(sock: socket.socket) -> Tuple[dict, bytes]:
    def exactly(n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("closed")
            out += chunk
        return out
    (length,) = struct.unpack(">i", exactly(4))
    return decode_frame(exactly(length))


def split_addr(addr: str) -> Tuple[str, int]:
    host, port = addr.rsplit(":", 1)
    return host, int(port)


def message_properties(props: Dict[str, str]) -> str:
    return "".join("%s\x01%s\x02" % kv for kv in props.items())


def send_header(topic: str, queue_id: int, group: str = "flood_producer") -> Dict[str, object]:
    return {"a": group, "b": topic, "c": "TBW102", "d": 4, "e": queue_id, "f": 0,
            "g": int(time.time() * 1000), "h": 0, "i": message_properties({"WAIT": "true"}),
            "j": 0, "k": False, "m": False}


# ---------------------------------------------------------------- target process

def rss_kib(pid: int) -> Tuple[int, int]:
    """(VmRSS, VmHWM) of `pid` in KiB."""
    rss = hwm = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def open_fds(pid: int) -> int:
    return len(os.listdir("/proc/%d/fd" % pid))


def raise_nofile(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(hard, max(soft, wanted)) if hard != resource.RLIM_INFINITY else max(soft, wanted)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- the measured client

def probe(addr: str, kind: str, topic: str, stop_at: float, out) -> None:
    """A real client in its own process: one request at a time, its latency recorded."""
    host, port = split_addr(addr)
    sock = socket.create_connection((host, port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    latencies: List[float] = []
    failures: Dict[str, int] = {}
    opaque = 0
    while time.monotonic() < stop_at:
        opaque += 1
        if kind == "broker":
            frame = encode(SEND_MESSAGE_V2, opaque, send_header(topic, opaque % 4), b"x" * 256)
        else:
            frame = encode(GET_ROUTEINFO_BY_TOPIC, opaque, {"topic": topic})
        start = time.perf_counter()
        try:
            sock.sendall(frame)
            header, _ = read_command_sync(sock)
        except (OSError, ConnectionError) as e:
            failures[type(e).__name__] = failures.get(type(e).__name__, 0) + 1
            sock = socket.create_connection((host, port), timeout=10)
            continue
        latencies.append(time.perf_counter() - start)
        if header.get("code") != 0:
            key = "code %s" % header.get("code")
            failures[key] = failures.get(key, 0) + 1
        time.sleep(0.002)
    out.put({"latencies": latencies, "failures": failures})


def percentile(values: List[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# ---------------------------------------------------------------- bad clients

async def open_idle(host: str, port: int, count: int, held: list) -> int:
    opened = 0
    for start in range(0, count, 200):
        batch = [asyncio.open_connection(host, port) for _ in range(min(200, count - start))]
        for result in await asyncio.gather(*batch, return_exceptions=True):
            if isinstance(result, BaseException):
                continue
            held.append(result)
            opened += 1
    return opened


async def slowloris(host: str, port: int, stop_at: float, result: dict) -> None:
    """Announces a 64-byte frame, then sends one byte a second; records when the server hangs up."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        result["connect_failed"] = result.get("connect_failed", 0) + 1
        return
    writer.write(struct.pack(">i", 64))
    try:
        while time.monotonic() < stop_at:
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.read(1), timeout=1.0)
                if data == b"":
                    result.setdefault("closed_after", []).append(time.monotonic() - started)
                    return
            except asyncio.TimeoutError:
                pass
            writer.write(b"\x00")
    except (ConnectionError, OSError):
        result.setdefault("closed_after", []).append(time.monotonic() - started)
        return
    finally:
        writer.close()
    result["still_open"] = result.get("still_open", 0) + 1


async def huge_frame(host: str, port: int, result: dict) -> None:
    """Announces a 2 GiB - 1 frame (and sends a little of it); the server must hang up at once."""
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        result["connect_failed"] = result.get("connect_failed", 0) + 1
        return
    started = time.monotonic()
    writer.write(struct.pack(">i", 0x7FFFFFFF) + b"\x00" * 4096)
    try:
        await writer.drain()
        data = await asyncio.wait_for(reader.read(1), timeout=10.0)
        if data == b"":
            result.setdefault("closed_after", []).append(time.monotonic() - started)
        else:
            result["answered"] = result.get("answered", 0) + 1
    except asyncio.TimeoutError:
        result["still_open"] = result.get("still_open", 0) + 1
    except (ConnectionError, OSError):
        result.setdefault("closed_after", []).append(time.monotonic() - started)
    finally:
        writer.close()


async def unknown_codes(host: str, port: int, stop_at: float, result: dict) -> None:
    """Sends requests with an unknown code and checks every answer is code 3 with upstream's remark."""
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        result["connect_failed"] = result.get("connect_failed", 0) + 1
        return
    expected = " request type %d not supported" % UNKNOWN_CODE
    opaque = 0
    try:
        while time.monotonic() < stop_at:
            opaque += 1
            writer.write(encode(UNKNOWN_CODE, opaque))
            await writer.drain()
            header, _ = await asyncio.wait_for(read_command(reader), timeout=10.0)
            if (header.get("code") == REQUEST_CODE_NOT_SUPPORTED and header.get("remark") == expected
                    and header.get("opaque") == opaque and header.get("flag", 0) & 1):
                result["ok"] = result.get("ok", 0) + 1
            else:
                result["wrong"] = result.get("wrong", 0) + 1
                result["example"] = header
            await asyncio.sleep(0.5)
    except (asyncio.TimeoutError, ConnectionError, OSError, asyncio.IncompleteReadError) as e:
        result["errors"] = result.get("errors", 0) + 1
        result["error_example"] = repr(e)
    finally:
        writer.close()


async def run_flood(args) -> dict:
    host, port = split_addr(args.addr)
    base_rss, _ = rss_kib(args.pid)
    base_fds = open_fds(args.pid)
    start = time.monotonic()
    stop_at = start + args.duration
    # Its own interpreter (spawn, not fork): the flood's event loop must not slow the measured client,
    # and forking a process with foreign threads (a test runner's client library) is unsafe.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    measured = context.Process(target=probe, args=(args.addr, args.kind, args.topic, stop_at, queue))
    measured.start()
    held: list = []
    idle_opened = await open_idle(host, port, args.idle, held)
    slow: dict = {}
    huge: dict = {}
    unknown: dict = {}
    tasks = [asyncio.ensure_future(slowloris(host, port, stop_at, slow)) for _ in range(args.slowloris)]
    tasks += [asyncio.ensure_future(huge_frame(host, port, huge)) for _ in range(args.huge)]
    tasks += [asyncio.ensure_future(unknown_codes(host, port, stop_at, unknown)) for _ in range(args.unknown)]
    peak = base_rss
    peak_fds = base_fds
    while time.monotonic() < stop_at:
        await asyncio.sleep(0.5)
        peak = max(peak, rss_kib(args.pid)[0])
        peak_fds = max(peak_fds, open_fds(args.pid))
    await asyncio.gather(*tasks, return_exceptions=True)
    idle_alive = 0
    for reader, writer in held:
        if not reader.at_eof():
            idle_alive += 1
        writer.close()
    probe_result = queue.get(timeout=30)
    measured.join(timeout=10)
    latencies = probe_result["latencies"]
    end_rss, hwm = rss_kib(args.pid)
    return {
        "kind": args.kind,
        "target_pid": args.pid,
        "idle": {"asked": args.idle, "opened": idle_opened, "open_at_end": idle_alive},
        "slowloris": {"clients": args.slowloris, "closed": len(slow.get("closed_after", [])),
                      "closed_after_max_s": round(max(slow.get("closed_after", [0])), 2),
                      "still_open": slow.get("still_open", 0), "connect_failed": slow.get("connect_failed", 0)},
        "huge_frames": {"clients": args.huge, "closed": len(huge.get("closed_after", [])),
                        "closed_after_max_ms": round(1000 * max(huge.get("closed_after", [0])), 1),
                        "still_open": huge.get("still_open", 0), "answered": huge.get("answered", 0)},
        "unknown_codes": {"clients": args.unknown, "answered_ok": unknown.get("ok", 0),
                          "wrong": unknown.get("wrong", 0), "errors": unknown.get("errors", 0),
                          "example": unknown.get("example") or unknown.get("error_example")},
        "probe": {"requests": len(latencies), "failures": probe_result["failures"],
                  "p50_ms": round(1000 * percentile(latencies, 50), 2),
                  "p99_ms": round(1000 * percentile(latencies, 99), 2),
                  "max_ms": round(1000 * max(latencies), 2) if latencies else None},
        "rss_kib": {"before": base_rss, "peak_sampled": peak, "after": end_rss, "hwm": hwm},
        "target_fds": {"before": base_fds, "peak": peak_fds},
    }


def flood_checks(r: dict, args) -> List[str]:
    problems = []
    if r["idle"]["opened"] < args.idle:
        problems.append("only %d of %d idle connections opened" % (r["idle"]["opened"], args.idle))
    if args.slowloris and r["slowloris"]["still_open"]:
        problems.append("%d slowloris connections survived" % r["slowloris"]["still_open"])
    if r["huge_frames"]["closed"] != args.huge:
        problems.append("huge frames: %s" % r["huge_frames"])
    if args.unknown and (r["unknown_codes"]["wrong"] or r["unknown_codes"]["errors"]
                         or r["unknown_codes"]["answered_ok"] < args.unknown):
        problems.append("unknown codes: %s" % r["unknown_codes"])
    if r["probe"]["failures"] or r["probe"]["requests"] == 0:
        problems.append("probe failures: %s" % r["probe"]["failures"])
    if r["probe"]["p99_ms"] > args.max_p99_ms:
        problems.append("probe p99 %.1f ms > %.1f ms" % (r["probe"]["p99_ms"], args.max_p99_ms))
    if r["rss_kib"]["peak_sampled"] > args.max_rss_mib * 1024:
        problems.append("RSS %d KiB > %d MiB" % (r["rss_kib"]["peak_sampled"], args.max_rss_mib))
    return problems


# ---------------------------------------------------------------- parked pulls

class Connection:
    """One multiplexed connection: requests by opaque, answers delivered to futures."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.pending: Dict[int, asyncio.Future] = {}
        self.task = asyncio.ensure_future(self._read())

    async def _read(self):
        try:
            while True:
                header, body = await read_command(self.reader)
                future = self.pending.pop(header.get("opaque"), None)
                if future is not None and not future.done():
                    future.set_result((header, body))
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as e:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(repr(e)))

    def request(self, opaque: int, frame: bytes) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.pending[opaque] = future
        self.writer.write(frame)
        return future

    def close(self):
        self.task.cancel()
        self.writer.close()


def pull_header(group: str, topic: str, queue_id: int, suspend_ms: int) -> Dict[str, object]:
    # sysFlag: suspend (2) | subscription (4)
    return {"consumerGroup": group, "topic": topic, "queueId": queue_id, "queueOffset": 0, "maxMsgNums": 4,
            "sysFlag": 6, "commitOffset": 0, "suspendTimeoutMillis": suspend_ms, "subscription": "*",
            "subVersion": 0, "expressionType": "TAG"}


async def broker_runtime_info(conn: Connection, opaque: int) -> Dict[str, str]:
    header, body = await asyncio.wait_for(conn.request(opaque, encode(GET_BROKER_RUNTIME_INFO, opaque)), 10)
    return json.loads(body).get("table", {}) if header.get("code") == 0 else {}


async def run_parked_pulls(args) -> dict:
    host, port = split_addr(args.addr)
    base_rss, _ = rss_kib(args.pid)
    per_topic = -(-args.pulls // args.topics)
    run = "%d" % (time.time() * 1000)
    topics = ["Parked_%s_%d" % (run, t) for t in range(args.topics)]
    queues = [(topics[i // per_topic], i % per_topic) for i in range(args.pulls)]
    conns = []
    for _ in range(args.connections):
        reader, writer = await asyncio.open_connection(host, port)
        conns.append(Connection(reader, writer))
    admin = conns[0]
    opaque = 1
    for topic in topics:
        opaque += 1
        ext = {"topic": topic, "defaultTopic": "TBW102", "readQueueNums": per_topic, "writeQueueNums": per_topic,
               "perm": 6, "topicFilterType": "SINGLE_TAG", "topicSysFlag": 0, "order": False}
        header, _ = await asyncio.wait_for(admin.request(opaque, encode(UPDATE_AND_CREATE_TOPIC, opaque, ext)), 30)
        if header.get("code") != 0:
            raise SystemExit("creating %s failed: %s" % (topic, header))
    group = "parked_%s" % run
    pulls: Dict[Tuple[str, int], asyncio.Future] = {}
    started = time.monotonic()
    for i, (topic, queue_id) in enumerate(queues):
        opaque += 1
        conn = conns[i % len(conns)]
        pulls[(topic, queue_id)] = conn.request(opaque, encode(PULL_MESSAGE, opaque,
                                                               pull_header(group, topic, queue_id, args.suspend_ms)))
        if i % 500 == 499:
            await asyncio.gather(*(c.writer.drain() for c in conns))
    await asyncio.gather(*(c.writer.drain() for c in conns))
    # Wait until the broker reports every pull parked (its own count, GET_BROKER_RUNTIME_INFO).
    parked = 0
    deadline = time.monotonic() + args.park_timeout
    while time.monotonic() < deadline:
        opaque += 1
        parked = int((await broker_runtime_info(admin, opaque)).get("pullHoldCount", "0"))
        if parked >= args.pulls:
            break
        await asyncio.sleep(0.2)
    parked_after = time.monotonic() - started
    early = [k for k, f in pulls.items() if f.done()]
    parked_rss, _ = rss_kib(args.pid)
    # One message per queue, each naming its queue; the producer connection is separate.
    reader, writer = await asyncio.open_connection(host, port)
    producer = Connection(reader, writer)
    sends = []
    wake_start = time.monotonic()
    for topic, queue_id in queues:
        opaque += 1
        body = ("for %s/%d" % (topic, queue_id)).encode()
        sends.append(producer.request(opaque, encode(SEND_MESSAGE_V2, opaque, send_header(topic, queue_id), body)))
        if len(sends) % 500 == 0:
            await producer.writer.drain()
    send_results = await asyncio.wait_for(asyncio.gather(*sends), args.wake_timeout)
    sends_done = time.monotonic() - wake_start
    send_failed = sum(1 for h, _ in send_results if h.get("code") != 0)
    right = wrong = empty = failed = 0
    example = None
    for (topic, queue_id), future in pulls.items():
        try:
            header, body = await asyncio.wait_for(future, max(0.1, wake_start + args.wake_timeout - time.monotonic()))
        except (asyncio.TimeoutError, ConnectionError) as e:
            failed += 1
            example = example or repr(e)
            continue
        marker = ("for %s/%d" % (topic, queue_id)).encode()
        if header.get("code") == 0 and marker in body and body.count(b"for Parked_") == 1:
            right += 1
        elif header.get("code") == 0:
            wrong += 1
            example = example or body[:200]
        else:
            empty += 1
            example = example or header
    wake_seconds = time.monotonic() - wake_start
    end_rss, hwm = rss_kib(args.pid)
    producer.close()
    for c in conns:
        c.close()
    return {
        "pulls": args.pulls, "topics": args.topics, "connections": args.connections,
        "parked_reported": parked, "parked_after_s": round(parked_after, 2), "answered_before_send": len(early),
        "sends_failed": send_failed,
        "woken_with_own_message": right, "woken_with_wrong_message": wrong, "woken_empty": empty,
        "not_woken": failed, "example": repr(example) if example else None,
        "sends_done_s": round(sends_done, 2), "wake_all_s": round(wake_seconds, 2),
        "rss_kib": {"before": base_rss, "parked": parked_rss, "after": end_rss, "hwm": hwm},
    }


def pull_checks(r: dict, args) -> List[str]:
    problems = []
    if r["parked_reported"] < args.pulls:
        problems.append("broker reported %d parked pulls, not %d" % (r["parked_reported"], args.pulls))
    if r["answered_before_send"]:
        problems.append("%d pulls answered before any message was sent" % r["answered_before_send"])
    if r["woken_with_own_message"] != args.pulls or r["sends_failed"]:
        problems.append("wake-up: %s" % {k: r[k] for k in ("woken_with_own_message", "woken_with_wrong_message",
                                                          "woken_empty", "not_woken", "sends_failed", "example")})
    if r["rss_kib"]["parked"] > args.max_rss_mib * 1024:
        problems.append("RSS %d KiB > %d MiB" % (r["rss_kib"]["parked"], args.max_rss_mib))
    return problems


# ---------------------------------------------------------------- CLI

def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("flood")
    f.add_argument("--addr", required=True)
    f.add_argument("--pid", type=int, required=True, help="target process, for RSS and fd counts")
    f.add_argument("--kind", choices=["broker", "namesrv"], default="broker")
    f.add_argument("--topic", default="FloodProbe")
    f.add_argument("--idle", type=int, default=10000)
    f.add_argument("--slowloris", type=int, default=100)
    f.add_argument("--huge", type=int, default=100)
    f.add_argument("--unknown", type=int, default=1000)
    f.add_argument("--duration", type=float, default=30)
    f.add_argument("--max-p99-ms", type=float, default=20)
    f.add_argument("--max-rss-mib", type=int, default=512)
    p = sub.add_parser("parked-pulls")
    p.add_argument("--addr", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--pulls", type=int, default=10000)
    p.add_argument("--topics", type=int, default=40)
    p.add_argument("--connections", type=int, default=100)
    p.add_argument("--suspend-ms", type=int, default=120000)
    p.add_argument("--park-timeout", type=float, default=60)
    p.add_argument("--wake-timeout", type=float, default=60)
    p.add_argument("--max-rss-mib", type=int, default=512)
    return parser


def run(argv: List[str]) -> dict:
    """Runs one mode; its figures, with `problems` listing every failed check."""
    args = parser().parse_args(argv)
    raise_nofile(65536)
    if args.mode == "flood":
        result = asyncio.run(run_flood(args))
        result["problems"] = flood_checks(result, args)
    else:
        result = asyncio.run(run_parked_pulls(args))
        result["problems"] = pull_checks(result, args)
    return result


def main(argv=None) -> int:
    result = run(sys.argv[1:] if argv is None else argv)
    print(json.dumps(result, indent=1, default=str))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
