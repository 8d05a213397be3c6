# RocketMQ-Swift — Apache License 2.0
"""Sends with the official C++ client (async sends, awaited one by one) and prints one line per send:
`<index> <status> <msgId>`.

Run inside a network namespace by test_ha_partition.py (the client is another host there):
    python ha_send.py <namesrv> <topic> <prefix> <count> [--until-ok SECONDS]
`--until-ok` first repeats a warm-up send until one answers SEND_OK (prints `warmup <n>`).
"""

import sys
import time

from rmq_helpers import InteropProducer, SendStatus


def main(argv):
    namesrv, topic, prefix, count = argv[1], argv[2], argv[3], int(argv[4])
    until_ok = float(argv[argv.index("--until-ok") + 1]) if "--until-ok" in argv else None
    producer = InteropProducer(namesrv).start()
    try:
        if until_ok is not None:
            deadline = time.monotonic() + until_ok
            tries = 0
            while True:
                tries += 1
                try:
                    if producer.send_sync(topic, "warmup").status == SendStatus.OK:
                        break
                except Exception:
                    pass
                if time.monotonic() > deadline:
                    print("warmup-failed %d" % tries, flush=True)
                    return 1
                time.sleep(0.2)
            print("warmup %d" % tries, flush=True)
        for i in range(count):
            # A fresh C++ producer may not have the route for its first sends ("No route info"): such a
            # send never left the client, so it is retried; any other failure is printed.
            deadline = time.monotonic() + 20
            while True:
                try:
                    # The C++ client's sync send retries any non-OK status and then only says "No route
                    # info"; its async send hands the broker's status to the callback, so use that.
                    r = producer.send_async(topic, "%s-%d" % (prefix, i)).wait(30)
                    print("%d %s %s" % (i, r.status.name, r.msg_id), flush=True)
                    break
                except Exception as exc:
                    text = str(exc).replace("\n", " ")
                    if "No route info" in text and time.monotonic() < deadline:
                        time.sleep(0.2)
                        continue
                    print("%d ERROR %s %s" % (i, type(exc).__name__, text[:300]), flush=True)
                    break
    finally:
        producer.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
