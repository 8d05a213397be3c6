#!/usr/bin/env bash
# Creates Tests/Interop/.venv with the official C++ client (PyPI `rocketmq` 0.4.4, a manylinux wheel
# bundling librocketmq.so) and pytest. Idempotent: re-running only installs what is missing.
# Set ROCKETMQ_WHEEL_DIR to a directory holding the wheel to install without network access.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi

# Skip pip when this exact requirements.txt was installed already and the client still loads.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && "$venv/bin/python" -c 'import rocketmq.client, pytest' >/dev/null 2>&1; then
    echo "venv ready: $venv"
    exit 0
fi

pip_args=(--disable-pip-version-check -q)
wheel_dir="${ROCKETMQ_WHEEL_DIR:-}"
if [ -z "$wheel_dir" ] && ls /tmp/rmqwheel/rocketmq-0.4.4-*.whl >/dev/null 2>&1; then
    wheel_dir=/tmp/rmqwheel
fi
if [ -n "$wheel_dir" ]; then
    pip_args+=(--find-links "$wheel_dir")
fi
"$venv/bin/pip" install "${pip_args[@]}" -r "$here/requirements.txt"
"$venv/bin/python" -c 'import rocketmq.client'
echo "$want" > "$stamp"
echo "venv ready: $venv"
