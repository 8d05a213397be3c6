# RocketMQ-Swift — Apache License 2.0
"""Crash soak: our broker under the official C++ client's sends, `kill -9`ed at random moments.

Each round starts the broker, sends with a fresh C++ producer (8 asynchronous sends in flight, every
message a unique key and a body derived from it), SIGKILLs the broker after a random 0.2-1.5 s and
records which sends were acknowledged SEND_OK. After the last round the broker starts once more and a
C++ push consumer reads the whole topic back through the consume queues. Printed at the end:

    soak: <kills> kills in <s> s, <acked> acknowledged, <lost> lost, <corrupt> corrupted, <dups> stored twice,
          index <found>/<sampled>

`lost` counts acknowledged keys that never came back, `corrupt` bodies that differ from what was sent,
`dups` acknowledged keys delivered from two different stored copies (a client retry after a lost
response, which is at-least-once delivery, not a store fault). `index` looks up a sample of acknowledged
keys with `mqadmin queryMsgByKey`. Exit status 0 only if nothing was lost or corrupted.

    python crash_soak.py --kills 20 [--flush SYNC_FLUSH|ASYNC_FLUSH] [--bin .build/debug] [--seed N]
"""

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body_for(key):
    return ((key + ".") * (1 + (sum(key.encode()) * 7919) % 97)).encode()


def wait_for(path, text, timeout, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError("%r not in %s:\n%s" % (text, path, path.read_text(errors="replace")[-3000:] if path.exists() else ""))


class Soak:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.bin = Path(args.bin).resolve()
        self.ns_port = free_port()
        self.broker_port = free_port()
        self.namesrv = "127.0.0.1:%d" % self.ns_port
        self.topic = "CrashSoak"
        self.acked = {}
        self.broker = None
        self.starts = 0
        self.unindexed = []

    def start_namesrv(self):
        conf = self.work / "namesrv.conf"
        conf.write_text("listenPort=%d\n" % self.ns_port)
        log = self.work / "namesrv.out"
        self.namesrv_proc = subprocess.Popen([str(self.bin / "mqnamesrv"), "-c", str(conf)], stdout=open(log, "wb"),
                                             stderr=subprocess.STDOUT, env=dict(os.environ, ROCKETMQ_LOG_DIR=str(self.work / "logs")))
        wait_for(log, "boot success", 30, self.namesrv_proc)

    def start_broker(self):
        conf = self.work / "broker.conf"
        conf.write_text("\n".join([
            "brokerClusterName=SoakCluster", "brokerName=broker-soak", "brokerId=0", "brokerIP1=127.0.0.1",
            "listenPort=%d" % self.broker_port, "namesrvAddr=%s" % self.namesrv,
            "storePathRootDir=%s" % (self.work / "store"), "flushDiskType=%s" % self.args.flush,
            "mapedFileSizeCommitLog=%d" % (1024 * 1024), "mapedFileSizeConsumeQueue=%d" % (20 * 20000),
            "maxIndexNum=40000", "maxHashSlotNum=10000", "autoCreateTopicEnable=true",
            "serverChannelMaxIdleTimeSeconds=120", ""]))
        self.starts += 1
        log = self.work / ("broker-%d.out" % self.starts)
        self.broker = subprocess.Popen([str(self.bin / "mqbroker"), "-c", str(conf)], stdout=open(log, "wb"),
                                       stderr=subprocess.STDOUT, env=dict(os.environ, ROCKETMQ_LOG_DIR=str(self.work / "logs")))
        wait_for(log, "boot success", 60, self.broker)

    def round(self, index, rng):
        from rmq_helpers import InteropProducer, SendStatus
        self.start_broker()
        producer = InteropProducer(self.namesrv, group="SoakPG%d" % index, send_timeout_ms=3000).start()
        try:
            producer.send_sync_retry(self.topic, b"warmup", timeout=30, tags="warmup")
            stop = threading.Event()
            slots = threading.Semaphore(8)
            results = []
            lock = threading.Lock()

            def sender():
                n = 0
                while not stop.is_set():
                    if not slots.acquire(timeout=0.1):
                        continue
                    key = "k%d-%d" % (index, n)
                    n += 1
                    try:
                        pending = producer.send_async(self.topic, body_for(key), keys=key)
                    except Exception:
                        slots.release()
                        time.sleep(0.05)
                        continue

                    def waiter(pending=pending, key=key):
                        try:
                            status = pending.wait(10).status
                        except Exception:
                            status = None
                        with lock:
                            results.append((key, status))
                        slots.release()
                    threading.Thread(target=waiter, daemon=True).start()

            thread = threading.Thread(target=sender, daemon=True)
            thread.start()
            time.sleep(rng.uniform(0.2, 1.5))
            self.broker.send_signal(signal.SIGKILL)
            self.broker.wait(30)
            stop.set()
            thread.join(15)
            for _ in range(8):
                slots.acquire(timeout=15)
            with lock:
                for key, status in results:
                    if status == SendStatus.OK:
                        self.acked[key] = body_for(key)
        finally:
            producer.shutdown()

    def verify(self):
        self.start_broker()
        out = "\n".join(consume(self.namesrv, self.topic, len(self.acked), self.args.verify_timeout))
        copies = {}
        corrupt = 0
        for line in out.splitlines():
            if not line.startswith("msg "):
                continue
            _, key, queue, offset, good = line.split()
            copies.setdefault(key, set()).add((queue, offset))
            corrupt += good != "1"
        lost = [k for k in self.acked if k not in copies]
        dups = sum(1 for k in self.acked if len(copies.get(k, ())) > 1)
        sample = random.Random(1).sample(sorted(self.acked), min(self.args.index_sample, len(self.acked)))
        found = 0
        self.unindexed = []
        for key in sample:
            out = subprocess.run([str(self.bin / "mqadmin"), "queryMsgByKey", "-n", self.namesrv, "-t", self.topic, "-k", key],
                                 capture_output=True, text=True, timeout=60).stdout
            hit = any(re.match(r"[0-9A-F]{32}\s", line) for line in out.splitlines())
            found += hit
            if not hit:
                self.unindexed.append(key)
        return lost, corrupt, dups, found, len(sample)

    def stop(self):
        for proc in (self.broker, getattr(self, "namesrv_proc", None)):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()


def consume(namesrv, topic, expected, timeout):
    """Reads the topic with a C++ push consumer: one `msg <key> <queue> <offset> <body ok>` per delivery."""
    from rmq_helpers import InteropPushConsumer, MessageCollector
    collector = MessageCollector("soak", ignore_tags=("warmup",))
    consumer = InteropPushConsumer(namesrv, group="SoakCG", collector=collector).subscribe(topic).start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len({m.keys for m in collector.messages}) < expected:
            time.sleep(0.5)
        time.sleep(2)
    finally:
        consumer.shutdown()
    return ["msg %s %d %d %d" % (m.keys, m.queue_id, m.queue_offset, 1 if m.body == body_for(m.keys) else 0)
            for m in collector.messages if m.keys]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--flush", default="SYNC_FLUSH", choices=["SYNC_FLUSH", "ASYNC_FLUSH"])
    parser.add_argument("--bin", default=str(REPO / ".build" / "debug"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--verify-timeout", type=float, default=180)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--index-sample", type=int, default=10, help="acknowledged keys looked up by queryMsgByKey")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rmq-soak-"))
    os.environ["HOME"] = str(work)  # the C++ client logs under $HOME
    sys.path.insert(0, str(HERE))
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    soak = Soak(args, work)
    started = time.monotonic()
    try:
        soak.start_namesrv()
        for i in range(args.kills):
            soak.round(i, rng)
        lost, corrupt, dups, found, sampled = soak.verify()
    finally:
        soak.stop()
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)])
    elapsed = time.monotonic() - started
    print("soak: %d kills in %.0f s (%s, seed %d), %d acknowledged, %d lost, %d corrupted, %d stored twice, index %d/%d"
          % (args.kills, elapsed, args.flush, seed, len(soak.acked), len(lost), corrupt, dups, found, sampled), flush=True)
    if lost:
        print("lost keys (first 10): %s" % sorted(lost)[:10])
    if soak.unindexed:
        print("keys queryMsgByKey did not find (first 10): %s" % soak.unindexed[:10])
    return 0 if not lost and not corrupt and soak.acked else 1


if __name__ == "__main__":
    sys.exit(main())
