#!/usr/bin/env bash
# ACL cost: one release build, broker CPU per message (utime+stime from /proc, as mqbench reports it)
# with aclEnable=false (unsigned client) and aclEnable=true (signed client, an account with PUB on the
# topic), interleaved under the same rate.
#   tools/scripts/acl-bench.sh [BIN_DIR=.build/release] [ROUNDS=3] [SECONDS=10] [RATE=8000] [INFLIGHT=64]
set -euo pipefail
BIN=${1:-.build/release}; ROUNDS=${2:-3}; SECS=${3:-10}; RATE=${4:-8000}; INFLIGHT=${5:-64}
BIN=$(cd "$BIN" && pwd)
WORK=$(mktemp -d /tmp/rmq-acl-bench.XXXXXX)
NS_PORT=39877; PORT=30913
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/conf"
cat > "$WORK/conf/plain_acl.yml" <<YML
accounts:
  - accessKey: rocketmq2
    secretKey: 12345678
    admin: true
YML

run() { # label aclEnable round [sign]
  rm -rf "$WORK/store"
  cat > "$WORK/broker.conf" <<CONF
brokerClusterName=AclBench
brokerName=broker-acl
listenPort=$PORT
brokerIP1=127.0.0.1
storePathRootDir=$WORK/store
aclEnable=$2
CONF
  HOME=$WORK ROCKETMQ_HOME=$WORK "$BIN/mqbroker" -c "$WORK/broker.conf" --standalone --namesrv-port $NS_PORT \
    > "$WORK/broker.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q "boot success" "$WORK/broker.log" 2>/dev/null && break; sleep 0.1; done
  local sign=(); { [ "$2" = true ] || [ "${4:-}" = sign ]; } && sign=(--aclEnable)
  local out
  out=$("$BIN/mqbench" producer "${sign[@]}" -n 127.0.0.1:$NS_PORT -t AclBench -w "$INFLIGHT" -d "$SECS" --rate "$RATE" \
    --broker-pid "$pid" 2>&1 | tail -7)
  local cpu; cpu=$(echo "$out" | sed -n 's/^Broker CPU: \([0-9.]*\) us\/msg.*/\1/p')
  local tps; tps=$(echo "$out" | sed -n 's/.*Send TPS avg: \([0-9]*\).*/\1/p')
  local failed; failed=$(echo "$out" | sed -n 's/.*Send Failed: \([0-9]*\).*/\1/p' | tail -1)
  echo "round $3 $1: ${cpu:-?} us/msg at ${tps:-?} msg/s (failed ${failed:-?})"
  echo "$1 ${cpu:-0}" >> "$WORK/results"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

# "signed" = aclEnable=false with a signing client: what the extra fields and the client's own cost do.
for r in $(seq 1 "$ROUNDS"); do run off false "$r"; run signed false "$r" sign; run on true "$r"; done
awk '{s[$1]+=$2; n[$1]++} END { a=s["off"]/n["off"]; m=s["signed"]/n["signed"]; b=s["on"]/n["on"];
  printf "aclEnable=false %.1f us/msg (signed requests %.1f), aclEnable=true %.1f us/msg, on/off %.3f\n", a, m, b, (a>0?b/a:0) }' "$WORK/results"
