# RocketMQ-Swift — Apache License 2.0
"""The crash soak, short: 20 `kill -9`s of our SYNC_FLUSH broker under the official C++ client's sends
(crash_soak.py; tools/scripts/crash-soak.sh runs the long version). Every acknowledged message must come
back through the consume queues, byte-identical, and a sample must be found by key in the index."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import bin_dir

HERE = Path(__file__).resolve().parent


def test_acknowledged_messages_survive_20_kills():
    out = subprocess.run([sys.executable, str(HERE / "crash_soak.py"), "--kills", "20", "--bin", str(bin_dir())],
                         capture_output=True, text=True, timeout=900)
    summary = [line for line in out.stdout.splitlines() if line.startswith("soak: ")]
    assert summary, out.stdout[-3000:] + out.stderr[-3000:]
    m = re.search(r"(\d+) acknowledged, (\d+) lost, (\d+) corrupted, (\d+) stored twice, index (\d+)/(\d+)", summary[0])
    assert m, summary[0]
    acked, lost, corrupt, _, found, sampled = map(int, m.groups())
    assert acked >= 100, summary[0]
    assert (lost, corrupt) == (0, 0), out.stdout[-3000:]
    assert found == sampled, summary[0]
    assert out.returncode == 0, out.stdout[-3000:]
