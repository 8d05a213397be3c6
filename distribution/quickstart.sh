#!/usr/bin/env bash
# The seeds' quickstart, word for word from the distribution zip: unzip, start the name server and a
# broker, run the quickstart Producer (1000 messages) and Consumer, then stop both with mqshutdown.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zip="$(bash "$root/distribution/build.sh" | tail -n 1)"
work="$(mktemp -d /tmp/rocketmq-quickstart.XXXXXX)"
cd "$work"
unzip -q "$zip"
cd rocketmq-swift-*
export ROCKETMQ_PID_DIR="$work/pids"
# Waits for a server's boot line; stops the quickstart (and what it started) if it never comes, e.g.
# when another name server or broker already holds port 9876 or 10911.
wait_boot() {
    for _ in $(seq 1 100); do grep -q "boot success" "$2" 2>/dev/null && { cat "$2"; return 0; }; sleep 0.1; done
    cat "$2"
    echo "quickstart: $1 did not start (see above); is another one already using its port?" >&2
    sh bin/mqshutdown broker > /dev/null 2>&1 || true
    sh bin/mqshutdown namesrv > /dev/null 2>&1 || true
    exit 1
}
nohup sh bin/mqnamesrv > "$work/namesrv.out" 2>&1 &
wait_boot "the name server" "$work/namesrv.out"
nohup sh bin/mqbroker -n localhost:9876 -c conf/broker.conf > "$work/broker.out" 2>&1 &
wait_boot "the broker" "$work/broker.out"
export NAMESRV_ADDR=localhost:9876
sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer | tee "$work/producer.out" | tail -n 3
echo "SEND_OK results: $(grep -c 'sendStatus=SEND_OK' "$work/producer.out")"
sh bin/tools.sh org.apache.rocketmq.example.quickstart.Consumer --count 1000 | tee "$work/consumer.out" | tail -n 3
echo "received: $(grep -c 'Receive New Messages' "$work/consumer.out")"
sh bin/mqshutdown broker
sh bin/mqshutdown namesrv
echo "quickstart done; files in $work"
