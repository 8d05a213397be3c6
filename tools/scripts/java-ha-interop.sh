#!/usr/bin/env bash
# Mixed master/slave clusters with the Java RocketMQ 5.2.0 release (not in CI: the release cannot be
# fetched there). Assemble it with ../shared/java-reference/assemble.sh, then:
#   RMQ_HOME=<...>/rocketmq-all-5.2.0-bin-release tools/scripts/java-ha-interop.sh [swift-bin-dir]
# 1. Java name server + Java SYNC_MASTER + our SLAVE;  2. our name server + our SYNC_MASTER + Java SLAVE.
# In each: 200 sends with the official C++ client (Tests/Interop venv) must all be SEND_OK (so the slave
# acknowledged every one), then the slave's commit log must equal the master's byte for byte, and the
# slave's own reput must have built consume-queue units for every message (it parsed the other's records).
set -euo pipefail
: "${RMQ_HOME:?set RMQ_HOME to the assembled Java release}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/.build/debug}
PY=$ROOT/Tests/Interop/.venv/bin/python
WORK=$(mktemp -d /tmp/rmq-java-ha.XXXXXX)
NS=49876; MP=40911; SP=41911
pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; sleep 1; for p in "${pids[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java_run() { # main-class props logdir
  mkdir -p "$3"
  ROCKETMQ_HOME=$RMQ_HOME java -server -Xms256m -Xmx256m -XX:+UseG1GC -Duser.home="$3" \
    -Drmq.logback.configurationFile="$RMQ_HOME/conf/rmq.${4}.logback.xml" \
    -cp "$RMQ_HOME/conf:$RMQ_HOME/lib/*" "$1" -c "$2" > "$3/stdout.log" 2>&1 &
  pids+=($!)
}
wait_port() { for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened"; exit 1; }
props() { # file role id port store namesrv
  cat > "$1" <<P
brokerClusterName=MixedCluster
brokerName=broker-mixed
brokerId=$3
brokerRole=$2
listenPort=$4
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
namesrvAddr=127.0.0.1:$6
storePathRootDir=$5
storePathCommitLog=$5/commitlog
autoCreateTopicEnable=true
flushDiskType=ASYNC_FLUSH
P
}
send() { # namesrv topic
  (cd "$ROOT/Tests/Interop" && HOME=$WORK PYTHONPATH=. "$PY" ha_send.py "127.0.0.1:$1" "$2" mixed 200 --until-ok 60) | grep -v "^\[20"
}
compare() { # master-store slave-store
  local m=$1/commitlog s=$2/commitlog ok=1
  for f in "$m"/*; do
    n=$(basename "$f")
    if [ ! -f "$s/$n" ] && cmp -s -n "$(stat -c%s "$f")" "$f" /dev/zero; then
      echo "  $n only pre-allocated on the master (all zero)"; continue
    fi
    cmp -s "$f" "$s/$n" && echo "  $n identical" || { echo "  $n DIFFERS"; ok=0; }
  done
  [ $ok = 1 ]
}
units() { # store topic: consume-queue units the slave built for the topic (20-byte units with a size)
  python3 - "$1/consumequeue/$2" <<'PY'
import os, struct, sys
total = 0
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        data = open(os.path.join(root, name), "rb").read()
        total += sum(1 for i in range(0, len(data) - 19, 20) if struct.unpack(">i", data[i + 8:i + 12])[0] > 0)
print(total)
PY
}
stop_all() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]:-}"; do wait "$p" 2>/dev/null || true; done; pids=(); }

echo "== 1. Java master, Swift slave"
echo "listenPort=$NS" > "$WORK/ns1.properties"
java_run org.apache.rocketmq.namesrv.NamesrvStartup "$WORK/ns1.properties" "$WORK/jns1" namesrv; wait_port $NS
props "$WORK/jm.properties" SYNC_MASTER 0 $MP "$WORK/jm-store" $NS
# 5.x's SYNC_MASTER waits for a slave only when it is told the group has two replicas in sync (4.x always did).
printf 'totalReplicas=2\ninSyncReplicas=2\n' >> "$WORK/jm.properties"
java_run org.apache.rocketmq.broker.BrokerStartup "$WORK/jm.properties" "$WORK/jm" broker; wait_port $MP
props "$WORK/ss.properties" SLAVE 1 $SP "$WORK/ss-store" $NS
HOME=$WORK "$BIN/mqbroker" -c "$WORK/ss.properties" > "$WORK/ss.log" 2>&1 & pids+=($!); wait_port $SP
out=$(send $NS MixedTopic1); echo "$out" | head -3
[ "$(echo "$out" | grep -c ' OK ')" = 200 ] || { echo "not all 200 SEND_OK"; echo "$out" | grep -v ' OK ' | head; exit 1; }
sleep 2; stop_all
compare "$WORK/jm-store" "$WORK/ss-store"
n=$(units "$WORK/ss-store" MixedTopic1); echo "  our slave's consume queues hold $n messages of MixedTopic1"; [ "$n" -ge 200 ]

echo "== 2. Swift master, Java slave"
echo "listenPort=$NS" > "$WORK/ns2.conf"
HOME=$WORK "$BIN/mqnamesrv" -c "$WORK/ns2.conf" > "$WORK/ns2.log" 2>&1 & pids+=($!); wait_port $NS
props "$WORK/sm.properties" SYNC_MASTER 0 $MP "$WORK/sm-store" $NS
HOME=$WORK "$BIN/mqbroker" -c "$WORK/sm.properties" > "$WORK/sm.log" 2>&1 & pids+=($!); wait_port $MP
props "$WORK/js.properties" SLAVE 1 $SP "$WORK/js-store" $NS
java_run org.apache.rocketmq.broker.BrokerStartup "$WORK/js.properties" "$WORK/js" broker; wait_port $SP
out=$(send $NS MixedTopic2); echo "$out" | head -3
[ "$(echo "$out" | grep -c ' OK ')" = 200 ] || { echo "not all 200 SEND_OK"; echo "$out" | grep -v ' OK ' | head; exit 1; }
sleep 2; stop_all
compare "$WORK/sm-store" "$WORK/js-store"
n=$(units "$WORK/js-store" MixedTopic2); echo "  the Java slave's consume queues hold $n messages of MixedTopic2"; [ "$n" -ge 200 ]
echo "mixed clusters: both directions replicate byte-identically (work dir $WORK)"
