# RocketMQ-Swift — Apache License 2.0
"""Thin helpers over the PyPI `rocketmq` 0.4.4 package (official C++ client 1.2.x, ctypes wrapper).

Works around the wrapper's quirks (PROTOCOL.md §13.4):
* every producer/consumer gets its own group-unique *instance name* (clients sharing an instance
  share one client factory, which only rebalances immediately for its first consumer);
* bodies are set with `SetByteMessageBody` and read back binary-safe (the wrapper's `set_body` /
  `GetMessageBody` stop at the first NUL byte);
* message callbacks return a ConsumeStatus explicitly (exceptions become RECONSUME_LATER here);
* new consumer groups start from the FIRST offset via the exported C++ method
  `DefaultMQPushConsumer::setConsumeFromWhere` (the C API only exposes LAST);
* a never-started push consumer is left alone at teardown (shutting down or destroying it hangs).
"""

import ctypes
import threading
import time
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from rocketmq.client import Message, SendResult, SendStatus
from rocketmq.exceptions import ffi_check
from rocketmq.ffi import (
    MSG_CALLBACK_FUNC,
    QUEUE_SELECTOR_CALLBACK,
    SEND_EXCEPTION_CALLBACK,
    SEND_SUCCESS_CALLBACK,
    MessageModel,
    dll,
)

__all__ = [
    "CONSUME_SUCCESS", "RECONSUME_LATER", "CONSUME_FROM_LAST_OFFSET", "CONSUME_FROM_FIRST_OFFSET",
    "MessageModel", "SendStatus", "SendResult", "unique_name", "make_message", "read_body",
    "ReceivedMessage", "MessageCollector", "AsyncSend", "InteropProducer", "InteropPushConsumer",
    "ClientTracker", "WARMUP_TAG", "DEFAULT_PROPERTY_NAMES",
]

# `_CConsumeStatus` values.
CONSUME_SUCCESS = 0
RECONSUME_LATER = 1

# C++ `rocketmq::ConsumeFromWhere`.
CONSUME_FROM_LAST_OFFSET = 0
CONSUME_FROM_FIRST_OFFSET = 4
CONSUME_FROM_TIMESTAMP = 5

# Tag of the message `InteropProducer.ensure_topic` sends to auto-create a topic; collectors drop it.
WARMUP_TAG = "__warmup__"

# Properties every ReceivedMessage records (the C API can only read properties by name).
DEFAULT_PROPERTY_NAMES = (
    "UNIQ_KEY", "KEYS", "TAGS", "DELAY", "RETRY_TOPIC", "REAL_TOPIC", "REAL_QID", "ORIGIN_MESSAGE_ID",
    "RECONSUME_TIME", "MAX_RECONSUME_TIMES", "MIN_OFFSET", "MAX_OFFSET", "PGROUP", "WAIT",
)

# --- exported C++ symbols the C API does not wrap -------------------------------------------------

# `const std::string& rocketmq::MQMessage::getBody() const`. The library uses the pre-C++11
# (copy-on-write) std::string ABI: the object is one pointer to the character data, and the length is
# the first size_t of the `_Rep` header 24 bytes before it. CMessage*/CMessageExt* are MQMessage*.
_get_body_ref = dll._ZNK8rocketmq9MQMessage7getBodyEv
_get_body_ref.argtypes = [ctypes.c_void_p]
_get_body_ref.restype = ctypes.c_void_p

# `void rocketmq::DefaultMQPushConsumer::setConsumeFromWhere(ConsumeFromWhere)`; a CPushConsumer* is a
# DefaultMQPushConsumer* (the C API calls its methods on the handle directly).
_set_consume_from_where = dll._ZN8rocketmq21DefaultMQPushConsumer19setConsumeFromWhereENS_16ConsumeFromWhereE
_set_consume_from_where.argtypes = [ctypes.c_void_p, ctypes.c_int]
_set_consume_from_where.restype = None

dll.SetProducerCompressMsgBodyOverHowmuch.argtypes = [ctypes.c_void_p, ctypes.c_int]
dll.SetProducerCompressMsgBodyOverHowmuch.restype = ctypes.c_int
dll.SendMessageOrderlyAsync.restype = ctypes.c_int


def unique_name(prefix: str) -> str:
    """A topic/group/instance name unique to this test run (letters, digits, `_`, `-` only)."""
    return "%s_%s" % (prefix, uuid.uuid4().hex[:12])


def _to_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def read_body(handle) -> bytes:
    """The full body of a CMessage/CMessageExt handle, NUL bytes included."""
    if not handle:
        return b""
    string_object = _get_body_ref(handle)
    data = ctypes.c_void_p.from_address(string_object).value
    if not data:
        return b""
    length = ctypes.c_size_t.from_address(data - 24).value
    return ctypes.string_at(data, length)


def make_message(topic: str, body, tags: Optional[str] = None, keys: Optional[str] = None,
                 properties: Optional[Dict[str, str]] = None, delay_level: Optional[int] = None) -> Message:
    """A wrapper `Message` with a binary-safe body."""
    msg = Message(topic)
    data = _to_bytes(body)
    ffi_check(dll.SetByteMessageBody(msg._handle, data, len(data)))
    if tags is not None:
        msg.set_tags(tags)
    if keys is not None:
        msg.set_keys(keys)
    for name, value in (properties or {}).items():
        msg.set_property(name, value)
    if delay_level is not None:
        msg.set_delay_time_level(delay_level)
    return msg


def _decode(value) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


@dataclass
class ReceivedMessage:
    topic: str
    tags: Optional[str]
    keys: Optional[str]
    body: bytes
    msg_id: str
    queue_id: int
    queue_offset: int
    reconsume_times: int
    store_size: int
    born_timestamp: int
    store_timestamp: int
    properties: Dict[str, str]
    consumer: str
    received_at: float = field(default_factory=time.time)

    @property
    def user_key(self) -> Optional[str]:
        return self.properties.get("UNIQ_KEY")

    @staticmethod
    def from_handle(handle, consumer: str, property_names: Iterable[str]) -> "ReceivedMessage":
        props = {}
        for name in property_names:
            value = _decode(dll.GetMessageProperty(handle, _to_bytes(name)))
            if value:
                props[name] = value
        return ReceivedMessage(
            topic=_decode(dll.GetMessageTopic(handle)) or "",
            tags=_decode(dll.GetMessageTags(handle)),
            keys=_decode(dll.GetMessageKeys(handle)),
            body=read_body(handle),
            msg_id=_decode(dll.GetMessageId(handle)) or "",
            queue_id=dll.GetMessageQueueId(handle),
            queue_offset=dll.GetMessageQueueOffset(handle),
            reconsume_times=dll.GetMessageReconsumeTimes(handle),
            store_size=dll.GetMessageStoreSize(handle),
            born_timestamp=dll.GetMessageBornTimestamp(handle),
            store_timestamp=dll.GetMessageStoreTimestamp(handle),
            properties=props,
            consumer=consumer,
        )

    def __repr__(self):
        body = self.body if len(self.body) <= 48 else self.body[:48] + b"...(%d bytes)" % len(self.body)
        return "<Received %s tags=%r keys=%r q=%d@%d reconsume=%d body=%r>" % (
            self.msg_id, self.tags, self.keys, self.queue_id, self.queue_offset, self.reconsume_times, body)


class MessageCollector:
    """Thread-safe record of received messages with deadline-based waits."""

    def __init__(self, name: str = "collector", ignore_tags: Sequence[str] = (WARMUP_TAG,)):
        self.name = name
        self.ignore_tags = set(ignore_tags)
        self._messages: List[ReceivedMessage] = []
        self._cond = threading.Condition()

    def add(self, message: ReceivedMessage) -> None:
        if message.tags in self.ignore_tags:
            return
        with self._cond:
            self._messages.append(message)
            self._cond.notify_all()

    @property
    def messages(self) -> List[ReceivedMessage]:
        with self._cond:
            return list(self._messages)

    def __len__(self):
        with self._cond:
            return len(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()

    def wait_until(self, predicate: Callable[[List[ReceivedMessage]], bool], timeout: float,
                   description: str = "condition") -> List[ReceivedMessage]:
        """Waits until `predicate(messages)` holds; raises AssertionError with a summary at the deadline."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                snapshot = list(self._messages)
                if predicate(snapshot):
                    return snapshot
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("%s: timed out after %.1fs waiting for %s; have %d message(s): %s" % (
                        self.name, timeout, description, len(snapshot), _summary(snapshot)))
                self._cond.wait(min(remaining, 0.5))

    def wait_for_count(self, count: int, timeout: float = 30.0) -> List[ReceivedMessage]:
        return self.wait_until(lambda ms: len(ms) >= count, timeout, "%d message(s)" % count)

    def wait_for_ids(self, msg_ids: Iterable[str], timeout: float = 30.0) -> List[ReceivedMessage]:
        wanted = set(msg_ids)
        return self.wait_until(lambda ms: wanted <= {m.msg_id for m in ms}, timeout,
                               "%d specific message id(s)" % len(wanted))

    def wait_for_bodies(self, bodies: Iterable[bytes], timeout: float = 30.0) -> List[ReceivedMessage]:
        wanted = set(bodies)
        return self.wait_until(lambda ms: wanted <= {m.body for m in ms}, timeout,
                               "%d specific bodies" % len(wanted))

    def assert_quiet(self, count: int, settle: float = 2.0) -> List[ReceivedMessage]:
        """Checks that no more than `count` messages arrive within `settle` seconds (for "nothing
        else is delivered" assertions; the only fixed wait in the helpers)."""
        deadline = time.monotonic() + settle
        with self._cond:
            while True:
                if len(self._messages) > count:
                    raise AssertionError("%s: expected no more than %d message(s), got %d: %s" % (
                        self.name, count, len(self._messages), _summary(self._messages)))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return list(self._messages)
                self._cond.wait(remaining)


def _summary(messages: Sequence[ReceivedMessage], limit: int = 10) -> str:
    shown = ", ".join(repr(m) for m in messages[:limit])
    return "[%s%s]" % (shown, ", ..." if len(messages) > limit else "")


class AsyncSend:
    """The outcome of one asynchronous send."""

    def __init__(self):
        self._event = threading.Event()
        self.result: Optional[SendResult] = None
        self.error: Optional[str] = None
        self.completed_at: Optional[float] = None

    def _finish(self, result=None, error=None):
        self.result, self.error = result, error
        self.completed_at = time.time()
        self._event.set()

    def wait(self, timeout: float = 30.0) -> SendResult:
        if not self._event.wait(timeout):
            raise AssertionError("async send did not complete within %.1fs" % timeout)
        if self.error is not None:
            raise AssertionError("async send failed: %s" % self.error)
        return self.result

    @property
    def done(self) -> bool:
        return self._event.is_set()


def _stable_hash(value) -> int:
    return zlib.crc32(_to_bytes(value)) & 0x7FFFFFFF


class InteropProducer:
    """A started-on-demand C++ producer with its own group and instance name."""

    def __init__(self, namesrv: str, group: Optional[str] = None, instance_name: Optional[str] = None,
                 send_timeout_ms: int = 10000, max_message_size: Optional[int] = None,
                 compress_level: Optional[int] = None, compress_over: Optional[int] = None,
                 log_dir: Optional[str] = None, credentials: Optional[Sequence[str]] = None):
        self.group = group or unique_name("PG")
        self.instance_name = instance_name or unique_name("pinst")
        self.namesrv = namesrv
        self._handle = dll.CreateProducer(_to_bytes(self.group))
        if not self._handle:
            raise RuntimeError("CreateProducer returned NULL")
        self._started = False
        self._refs: List[object] = []  # keeps ctypes callbacks and messages alive while in flight
        self._lock = threading.Lock()
        ffi_check(dll.SetProducerInstanceName(self._handle, _to_bytes(self.instance_name)))
        ffi_check(dll.SetProducerNameServerAddress(self._handle, _to_bytes(namesrv)))
        ffi_check(dll.SetProducerSendMsgTimeout(self._handle, send_timeout_ms))
        if max_message_size is not None:
            ffi_check(dll.SetProducerMaxMessageSize(self._handle, max_message_size))
        if compress_level is not None:
            ffi_check(dll.SetProducerCompressLevel(self._handle, compress_level))
        if compress_over is not None:
            ffi_check(dll.SetProducerCompressMsgBodyOverHowmuch(self._handle, compress_over))
        if log_dir is not None:
            ffi_check(dll.SetProducerLogPath(self._handle, _to_bytes(log_dir)))
        if credentials is not None:  # (accessKey, secretKey, channel): the client signs every request (ACL)
            ffi_check(dll.SetProducerSessionCredentials(self._handle, *[_to_bytes(v) for v in credentials]))

    # lifecycle -----------------------------------------------------------------------------------
    def start(self) -> "InteropProducer":
        if not self._started:
            ffi_check(dll.StartProducer(self._handle))
            self._started = True
        return self

    def shutdown(self) -> None:
        """Shuts down and destroys the producer; idempotent."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        if self._started:
            ffi_check(dll.ShutdownProducer(handle))
        ffi_check(dll.DestroyProducer(handle))

    close = shutdown

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.shutdown()

    # sends ---------------------------------------------------------------------------------------
    def send_sync(self, topic: str, body, **kwargs) -> SendResult:
        """Sync send; returns (status, msg_id, offset). Raises rocketmq.exceptions.ProducerSendSyncFailed."""
        msg = make_message(topic, body, **kwargs)
        result = ctypes_send_result()
        ffi_check(dll.SendMessageSync(self._handle, msg, ctypes.pointer(result)))
        return _convert_result(result)

    def send_sync_retry(self, topic: str, body, timeout: float = 30.0, **kwargs) -> SendResult:
        """Sync send retried until `timeout` (for the first send to a new topic, or after a broker
        restart while routes and connections recover)."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                result = self.send_sync(topic, body, **kwargs)
                if result.status == SendStatus.OK:
                    return result
                last_error = "status %s" % result.status
            except Exception as exc:  # ProducerSendSyncFailed and friends
                last_error = "%s: %s" % (type(exc).__name__, exc)
            time.sleep(0.5)
        raise AssertionError("send to %s did not succeed within %.1fs; last error: %s" % (topic, timeout, last_error))

    def ensure_topic(self, topic: str, timeout: float = 30.0) -> SendResult:
        """Auto-creates `topic` by sending one WARMUP_TAG message (collectors ignore it)."""
        return self.send_sync_retry(topic, b"warmup", timeout=timeout, tags=WARMUP_TAG)

    def send_oneway(self, topic: str, body, **kwargs) -> None:
        msg = make_message(topic, body, **kwargs)
        ffi_check(dll.SendMessageOneway(self._handle, msg))

    def send_async(self, topic: str, body, **kwargs) -> AsyncSend:
        """Asynchronous send; the returned AsyncSend completes from a client thread."""
        outcome = AsyncSend()
        msg = make_message(topic, body, **kwargs)
        holder: List[object] = []

        def release():
            with self._lock:
                for ref in holder:
                    if ref in self._refs:
                        self._refs.remove(ref)

        def on_success(cresult):
            try:
                outcome._finish(result=_convert_result(cresult.contents))
            finally:
                release()

        def on_exception(cexc):
            try:
                outcome._finish(error="%s (error %d, %s:%d)" % (
                    cexc.msg.decode("utf-8", "replace"), cexc.error, cexc.file.decode("utf-8", "replace"),
                    cexc.line))
            finally:
                release()

        success_cb = SEND_SUCCESS_CALLBACK(on_success)
        exception_cb = SEND_EXCEPTION_CALLBACK(on_exception)
        holder.extend([success_cb, exception_cb, msg])
        with self._lock:
            self._refs.extend(holder)
        try:
            ffi_check(dll.SendMessageAsync(self._handle, msg, success_cb, exception_cb))
        except Exception:
            release()
            raise
        return outcome

    def send_orderly(self, topic: str, body, shard_key, retry_times: int = 3,
                     selector: Optional[Callable[[int, int], int]] = None, **kwargs) -> SendResult:
        """Sync send to the queue chosen by `selector(queue_count, shard)` (default: shard % count),
        where shard is `shard_key` if it is an int, else a stable hash of it."""
        shard = shard_key if isinstance(shard_key, int) else _stable_hash(shard_key)
        choose = selector or (lambda count, value: value % count)

        def select_queue(queue_count, _cmsg, user_arg):
            value = ctypes.cast(user_arg, ctypes.POINTER(ctypes.c_int))[0]
            return choose(queue_count, value)

        callback = QUEUE_SELECTOR_CALLBACK(select_queue)
        arg = ctypes.c_int(shard)
        msg = make_message(topic, body, **kwargs)
        result = ctypes_send_result()
        ffi_check(dll.SendMessageOrderly(self._handle, msg, callback,
                                         ctypes.cast(ctypes.pointer(arg), ctypes.c_void_p),
                                         retry_times, ctypes.pointer(result)))
        return _convert_result(result)


def ctypes_send_result():
    from rocketmq.ffi import _CSendResult
    return _CSendResult()


def _convert_result(cresult) -> SendResult:
    return SendResult(SendStatus(cresult.sendStatus), cresult.msgId.decode("utf-8"), cresult.offset)


Listener = Callable[[ReceivedMessage], Optional[int]]

# Never-started consumers (see InteropPushConsumer.shutdown), kept reachable with their callbacks.
_LEAKED: List[object] = []


class InteropPushConsumer:
    """A C++ push consumer that records every delivery in `self.collector`.

    `listener(message)` may return CONSUME_SUCCESS / RECONSUME_LATER (None means success); an exception
    in it is recorded in `self.errors` and answered with RECONSUME_LATER.
    """

    def __init__(self, namesrv: str, group: Optional[str] = None, instance_name: Optional[str] = None,
                 model: MessageModel = MessageModel.CLUSTERING, orderly: bool = False,
                 consume_from_first: bool = True, thread_count: Optional[int] = None,
                 batch_max_size: Optional[int] = None, listener: Optional[Listener] = None,
                 property_names: Sequence[str] = (), collector: Optional[MessageCollector] = None,
                 log_dir: Optional[str] = None, credentials: Optional[Sequence[str]] = None):
        self.group = group or unique_name("CG")
        self.instance_name = instance_name or unique_name("cinst")
        self.namesrv = namesrv
        self.model = model
        self.orderly = orderly
        self.listener = listener
        self.property_names = tuple(DEFAULT_PROPERTY_NAMES) + tuple(property_names)
        self.collector = collector if collector is not None else MessageCollector(self.instance_name)
        self.errors: List[str] = []
        self.subscriptions: Dict[str, str] = {}
        self._handle = dll.CreatePushConsumer(_to_bytes(self.group))
        if not self._handle:
            raise RuntimeError("CreatePushConsumer returned NULL")
        self._started = False
        ffi_check(dll.SetPushConsumerInstanceName(self._handle, _to_bytes(self.instance_name)))
        ffi_check(dll.SetPushConsumerNameServerAddress(self._handle, _to_bytes(namesrv)))
        ffi_check(dll.SetPushConsumerMessageModel(self._handle, model))
        if consume_from_first:
            _set_consume_from_where(self._handle, CONSUME_FROM_FIRST_OFFSET)
        if thread_count is not None:
            ffi_check(dll.SetPushConsumerThreadCount(self._handle, thread_count))
        if batch_max_size is not None:
            ffi_check(dll.SetPushConsumerMessageBatchMaxSize(self._handle, batch_max_size))
        if log_dir is not None:
            ffi_check(dll.SetPushConsumerLogPath(self._handle, _to_bytes(log_dir)))
        if credentials is not None:  # (accessKey, secretKey, channel)
            ffi_check(dll.SetPushConsumerSessionCredentials(self._handle, *[_to_bytes(v) for v in credentials]))
        self._callback = MSG_CALLBACK_FUNC(self._on_message)
        register = dll.RegisterMessageCallbackOrderly if orderly else dll.RegisterMessageCallback
        ffi_check(register(self._handle, self._callback))

    def _on_message(self, _consumer, handle) -> int:
        try:
            message = ReceivedMessage.from_handle(handle, self.instance_name, self.property_names)
        except Exception as exc:  # never let an exception cross the C boundary
            self.errors.append("decode: %r" % exc)
            return RECONSUME_LATER
        self.collector.add(message)
        if self.listener is None:
            return CONSUME_SUCCESS
        try:
            status = self.listener(message)
        except Exception as exc:
            self.errors.append("listener: %r" % exc)
            return RECONSUME_LATER
        return CONSUME_SUCCESS if status is None else int(status)

    def subscribe(self, topic: str, expression: str = "*") -> "InteropPushConsumer":
        ffi_check(dll.Subscribe(self._handle, _to_bytes(topic), _to_bytes(expression)))
        self.subscriptions[topic] = expression
        return self

    def start(self) -> "InteropPushConsumer":
        if not self._started:
            ffi_check(dll.StartPushConsumer(self._handle))
            self._started = True
        return self

    def shutdown(self) -> None:
        """Shuts down (persisting offsets) and destroys the consumer; idempotent.

        A consumer that was never started is leaked on purpose: on it, `ShutdownPushConsumer` hangs
        and `DestroyPushConsumer` hangs intermittently (observed with librocketmq 1.2.x)."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        if not self._started:
            _LEAKED.append((handle, self._callback))
            return
        ffi_check(dll.ShutdownPushConsumer(handle))
        ffi_check(dll.DestroyPushConsumer(handle))

    close = shutdown

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.shutdown()

    @property
    def messages(self) -> List[ReceivedMessage]:
        return self.collector.messages


class ClientTracker:
    """Creates clients and shuts them all down (consumers first) at teardown."""

    def __init__(self, namesrv: str, log_dir: Optional[str] = None):
        self.namesrv = namesrv
        self.log_dir = log_dir
        self._producers: List[InteropProducer] = []
        self._consumers: List[InteropPushConsumer] = []

    def producer(self, start: bool = True, **kwargs) -> InteropProducer:
        kwargs.setdefault("namesrv", self.namesrv)
        producer = InteropProducer(**kwargs)
        self._producers.append(producer)
        return producer.start() if start else producer

    def consumer(self, topic: Optional[str] = None, expression: str = "*", start: bool = True,
                 **kwargs) -> InteropPushConsumer:
        kwargs.setdefault("namesrv", self.namesrv)
        consumer = InteropPushConsumer(**kwargs)
        self._consumers.append(consumer)
        if topic is not None:
            consumer.subscribe(topic, expression)
        return consumer.start() if start and topic is not None else consumer

    def close(self) -> None:
        errors = []
        for client in list(reversed(self._consumers)) + list(reversed(self._producers)):
            try:
                client.shutdown()
            except Exception as exc:
                errors.append(repr(exc))
        self._consumers.clear()
        self._producers.clear()
        if errors:
            raise AssertionError("client shutdown failed: %s" % "; ".join(errors))
