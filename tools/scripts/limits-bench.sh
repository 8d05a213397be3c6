#!/usr/bin/env bash
# Connection floods, slow clients and parked pulls against a fresh name server + broker (issue 14, 5-6).
#   tools/scripts/limits-bench.sh [BIN_DIR=.build/release] [IDLE=10000] [PULLS=10000] [SECONDS=45]
# Runs, one after another (each prints one JSON object, see tools/scripts/rmq_flood.py):
#   1. broker flood: IDLE idle connections, 100 slowloris, 100 frames announcing 2 GiB, 1000 clients sending
#      unknown codes, while a producer in its own process sends 256-byte messages one at a time (p50/p99);
#   2. the same flood against the name server, the measured client doing route lookups;
#   3. PULLS long-polling pulls parked at once on distinct queues, then one message to each queue.
# RSS of the target is sampled from /proc/<pid>/status. Needs `ulimit -n` above IDLE + 1200 (raised to the
# hard limit here). Exit status is non-zero when a check failed (p99 over 20 ms counts as failed).
set -euo pipefail
BIN=${1:-.build/release}; IDLE=${2:-10000}; PULLS=${3:-10000}; SECS=${4:-45}
HERE=$(cd "$(dirname "$0")" && pwd)
ulimit -n "$(ulimit -Hn)"
echo "ulimit -n: $(ulimit -n)" >&2
WORK=$(mktemp -d /tmp/rmq-limits.XXXXXX)
NS_PORT=${NS_PORT:-39876}; PORT=${BROKER_PORT:-30911}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

cat > "$WORK/namesrv.conf" <<CONF
listenPort=$NS_PORT
kvConfigPath=$WORK/kvConfig.json
CONF
cat > "$WORK/broker.conf" <<CONF
brokerClusterName=LimitsCluster
brokerName=broker-limits
listenPort=$PORT
brokerIP1=127.0.0.1
storePathRootDir=$WORK/store
mapedFileSizeCommitLog=268435456
CONF
HOME=$WORK ROCKETMQ_LOG_DIR=$WORK/logs "$BIN/mqnamesrv" -c "$WORK/namesrv.conf" > "$WORK/namesrv.out" 2>&1 &
ns_pid=$!; pids+=("$ns_pid")
HOME=$WORK ROCKETMQ_LOG_DIR=$WORK/logs "$BIN/mqbroker" -n 127.0.0.1:$NS_PORT -c "$WORK/broker.conf" > "$WORK/broker.out" 2>&1 &
broker_pid=$!; pids+=("$broker_pid")
for _ in $(seq 1 200); do grep -q "boot success" "$WORK/broker.out" 2>/dev/null && break; sleep 0.1; done
grep -q "boot success" "$WORK/broker.out" || { cat "$WORK/broker.out"; exit 1; }

status=0
echo "== broker flood" >&2
python3 "$HERE/rmq_flood.py" flood --addr 127.0.0.1:$PORT --pid "$broker_pid" --kind broker \
    --idle "$IDLE" --slowloris 100 --huge 100 --unknown 1000 --duration "$SECS" || status=1
echo "== name server flood" >&2
python3 "$HERE/rmq_flood.py" flood --addr 127.0.0.1:$NS_PORT --pid "$ns_pid" --kind namesrv --topic TBW102 \
    --idle "$IDLE" --slowloris 100 --huge 100 --unknown 1000 --duration "$SECS" || status=1
echo "== parked pulls" >&2
python3 "$HERE/rmq_flood.py" parked-pulls --addr 127.0.0.1:$PORT --pid "$broker_pid" --pulls "$PULLS" \
    --topics $(( (PULLS + 255) / 256 )) --connections 100 || status=1
echo "== log lines" >&2
grep -ho "closing [a-z -]*[(a-zA-Z)]*\|refusing connections[^,]*" "$WORK"/logs/*.log 2>/dev/null | sort | uniq -c >&2 || true
exit $status
