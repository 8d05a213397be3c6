#!/usr/bin/env bash
# Request-reply and message trace against the Java RocketMQ 5.2.0 release's own example clients (not in
# CI: the release cannot be fetched there). Our name server and broker; Java clients via bin/tools.sh.
#   [RMQ_HOME=<...>/rocketmq-all-5.2.0-bin-release] tools/scripts/java-rpc-trace-interop.sh [swift-bin-dir]
# 1. Java rpc.ResponseConsumer + Java rpc.RequestProducer      (Java ↔ Java through our broker)
# 2. Java rpc.ResponseConsumer + our rpc.RequestProducer       (our requester, Java responder)
# 3. our rpc.ResponseConsumer  + Java rpc.RequestProducer      (Java requester, our responder)
# 4. Java tracemessage.TraceProducer (+ TracePushConsumer) → RMQ_SYS_TRACE_TOPIC → our mqadmin queryMsgTraceById
# 5. our tracemessage.TraceProducer (+ TracePushConsumer) → RMQ_SYS_TRACE_TOPIC → Java's mqadmin queryMsgTraceById
# The Java RPC examples hard-code namesrv 127.0.0.1:9876, so the script re-runs itself in a private network
# namespace (unshare -n) where 9876 is ours and nobody else's cluster is disturbed; without one it uses 9876
# only if that port is free, else it skips the RPC part.
set -euo pipefail
RMQ_HOME=${RMQ_HOME:-/work/.java-rocketmq/rocketmq-all-5.2.0-bin-release}
if [ ! -f "$RMQ_HOME/bin/tools.sh" ] || ! ls "$RMQ_HOME"/lib/rocketmq-example-*.jar > /dev/null 2>&1; then
  echo "SKIP: the Java RocketMQ release (with its example jar) is not at RMQ_HOME=$RMQ_HOME"
  exit 0
fi
if ! command -v java > /dev/null; then echo "SKIP: no java on PATH"; exit 0; fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${1:-$ROOT/.build/debug}
BIN=$(cd "$BIN" && pwd)
for b in mqnamesrv mqbroker mqadmin rocketmq-example; do
  [ -x "$BIN/$b" ] || { echo "missing $BIN/$b: run 'swift build' first (or pass the bin dir)"; exit 1; }
done

if [ -z "${RPC_TRACE_IN_NETNS:-}" ] && command -v unshare > /dev/null; then
  flags=-n; [ "$(id -u)" = 0 ] || flags=-rn
  if unshare $flags true 2> /dev/null; then
    exec env RPC_TRACE_IN_NETNS=1 unshare $flags bash -c 'ip link set lo up && exec bash "$0" "$@"' "$0" "$BIN"
  fi
fi

port_free() { ! (echo > /dev/tcp/127.0.0.1/$1) 2> /dev/null; }
NS=9876
RPC=1
if [ -z "${RPC_TRACE_IN_NETNS:-}" ]; then
  if ! port_free 9876; then NS=19876; RPC=0; fi
  echo "(no private network namespace; name server on $NS)"
else
  echo "(private network namespace: name server on 9876, broker on 20911)"
fi
BP=20911
NAMESRV=127.0.0.1:$NS
WORK=$(mktemp -d /tmp/rmq-java-rpc-trace.XXXXXX)
pids=()
# A background job here is a subshell running tools.sh running java: stop the whole tree we started,
# children first (found by parent id).
stop() { # pid [signal]
  local c
  for c in $(pgrep -P "$1" 2> /dev/null); do stop "$c" "${2:-TERM}"; done
  kill -"${2:-TERM}" "$1" 2> /dev/null || true
}
cleanup() {
  for p in "${pids[@]:-}"; do stop "$p"; done
  sleep 1
  for p in "${pids[@]:-}"; do stop "$p" KILL; done
}
trap cleanup EXIT
wait_port() { for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/$1) 2> /dev/null && return 0; sleep 0.2; done; echo "port $1 never opened"; exit 1; }
wait_line() { # file pattern seconds
  for _ in $(seq 1 $(($3 * 5))); do grep -q "$2" "$1" 2> /dev/null && return 0; sleep 0.2; done
  echo "no '$2' in $1 after $3 s:"; tail -20 "$1"; exit 1
}
# The Java release's own launcher; its example classes are in lib/. A small heap: three JVMs share the host.
java_tool() {
  ROCKETMQ_HOME=$RMQ_HOME NAMESRV_ADDR=$NAMESRV JAVA_OPT="-Duser.home=$WORK/java-home" \
    sh "$RMQ_HOME/bin/tools.sh" -Xms256m -Xmx256m "$@"
}
mqadmin() { HOME=$WORK "$BIN/mqadmin" "$@" -n "$NAMESRV"; }
example() { HOME=$WORK NAMESRV_ADDR=$NAMESRV "$BIN/rocketmq-example" "$@"; }

echo "listenPort=$NS" > "$WORK/namesrv.conf"
cat > "$WORK/broker.conf" << P
brokerClusterName=DefaultCluster
brokerName=broker-rpc
brokerId=0
listenPort=$BP
brokerIP1=127.0.0.1
namesrvAddr=$NAMESRV
storePathRootDir=$WORK/store
autoCreateTopicEnable=true
traceTopicEnable=true
P
HOME=$WORK "$BIN/mqnamesrv" -c "$WORK/namesrv.conf" > "$WORK/namesrv.log" 2>&1 & pids+=($!)
wait_port $NS
HOME=$WORK "$BIN/mqbroker" -c "$WORK/broker.conf" > "$WORK/broker.log" 2>&1 & pids+=($!)
wait_port $BP
for t in RequestTopic TopicTest; do mqadmin updateTopic -b 127.0.0.1:$BP -t $t > /dev/null; done
for _ in $(seq 1 50); do mqadmin topicRoute -t RequestTopic > /dev/null 2>&1 && break; sleep 0.2; done
echo "our name server $NAMESRV, our broker 127.0.0.1:$BP (traceTopicEnable=true), work dir $WORK"

fail=0
check() { # label file pattern
  if grep -q "$3" "$2"; then echo "  PASS $1"; else echo "  FAIL $1 (no '$3' in $2)"; fail=1; fi
}

if [ $RPC = 1 ]; then
  echo "== 1. Java ResponseConsumer, Java RequestProducer"
  java_tool org.apache.rocketmq.example.rpc.ResponseConsumer > "$WORK/java-responder.log" 2>&1 & pids+=($!)
  jr=$!
  wait_line "$WORK/java-responder.log" "Consumer Started" 60
  sleep 3  # first rebalance of the new consumer (it starts from the last offset)
  java_tool org.apache.rocketmq.example.rpc.RequestProducer > "$WORK/java-requester-1.log" 2>&1 || true
  grep -E "request to|Exception" "$WORK/java-requester-1.log" | head -3 | cut -c1-400 || true
  check "Java requester got the Java responder's reply" "$WORK/java-requester-1.log" "replyMessage: MessageExt .*toString()=Message{topic='DefaultCluster_REPLY_TOPIC'"
  grep "reply to" "$WORK/java-responder.log" | head -1 | cut -c1-300 || true

  echo "== 2. Java ResponseConsumer, our RequestProducer"
  example rpc.RequestProducer --count 3 > "$WORK/swift-requester.log" 2>&1 || true
  grep -E "request to" "$WORK/swift-requester.log" | head -3 | cut -c1-400 || true
  check "our requester got 3 replies from the Java responder" "$WORK/swift-requester.log" "body: reply message contents."
  [ "$(grep -c 'body: reply message contents.' "$WORK/swift-requester.log")" = 3 ] || { echo "  FAIL not 3 replies"; fail=1; }
  stop $jr; wait $jr 2> /dev/null || true

  echo "== 3. our ResponseConsumer, Java RequestProducer"
  example rpc.ResponseConsumer --timeout 90 > "$WORK/swift-responder.log" 2>&1 & pids+=($!)
  sr=$!
  wait_line "$WORK/swift-responder.log" "Consumer Started" 30
  sleep 3
  java_tool org.apache.rocketmq.example.rpc.RequestProducer > "$WORK/java-requester-3.log" 2>&1 || true
  grep -E "request to|Exception" "$WORK/java-requester-3.log" | head -3 | cut -c1-400 || true
  check "Java requester got our responder's reply" "$WORK/java-requester-3.log" "replyMessage: MessageExt .*toString()=Message{topic='DefaultCluster_REPLY_TOPIC'"
  # Requests of step 2 whose requester has gone may be answered too; the broker refuses those (channel not found).
  grep "reply to" "$WORK/swift-responder.log" | head -1 | cut -c1-300 || true
  check "our responder's reply was accepted (pushed to the Java requester)" "$WORK/swift-responder.log" "reply to .*sendStatus=SEND_OK"
  stop $sr; wait $sr 2> /dev/null || true
else
  echo "== 1-3 SKIPPED: port 9876 is taken and no network namespace is available (the Java RPC examples need 9876)"
fi

echo "== 4. Java TraceProducer (+ TracePushConsumer) → our broker → our mqadmin queryMsgTraceById"
java_tool org.apache.rocketmq.example.tracemessage.TracePushConsumer > "$WORK/java-trace-consumer.log" 2>&1 & pids+=($!)
tc=$!
wait_line "$WORK/java-trace-consumer.log" "Consumer Started" 60
java_tool org.apache.rocketmq.example.tracemessage.TraceProducer > "$WORK/java-trace-producer.log" 2>&1 || true
sent=$(grep -c "sendStatus=SEND_OK" "$WORK/java-trace-producer.log" || true)
echo "  Java TraceProducer: $sent of 128 SEND_OK"
id=$(grep -m1 -o "msgId=[0-9A-F]*" "$WORK/java-trace-producer.log" | cut -d= -f2 || true)
[ -n "$id" ] || { echo "  FAIL no msgId from the Java TraceProducer"; tail -5 "$WORK/java-trace-producer.log"; exit 1; }
out=""
for _ in $(seq 1 100); do
  out=$(mqadmin queryMsgTraceById -i "$id" 2>&1 || true)
  echo "$out" | grep -q "^Sub " && break
  sleep 0.3
done
echo "  mqadmin queryMsgTraceById -i $id:"
echo "$out" | sed 's/^/    /'
echo "$out" | grep -q "^Pub  *ProducerGroupName .* success" && echo "  PASS Pub record printed" || { echo "  FAIL no Pub row"; fail=1; }
echo "$out" | grep -q "^Sub " && echo "  PASS Sub record of the Java consumer printed" || { echo "  FAIL no Sub row"; fail=1; }
stop $tc
traces=$(mqadmin topicStatus -t RMQ_SYS_TRACE_TOPIC 2>&1 | awk 'NR==2 {print $4}' || true)
echo "  RMQ_SYS_TRACE_TOPIC holds $traces trace messages"

echo "== 5. our TraceProducer (+ TracePushConsumer) → our broker → Java's mqadmin queryMsgTraceById"
example tracemessage.TracePushConsumer --timeout 90 > "$WORK/swift-trace-consumer.log" 2>&1 & pids+=($!)
sc=$!
wait_line "$WORK/swift-trace-consumer.log" "Consumer Started" 30
example tracemessage.TraceProducer --count 8 > "$WORK/swift-trace-producer.log" 2>&1 || true
echo "  our TraceProducer: $(grep -c "sendStatus=SEND_OK" "$WORK/swift-trace-producer.log" || true) of 8 SEND_OK"
id=$(grep -m1 -o "msgId=[0-9A-F]*" "$WORK/swift-trace-producer.log" | cut -d= -f2 || true)
[ -n "$id" ] || { echo "  FAIL no msgId from our TraceProducer"; tail -5 "$WORK/swift-trace-producer.log"; exit 1; }
out=""
for _ in $(seq 1 20); do
  out=$(ROCKETMQ_HOME=$RMQ_HOME JAVA_OPT="-Duser.home=$WORK/java-home" sh "$RMQ_HOME/bin/mqadmin" queryMsgTraceById \
    -n "$NAMESRV" -i "$id" 2>&1 || true)
  echo "$out" | grep -q "^Sub " && break
  sleep 1
done
echo "  Java mqadmin queryMsgTraceById -i $id:"
echo "$out" | sed 's/^/    /'
echo "$out" | grep -q "^Pub  *ProducerGroupName .* success" && echo "  PASS Java's tool prints our Pub record" || { echo "  FAIL no Pub row"; fail=1; }
echo "$out" | grep -q "^Sub  *ProducerGroupName .* success" && echo "  PASS Java's tool prints our consumer's Sub record" || { echo "  FAIL no Sub row"; fail=1; }
stop $sc

[ $fail = 0 ] && echo "java rpc/trace interop: all checks passed" || { echo "java rpc/trace interop: FAILED (logs in $WORK)"; exit 1; }
