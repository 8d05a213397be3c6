# RocketMQ-Swift — Apache License 2.0
"""Fixtures that run OUR `mqnamesrv` and `mqbroker` as real processes on loopback.

Binaries come from $ROCKETMQ_BIN (default: <repo>/.build/debug). Every process runs in its own
directory under the interop work dir ($RMQ_INTEROP_WORKDIR, default a fresh /tmp/rmq-interop-*), with
stdout+stderr captured to a log file and $ROCKETMQ_LOG_DIR pointing into that directory. The C++
client's own logs go to <workdir>/cpp-home/logs/rocketmq-cpp (it writes under $HOME). When a test
fails, the tails of the server logs and of the C++ client log are attached to its report.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
WORK_ROOT = Path(os.environ.get("RMQ_INTEROP_WORKDIR") or tempfile.mkdtemp(prefix="rmq-interop-"))
WORK_ROOT.mkdir(parents=True, exist_ok=True)

# The C++ client logs under $HOME/logs/rocketmq-cpp; keep that out of the real home. Must happen
# before librocketmq.so initialises its logger (first client created), so before rmq_helpers runs.
CPP_HOME = WORK_ROOT / "cpp-home"
CPP_HOME.mkdir(exist_ok=True)
if not os.environ.get("RMQ_INTEROP_KEEP_HOME"):
    os.environ["HOME"] = str(CPP_HOME)

from rmq_helpers import ClientTracker  # noqa: E402  (after HOME is set)

BOOT_TIMEOUT = float(os.environ.get("RMQ_INTEROP_BOOT_TIMEOUT", "60"))
STOP_TIMEOUT = 15.0

_ALL_PROCESSES: List["ServerProcess"] = []


def bin_dir() -> Path:
    configured = os.environ.get("ROCKETMQ_BIN")
    path = Path(configured) if configured else REPO_ROOT / ".build" / "debug"
    return path if path.is_absolute() else (REPO_ROOT / path)


def binary(name: str) -> Path:
    path = bin_dir() / name
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail("%s not found at %s: build it (swift build --product %s) or set ROCKETMQ_BIN"
                    % (name, path, name), pytrace=False)
    return path


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


_handed_out = set()


def free_port(neighbours=(0,)) -> int:
    """A loopback port p such that p+d is free for every d in `neighbours` (a broker may also use
    listenPort-2 for its VIP channel and listenPort+1 for HA)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        candidates = [port + d for d in neighbours]
        if any(c <= 1024 or c > 65535 or c in _handed_out for c in candidates):
            continue
        if all(_port_free(c) for c in candidates):
            _handed_out.update(candidates)
            return port
    raise RuntimeError("no free port found")


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def write_properties(path: Path, values: Dict[str, object]) -> Path:
    lines = ["%s=%s" % (k, str(v).lower() if isinstance(v, bool) else v) for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


class ServerProcess:
    """One of our server binaries, started with a fixed command line; restartable on the same files."""

    def __init__(self, name: str, executable: Path, args: List[str], workdir: Path, port: int,
                 boot_marker: Optional[str]):
        self.name = name
        self.executable = executable
        self.args = args
        self.workdir = workdir
        self.port = port
        self.boot_marker = boot_marker
        self.proc: Optional[subprocess.Popen] = None
        self.log_paths: List[Path] = []
        self.starts = 0
        self.touched = time.monotonic()  # last start/stop/kill, to pick the logs relevant to a test
        _ALL_PROCESSES.append(self)

    @property
    def address(self) -> str:
        return "127.0.0.1:%d" % self.port

    @property
    def log_path(self) -> Path:
        return self.log_paths[-1]

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = BOOT_TIMEOUT) -> "ServerProcess":
        assert not self.alive, "%s already running" % self.name
        self.touched = time.monotonic()
        self.starts += 1
        log_path = self.workdir / ("%s.%d.out" % (self.name, self.starts))
        self.log_paths.append(log_path)
        env = dict(os.environ)
        env["ROCKETMQ_LOG_DIR"] = str(self.workdir / "logs")
        env.setdefault("ROCKETMQ_HOME", str(self.workdir))
        with open(log_path, "wb") as out:
            out.write(("$ %s %s\n" % (self.executable, " ".join(self.args))).encode())
            out.flush()
            self.proc = subprocess.Popen([str(self.executable)] + self.args, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         cwd=str(self.workdir), env=env, start_new_session=True)
        self._wait_boot(timeout)
        return self

    def _wait_boot(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise AssertionError("%s exited with %s during boot:\n%s" % (
                    self.name, self.proc.returncode, self.tail()))
            booted = self.boot_marker is None or self.boot_marker in self.output()
            if booted and port_open(self.port):
                return
            time.sleep(0.1)
        raise AssertionError("%s did not boot within %.0fs (waiting for %s and port %d):\n%s" % (
            self.name, timeout, repr(self.boot_marker) if self.boot_marker else "nothing", self.port,
            self.tail()))

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except (OSError, IndexError):
            return ""

    def tail(self, lines: int = 60) -> str:
        chunks = []
        for path in self.log_paths:
            try:
                text = path.read_text(errors="replace").splitlines()
            except OSError:
                continue
            chunks.append("--- %s (last %d lines)\n%s" % (path, lines, "\n".join(text[-lines:])))
        return "\n".join(chunks) or "(no output)"

    def _signal(self, sig: int) -> None:
        if self.alive:
            try:
                os.killpg(self.proc.pid, sig)  # its own session: the process and its children only
            except ProcessLookupError:
                pass

    def kill9(self) -> None:
        """SIGKILL, no chance to flush or clean up."""
        if self.proc is None:
            return
        self.touched = time.monotonic()
        self._signal(signal.SIGKILL)
        self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """SIGTERM (graceful shutdown), SIGKILL after STOP_TIMEOUT."""
        if not self.alive:
            return
        self.touched = time.monotonic()
        self._signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill9()

    def restart(self, kill: bool = False, timeout: float = BOOT_TIMEOUT) -> "ServerProcess":
        """Stops (SIGKILL if `kill`, else SIGTERM) and starts again with the same config and store."""
        if kill:
            self.kill9()
        else:
            self.stop()
        # The old socket may linger briefly; wait until the port can be bound again.
        deadline = time.monotonic() + 10
        while not _port_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.start(timeout)


class Namesrv(ServerProcess):
    @classmethod
    def launch(cls, workdir: Path, extra: Optional[Dict[str, object]] = None) -> "Namesrv":
        workdir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        values: Dict[str, object] = {"listenPort": port}
        values.update(extra or {})
        conf = write_properties(workdir / "namesrv.conf", values)
        server = cls("mqnamesrv", binary("mqnamesrv"), ["-c", str(conf)], workdir, port, boot_marker=None)
        return server.start()


class Broker(ServerProcess):
    @classmethod
    def launch(cls, workdir: Path, namesrv: Namesrv, flush_disk_type: str = "ASYNC_FLUSH",
               broker_name: Optional[str] = None, extra: Optional[Dict[str, object]] = None) -> "Broker":
        workdir.mkdir(parents=True, exist_ok=True)
        port = free_port(neighbours=(-2, 0, 1))
        store = workdir / "store"
        store.mkdir(exist_ok=True)
        values: Dict[str, object] = {
            "brokerClusterName": "InteropCluster",
            "brokerName": broker_name or "interop-broker-%d" % port,
            "brokerId": 0,
            "brokerIP1": "127.0.0.1",
            "listenPort": port,
            "storePathRootDir": store,
            "flushDiskType": flush_disk_type,
            "autoCreateTopicEnable": True,
        }
        values.update(extra or {})
        conf = write_properties(workdir / "broker.conf", values)
        server = cls("mqbroker", binary("mqbroker"), ["-n", namesrv.address, "-c", str(conf)], workdir, port,
                     boot_marker="boot success")
        server.store_dir = store
        server.namesrv = namesrv
        return server.start()


class Cluster:
    """One name server and one broker."""

    def __init__(self, root: Path, flush_disk_type: str = "ASYNC_FLUSH", broker_extra=None, namesrv_extra=None):
        self.root = root
        self.namesrv = Namesrv.launch(root / "namesrv", extra=namesrv_extra)
        try:
            self.broker = Broker.launch(root / "broker", self.namesrv, flush_disk_type, extra=broker_extra)
        except BaseException:
            self.namesrv.stop()
            raise

    @property
    def namesrv_addr(self) -> str:
        return self.namesrv.address

    def close(self) -> None:
        self.broker.stop()
        self.namesrv.stop()


def _new_root(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix + "-", dir=WORK_ROOT))


@pytest.fixture(scope="session")
def cluster():
    """A name server + broker shared by the tests that do not restart anything (each test uses its
    own topics and groups)."""
    c = Cluster(_new_root("shared"))
    yield c
    c.close()


@pytest.fixture
def cluster_factory():
    """Creates private clusters (for tests that kill or restart servers); all stopped at teardown.
    Usage: `c = cluster_factory(flush_disk_type="SYNC_FLUSH", broker_extra={...})`."""
    created: List[Cluster] = []

    def make(**kwargs) -> Cluster:
        c = Cluster(_new_root("private"), **kwargs)
        created.append(c)
        return c

    yield make
    for c in reversed(created):
        c.close()
        # Store files reserve their blocks (2.4 GB per broker at the default sizes): a private store is
        # gone with its test, so a run needs disk for the shared cluster and one test's, not all of them
        # (over 90% used, brokers refuse sends). The logs stay for a failed run.
        shutil.rmtree(c.broker.store_dir, ignore_errors=True)


@pytest.fixture
def namesrv_only():
    """A name server without any broker."""
    server = Namesrv.launch(_new_root("nsonly") / "namesrv")
    yield server
    server.stop()


@pytest.fixture
def client_factory(cluster_factory):
    """`client_factory(namesrv_addr)` → a ClientTracker; every client it made is shut down at teardown,
    before any private cluster is stopped."""
    trackers: List[ClientTracker] = []

    def make(namesrv_addr: str) -> ClientTracker:
        tracker = ClientTracker(namesrv_addr)
        trackers.append(tracker)
        return tracker

    yield make
    errors = []
    for tracker in reversed(trackers):
        try:
            tracker.close()
        except AssertionError as exc:
            errors.append(str(exc))
    if errors:
        raise AssertionError("; ".join(errors))


@pytest.fixture
def clients(cluster, client_factory):
    """A ClientTracker on the shared cluster."""
    return client_factory(cluster.namesrv_addr)


def _cpp_log_tail(lines: int = 40) -> str:
    log_dir = CPP_HOME / "logs" / "rocketmq-cpp"
    files = sorted(log_dir.glob("*rocketmq-cpp.log*"), key=lambda p: p.stat().st_mtime) if log_dir.exists() else []
    if not files:
        return ""
    text = files[-1].read_text(errors="replace").splitlines()
    return "--- %s (last %d lines)\n%s" % (files[-1], lines, "\n".join(text[-lines:]))


def pytest_runtest_setup(item):
    item._rmq_started = time.monotonic()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        since = getattr(item, "_rmq_started", 0.0)
        for process in _ALL_PROCESSES:
            if not (process.alive or process.touched >= since):
                continue
            report.sections.append(("%s output (%s)" % (process.name, process.workdir), process.tail()))
        cpp = _cpp_log_tail()
        if cpp:
            report.sections.append(("C++ client log", cpp))


def pytest_sessionfinish(session, exitstatus):
    # Last resort: never leave a server running.
    for process in _ALL_PROCESSES:
        if process.alive:
            process.kill9()
    # Store files reserve their blocks, so a run's work dir holds gigabytes: keep it only when something
    # failed (for the logs), when it was asked for, or when the caller chose the directory.
    if exitstatus == 0 and not os.environ.get("RMQ_INTEROP_WORKDIR") and not os.environ.get("RMQ_INTEROP_KEEP_WORKDIR"):
        shutil.rmtree(WORK_ROOT, ignore_errors=True)


def pytest_report_header(config):
    return ["rocketmq interop: binaries %s, work dir %s" % (bin_dir(), WORK_ROOT)]
