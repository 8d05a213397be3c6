#!/bin/sh
# Consumer benchmark: sh benchmark/consumer.sh -t BenchmarkTest -g benchmark_consumer
if [ -z "$ROCKETMQ_HOME" ]; then ROCKETMQ_HOME=$(cd "$(dirname "$0")/.." && pwd); fi
exec "$ROCKETMQ_HOME/lib/mqbench" consumer "$@"
