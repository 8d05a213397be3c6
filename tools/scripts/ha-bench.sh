#!/usr/bin/env bash
# End-to-end replication benchmark: name server + master + slave (release binaries) on loopback,
# then `mqbench producer` against ASYNC_MASTER and SYNC_MASTER, interleaved ROUNDS times.
#   tools/scripts/ha-bench.sh [ROUNDS=2] [SECONDS=10] [INFLIGHT=64]
# Prints each run's summary lines and the SYNC/ASYNC throughput ratio.
set -euo pipefail
ROUNDS=${1:-2}; SECS=${2:-10}; INFLIGHT=${3:-64}
BIN=${ROCKETMQ_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release}
WORK=$(mktemp -d /tmp/rmq-ha-bench.XXXXXX)
NS_PORT=29876; M_PORT=20911; S_PORT=21911
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

wait_log() { for _ in $(seq 1 100); do grep -q "boot success" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "no boot: $1"; cat "$1"; exit 1; }

broker_conf() { # name role id port
  cat > "$WORK/$1.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=broker-bench
brokerId=$3
brokerRole=$2
listenPort=$4
namesrvAddr=127.0.0.1:$NS_PORT
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
storePathRootDir=$WORK/$1-store
CONF
}

echo "listenPort=$NS_PORT" > "$WORK/ns.conf"
HOME=$WORK "$BIN/mqnamesrv" -c "$WORK/ns.conf" > "$WORK/ns.log" 2>&1 & pids+=($!)
wait_log "$WORK/ns.log"

run() { # role round
  rm -rf "$WORK"/m-store "$WORK"/s-store
  broker_conf m "$1" 0 $M_PORT; broker_conf s SLAVE 1 $S_PORT
  HOME=$WORK "$BIN/mqbroker" -c "$WORK/m.conf" > "$WORK/m.log" 2>&1 & local mp=$!
  wait_log "$WORK/m.log"
  HOME=$WORK "$BIN/mqbroker" -c "$WORK/s.conf" > "$WORK/s.log" 2>&1 & local sp=$!
  wait_log "$WORK/s.log"
  sleep 2
  local out; out=$("$BIN/mqbench" producer -n 127.0.0.1:$NS_PORT -t HABench -w "$INFLIGHT" -d "$SECS" 2>&1 | tail -6)
  local tps; tps=$(echo "$out" | sed -n 's/.*Send TPS avg: \([0-9.]*\).*/\1/p')
  echo "round $2 $1 + slave: $(echo "$out" | grep -E 'TPS avg|Latency|Failed' | tr '\n' ' ')"
  echo "$1 $tps" >> "$WORK/results"
  kill "$mp" "$sp"; wait "$mp" "$sp" 2>/dev/null || true
}

for r in $(seq 1 "$ROUNDS"); do run ASYNC_MASTER "$r"; run SYNC_MASTER "$r"; done
awk '{s[$1]+=$2} END { if (s["ASYNC_MASTER"] > 0) printf "SYNC_MASTER / ASYNC_MASTER throughput: %.2f\n", s["SYNC_MASTER"]/s["ASYNC_MASTER"] }' "$WORK/results"
