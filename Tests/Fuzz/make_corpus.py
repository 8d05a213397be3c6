#!/usr/bin/env python3
"""Writes the seed corpora (Corpus/<target>/) from the wire layouts in shared/PROTOCOL.md.

Small, real inputs: a SEND_MESSAGE_V2 request and its response in both header codecs, stored messages as a
pull body carries them (IPv4 and IPv6 hosts), a batch send body, HA transfers and reports, properties strings
and SQL92 selectors from the upstream examples. Run it again after changing a layout; the files are committed.
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")


def write(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def json_header(code, opaque, flag, ext, remark=None, language="JAVA"):
    h = {"code": code, "flag": flag, "language": language, "opaque": opaque,
         "serializeTypeCurrentRPC": "JSON", "version": 453}
    if ext:
        h["extFields"] = ext
    if remark is not None:
        h["remark"] = remark
    return json.dumps(h, separators=(",", ":")).encode()


def rocketmq_header(code, opaque, flag, ext, remark=None, language=0):
    r = (remark or "").encode()
    fields = b"".join(struct.pack(">h", len(k.encode())) + k.encode() + struct.pack(">i", len(v.encode())) + v.encode()
                      for k, v in ext.items())
    return (struct.pack(">hBhii", code, language, 453, opaque, flag) + struct.pack(">i", len(r)) + r
            + struct.pack(">i", len(fields)) + fields)


def frame(header, serialize_type, body=b""):
    return struct.pack(">iI", 4 + len(header) + len(body), serialize_type << 24 | len(header)) + header + body


PROPS = "TAGS\x01TagA\x02KEYS\x01key1 key2\x02UNIQ_KEY\x017F0000010001\x02WAIT\x01true"
SEND_V2 = {"a": "please_rename_unique_group_name", "b": "TopicTest", "c": "TBW102", "d": "4", "e": "0",
           "f": "0", "g": "1700000000000", "h": "0", "i": PROPS, "j": "0", "k": "false", "m": "false"}
RESPONSE = {"msgId": "7F00000100002A9F0000000000000000", "queueId": "0", "queueOffset": "0"}

json_request = json_header(310, 1, 0, SEND_V2)
json_response = json_header(0, 1, 1, RESPONSE, remark="")
bin_request = rocketmq_header(310, 1, 0, SEND_V2)
bin_response = rocketmq_header(0, 1, 1, RESPONSE, remark="OK")
write("FuzzJSONHeader", "send-v2-request", json_request)
write("FuzzJSONHeader", "send-response", json_response)
write("FuzzJSONHeader", "heartbeat-ordinal-language", json_header(34, 7, 0, {}, language=0).replace(b'"JAVA"', b"0"))
write("FuzzJSONHeader", "escapes", b'{"code":10,"extFields":{"k\\u00e9y":"v\\n\\"\\\\\\ud83d\\ude00","n":12,"b":true},'
                                    b'"flag":0,"language":"CPP","opaque":-5,"remark":null,"version":0}')
write("FuzzRocketMQHeader", "send-v2-request", bin_request)
write("FuzzRocketMQHeader", "send-response", bin_response)
write("FuzzRocketMQHeader", "empty", rocketmq_header(105, 3, 0, {}))

# One byte of chunking control, then the stream (see FuzzFrameParser).
write("FuzzFrameParser", "json-request-and-response", b"\x07" + frame(json_request, 0, b"Hello RocketMQ")
      + frame(json_response, 0))
write("FuzzFrameParser", "rocketmq-request", b"\x00" + frame(bin_request, 1, b"Hello RocketMQ"))
write("FuzzFrameParser", "mixed", b"\x3f" + frame(bin_response, 1) + frame(json_request, 0, b"x" * 40))


def stored(topic, body, props, queue_offset=0, phys=0, v6=False, sys_flag=0):
    born = (b"\x00" * 15 + b"\x01") if v6 else b"\x7f\x00\x00\x01"
    if v6:
        sys_flag |= 0x10 | 0x20
    t, p = topic.encode(), props.encode()
    rest = (struct.pack(">i", -626843481) + struct.pack(">i", 0x1234) + struct.pack(">i", 2) + struct.pack(">i", 0)
            + struct.pack(">q", queue_offset) + struct.pack(">q", phys) + struct.pack(">i", sys_flag)
            + struct.pack(">q", 1700000000000) + born + struct.pack(">i", 54321) + struct.pack(">q", 1700000000001)
            + born + struct.pack(">i", 10911) + struct.pack(">i", 0) + struct.pack(">q", 0)
            + struct.pack(">i", len(body)) + body + struct.pack(">B", len(t)) + t + struct.pack(">h", len(p)) + p)
    return struct.pack(">i", 4 + len(rest)) + rest


m1 = stored("TopicTest", b"Hello RocketMQ 0", PROPS)
m2 = stored("TopicTest", b"Hello RocketMQ 1", PROPS, queue_offset=1, phys=len(m1))
write("FuzzStoredMessage", "pull-body-two", m1 + m2)
write("FuzzStoredMessage", "ipv6-hosts", stored("T6", b"", "a\x01b", v6=True))
write("FuzzStoredMessage", "no-properties", stored("%RETRY%group", b"\x00" * 8, ""))

write("FuzzProperties", "send", PROPS)
write("FuzzProperties", "cpp-trailing-separator", "TAGS\x01TagA\x02DELAY\x013\x02")
write("FuzzProperties", "empty-parts", "\x01x\x02a\x01\x02\x02b\x01c\x01d")
write("FuzzProperties", "utf8", "k\x01\u4e2d\u6587\x02\U0001f600\x01v")


def batch_record(body, props):
    p = props.encode()
    rest = struct.pack(">iiii", 0, 0, 0, len(body)) + body + struct.pack(">h", len(p)) + p
    return struct.pack(">i", 4 + len(rest)) + rest


write("FuzzBatchBody", "three", b"".join(batch_record(("Hello %d" % i).encode(), "TAGS\x01TagA\x02KEYS\x01k%d" % i)
                                         for i in range(3)))
write("FuzzBatchBody", "no-properties", batch_record(b"x", ""))

for i, sql in enumerate(["a > 0", "TAGS IN ('TagA', 'TagB') AND a BETWEEN 0 AND 3",
                         "c LIKE 'a%' OR c NOT LIKE '_b_' ESCAPE '\\'", "b IS NOT NULL AND NOT (neg >= -3.5e1)",
                         "flag = TRUE AND s <> 'x' AND big < 9223372036854775807",
                         "(a = 1 OR b = 2.5) AND c IN ('abc') AND u = '\u4e2d\u6587' AND KEYS CONTAINS 'k1'",
                         "a IS NULL", "e / 0 > 1", "STARTSWITH(c, 'ab')", "c STARTSWITH 'ab' AND c ENDSWITH 'bc'"]):
    write("FuzzSQL92", "selector-%d" % i, sql)

# One byte of chunking control, then the master's transfers (offset, size, body) or the slave's reports.
transfer = struct.pack(">qi", 0, len(m1)) + m1 + struct.pack(">qi", len(m1), 0)
write("FuzzHAFrames", "transfers", b"\x03" + transfer)
write("FuzzHAFrames", "reports", b"\x05" + struct.pack(">qqq", 0, 4096, 8192) + b"\x00\x01")
