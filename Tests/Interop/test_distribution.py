# RocketMQ-Swift — Apache License 2.0
"""The seeds' quickstart, word for word from the distribution zip.

Builds the zip (debug binaries, same layout as the release zip), unzips it in a temporary directory and
follows 001/004: `nohup sh bin/mqnamesrv &`, `sh bin/mqbroker -n localhost:9876`, `export
NAMESRV_ADDR=localhost:9876; sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer`, the
Consumer, then `sh bin/mqshutdown broker` and `namesrv`. HOME points into the temporary directory, so
~/store, ~/logs/rocketmqlogs and the pid files stay there. Uses the default ports 9876 and 10911.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _wait_for(path: Path, text: str, timeout: float) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return path.read_text(errors="replace")
        time.sleep(0.05)
    raise AssertionError("%r not seen in %s within %ss:\n%s" % (text, path, timeout,
                                                              path.read_text(errors="replace") if path.exists() else ""))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path("/proc/%d" % pid).exists() and "zombie" not in Path("/proc/%d/status" % pid).read_text().lower()


def test_quickstart_from_distribution_zip():
    mode = os.environ.get("RMQ_DIST_MODE", "--debug")
    built = subprocess.run(["bash", str(REPO / "distribution" / "build.sh"), mode], capture_output=True, text=True,
                           timeout=1800)
    assert built.returncode == 0, built.stderr + built.stdout
    zip_path = Path(built.stdout.strip().splitlines()[-1])
    assert zip_path.name.endswith("-bin-release.zip") and zip_path.exists()

    work = Path(tempfile.mkdtemp(prefix="rmq-dist-"))
    subprocess.run(["unzip", "-q", str(zip_path)], cwd=work, check=True)
    [home_dir] = [p for p in work.iterdir() if p.name.startswith("rocketmq-swift-")]
    for part in ("bin/mqnamesrv", "bin/mqbroker", "bin/mqshutdown", "bin/mqadmin", "bin/tools.sh", "conf/broker.conf",
                 "conf/namesrv.conf", "conf/2m-noslave", "conf/2m-2s-async", "conf/2m-2s-sync", "benchmark/producer.sh",
                 "benchmark/consumer.sh", "conf/plain_acl.yml", "conf/tools.yml", "README.md", "LICENSE"):
        assert (home_dir / part).exists(), part

    user_home = work / "home"
    user_home.mkdir()
    env = dict(os.environ, HOME=str(user_home))
    env.pop("ROCKETMQ_LOG_DIR", None)
    env.pop("ROCKETMQ_PID_DIR", None)
    env.pop("NAMESRV_ADDR", None)
    ns_out, broker_out = work / "namesrv.out", work / "broker.out"
    namesrv = subprocess.Popen("nohup sh bin/mqnamesrv > %s 2>&1" % ns_out, shell=True, cwd=home_dir, env=env)
    broker = None
    try:
        _wait_for(ns_out, "The Name Server boot success. serializeType=JSON", 30)
        broker = subprocess.Popen("sh bin/mqbroker -n localhost:9876 > %s 2>&1" % broker_out, shell=True, cwd=home_dir,
                                  env=env)
        text = _wait_for(broker_out, "boot success", 30)
        assert re.search(r"The broker\[.+, .+:10911\] boot success\. serializeType=JSON and name server is localhost:9876", text)

        env["NAMESRV_ADDR"] = "localhost:9876"
        producer = subprocess.run(["sh", "bin/tools.sh", "org.apache.rocketmq.example.quickstart.Producer"], cwd=home_dir,
                                  env=env, capture_output=True, text=True, timeout=300)
        assert producer.returncode == 0, producer.stderr[-2000:]
        assert len(re.findall(r"^SendResult \[sendStatus=SEND_OK, msgId=", producer.stdout, re.M)) == 1000

        consumer = subprocess.run(["sh", "bin/tools.sh", "org.apache.rocketmq.example.quickstart.Consumer", "--count", "1000"],
                                  cwd=home_dir, env=env, capture_output=True, text=True, timeout=300)
        assert consumer.returncode == 0, consumer.stderr[-2000:]
        assert "Consumer Started." in consumer.stdout
        assert re.search(r"ConsumeMessageThread_\d+ Receive New Messages: \[", consumer.stdout)
        # Bodies print as Java's Arrays.toString(byte[]), as upstream's Message.toString does.
        bodies = set()
        for arr in re.findall(r"body=\[([-\d, ]*)\]", consumer.stdout):
            text = bytes((int(x) & 0xFF) for x in arr.split(", ") if x).decode("utf-8", "replace")
            m = re.fullmatch(r"Hello RocketMQ (\d+)", text)
            if m:
                bodies.add(m.group(1))
        assert bodies == {str(i) for i in range(1000)}, "missing %s" % sorted({str(i) for i in range(1000)} - bodies)[:10]

        pids = {name: int((user_home / ".rocketmq" / ("%s.pid" % name)).read_text()) for name in ("mqbroker", "mqnamesrv")}
        for name, server in (("broker", "mqbroker"), ("namesrv", "mqnamesrv")):
            out = subprocess.run(["sh", "bin/mqshutdown", name], cwd=home_dir, env=env, capture_output=True, text=True,
                                 timeout=60)
            assert out.returncode == 0, out.stdout + out.stderr
            deadline = time.time() + 20
            while _alive(pids[server]) and time.time() < deadline:
                time.sleep(0.05)
            assert not _alive(pids[server]), "%s still running after mqshutdown" % server
        logs = user_home / "logs" / "rocketmqlogs"
        assert (logs / "namesrv.log").exists() and (logs / "broker.log").exists()
        assert "boot success" in (logs / "broker.log").read_text()
        # mqshutdown with nothing running says so and fails.
        again = subprocess.run(["sh", "bin/mqshutdown", "broker"], cwd=home_dir, env=env, capture_output=True, text=True)
        assert again.returncode != 0 and "No mqbroker running" in again.stdout
    finally:
        for p in (broker, namesrv):
            if p is not None and p.poll() is None:
                p.kill()
        subprocess.run("pkill -f '%s/lib/mq' || true" % home_dir, shell=True)
        shutil.rmtree(work / "home" / "store", ignore_errors=True)  # reserved blocks; the logs stay
