#!/usr/bin/env bash
# Crash soak (issue 14): N kill -9s of our broker under the official C++ client's sends, then every
# acknowledged message is read back. Usage: tools/scripts/crash-soak.sh [kills=1000] [SYNC_FLUSH|ASYNC_FLUSH] [bin dir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
kills="${1:-1000}"; flush="${2:-SYNC_FLUSH}"; bin="${3:-$root/.build/release}"
[ -x "$bin/mqbroker" ] || { echo "no mqbroker in $bin: swift build -c release first (or pass a bin dir)"; exit 2; }
bash "$root/Tests/Interop/setup_venv.sh" >/dev/null
exec "$root/Tests/Interop/.venv/bin/python" "$root/Tests/Interop/crash_soak.py" --kills "$kills" --flush "$flush" --bin "$bin"
