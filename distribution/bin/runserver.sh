#!/bin/sh
# Shared launcher: resolves ROCKETMQ_HOME, writes the pid file, then execs the native binary
# (no JVM, no heap settings). Usage: runserver.sh <binary> [args...]
if [ -z "$ROCKETMQ_HOME" ]; then
  ROCKETMQ_HOME=$(cd "$(dirname "$0")/.." && pwd)
fi
export ROCKETMQ_HOME
name="$1"; shift
piddir="${ROCKETMQ_PID_DIR:-$HOME/.rocketmq}"
mkdir -p "$piddir" "${ROCKETMQ_LOG_DIR:-$HOME/logs/rocketmqlogs}"
echo $$ > "$piddir/$name.pid"
exec "$ROCKETMQ_HOME/lib/$name" "$@"
