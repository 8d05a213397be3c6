#!/bin/sh
# Runs an example or tool by our name or by upstream's Java class name, e.g.
#   sh bin/tools.sh org.apache.rocketmq.example.quickstart.Producer
#   sh bin/tools.sh quickstart-producer
if [ -z "$ROCKETMQ_HOME" ]; then ROCKETMQ_HOME=$(cd "$(dirname "$0")/.." && pwd); fi
if [ $# -lt 1 ]; then echo "Usage: tools.sh <example|class name> [args...]"; exit 1; fi
cls="$1"; shift
case "$cls" in
  org.apache.rocketmq.example.*)
    sub=$(echo "$cls" | sed 's/^org\.apache\.rocketmq\.example\.//') ;;
  org.apache.rocketmq.tools.command.MQAdminStartup) exec "$ROCKETMQ_HOME/lib/mqadmin" "$@" ;;
  org.apache.rocketmq.example.benchmark.*) sub="$cls" ;;
  *) sub="$cls" ;;
esac
exec "$ROCKETMQ_HOME/lib/rocketmq-example" "$sub" "$@"
