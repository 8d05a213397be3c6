#!/bin/sh
# Producer benchmark: sh benchmark/producer.sh -t BenchmarkTest -s 1024 -w 64 -d 30
if [ -z "$ROCKETMQ_HOME" ]; then ROCKETMQ_HOME=$(cd "$(dirname "$0")/.." && pwd); fi
exec "$ROCKETMQ_HOME/lib/mqbench" producer "$@"
