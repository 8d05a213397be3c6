#!/usr/bin/env bash
# A/B broker cost: runs two mqbroker builds interleaved under the same client and load, and prints the
# broker's CPU per message (utime+stime from /proc) for each run and the B/A ratio.
#   tools/scripts/ab-broker.sh A_BIN_DIR B_BIN_DIR [ROUNDS=3] [SECONDS=10] [RATE=8000] [INFLIGHT=64]
# A_BIN_DIR/B_BIN_DIR hold mqbroker (e.g. a release build of the old and the new tree); the client is
# B_BIN_DIR's mqbench for both. Each run gets a fresh store, ASYNC_FLUSH, 1 KiB bodies, --standalone.
# A_CONF / B_CONF (optional, env): extra broker.conf lines for that side, so one binary can be compared
# with itself under two configs, e.g. the metrics cost:
#   B_CONF=$'metricsExporterType=PROM\nmetricsPromExporterHost=127.0.0.1\nmetricsPromExporterPort=35557' \
#     tools/scripts/ab-broker.sh .build/release .build/release 10 12
set -euo pipefail
A=$1; B=$2; ROUNDS=${3:-3}; SECS=${4:-10}; RATE=${5:-8000}; INFLIGHT=${6:-64}
WORK=$(mktemp -d /tmp/rmq-ab.XXXXXX)
NS_PORT=${AB_NS_PORT:-39876}; PORT=${AB_PORT:-30911}  # override to run two A/Bs at once
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

run() { # label bin_dir round extra_conf
  rm -rf "$WORK/store"
  cat > "$WORK/broker.conf" <<CONF
brokerClusterName=ABCluster
brokerName=broker-ab
listenPort=$PORT
brokerIP1=127.0.0.1
storePathRootDir=$WORK/store
$4
CONF
  HOME=$WORK "$2/mqbroker" -c "$WORK/broker.conf" --standalone --namesrv-port $NS_PORT > "$WORK/broker.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q "boot success" "$WORK/broker.log" 2>/dev/null && break; sleep 0.1; done
  local out
  out=$("$B/mqbench" producer -n 127.0.0.1:$NS_PORT -t ABTest -w "$INFLIGHT" -d "$SECS" --rate "$RATE" --broker-pid "$pid" 2>&1 | tail -7)
  local cpu; cpu=$(echo "$out" | sed -n 's/^Broker CPU: \([0-9.]*\) us\/msg.*/\1/p')
  local tps; tps=$(echo "$out" | sed -n 's/.*Send TPS avg: \([0-9]*\).*/\1/p')
  local scraped=""
  if port=$(sed -n 's/^metricsPromExporterPort=//p' "$WORK/broker.conf") && [ -n "$port" ]; then
    curl -s -o "$WORK/scrape.txt" "http://127.0.0.1:$port/metrics" || true
    scraped=$(awk '/^rocketmq_messages_in_total\{.*topic="ABTest"/ {print " (scraped messages_in " $NF ")"; exit}' "$WORK/scrape.txt" 2>/dev/null || true)
  fi
  echo "round $3 $1: ${cpu:-?} us/msg at ${tps:-?} msg/s$scraped"
  echo "$1 ${cpu:-0}" >> "$WORK/results"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

for r in $(seq 1 "$ROUNDS"); do run A "$A" "$r" "${A_CONF:-}"; run B "$B" "$r" "${B_CONF:-}"; done
awk '{s[$1]+=$2; n[$1]++} END { a=s["A"]/n["A"]; b=s["B"]/n["B"]; printf "A %.1f us/msg, B %.1f us/msg, B/A %.3f\n", a, b, (a>0?b/a:0) }' "$WORK/results"
