"""Events across processes on NATS JetStream (`PINGAN_EVENTS_URL=nats://…`; unset: in-process only, as before).

What one process must tell the others at once — an intel listing, a rule set or model activated, an event
committed for the live feeds — is published here as a small message (a topic and a JSON payload) on the
stream `PINGAN_EVENTS_STREAM` (subjects `<stream>.<topic>`). The database stays the record: a message only
says "read again" or "wake up", so one lost in a failure costs a delay, never data (the periodic sync jobs
remain as the safety net).

The client runs on a thread and event loop of its own: `publish` only appends to a queue, so no caller —
the screening path least of all — ever waits for NATS. The thread sends what queued up since its last turn
in one go, with asynchronous acknowledgements, and keeps one ordered consumer that delivers new messages
of other processes to the handlers registered with `subscribe` (a process never hears its own).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import uuid
from collections.abc import Callable

import orjson

from pingan.core.config import get_settings

log = logging.getLogger("pingan.bus")

ORIGIN = uuid.uuid4().hex  # this process, so it can skip its own messages
Handler = Callable[[dict], None]

_handlers: dict[str, list[Handler]] = collections.defaultdict(list)
_lock = threading.Lock()
_bus: _Bus | None = None


def enabled() -> bool:
    return bool(get_settings().events_url)


def subscribe(topic: str, handler: Handler) -> None:
    """Call ``handler(payload)`` (on the bus thread) for each message of ``topic`` from another process."""
    with _lock:
        if handler not in _handlers[topic]:
            _handlers[topic].append(handler)


def publish(topic: str, payload: dict | None = None) -> None:
    """Queue a message for the other processes; returns at once (nothing when no events URL is set)."""
    if not enabled():
        return
    bus = start()
    bus.queue.append((topic, orjson.dumps(payload or {})))
    bus.wake()


def start() -> _Bus:
    """The process's bus, connected (on its own thread) on first use."""
    global _bus
    with _lock:
        if _bus is None:
            settings = get_settings()
            _bus = _Bus(settings.events_url, settings.events_stream)
            _bus.start()
        return _bus


def stop(timeout: float = 5) -> None:
    """Send what is queued, then disconnect (process shutdown)."""
    global _bus
    with _lock:
        bus, _bus = _bus, None
    if bus is not None:
        bus.stop(timeout)


def flush(timeout: float = 5) -> bool:
    """Wait until everything queued so far is acknowledged (tests, shutdown); False on time-out."""
    bus = _bus
    return bus is None or bus.flush(timeout)


def _dispatch(topic: str, payload: dict) -> None:
    with _lock:
        handlers = list(_handlers.get(topic, ()))
    for handler in handlers:
        try:
            handler(payload)
        except Exception:
            log.exception("handling bus message %s failed", topic)


class _Bus:
    def __init__(self, url: str, stream: str) -> None:
        self.url, self.stream = url, stream
        self.queue: collections.deque[tuple[str, bytes]] = collections.deque()
        self.loop = asyncio.new_event_loop()
        self._wakeup: asyncio.Event | None = None
        self._stopping = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="pingan-bus", daemon=True)
        self.connected = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._idle.clear()
        if self._wakeup is not None:
            self.loop.call_soon_threadsafe(self._wakeup.set)

    def flush(self, timeout: float) -> bool:
        self.wake()
        return self._idle.wait(timeout)

    def stop(self, timeout: float) -> None:
        self._stopping = True
        self.wake()
        self._thread.join(timeout)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        import nats  # lazy: only a process with an events URL loads the client
        from nats.js.api import DeliverPolicy, RetentionPolicy

        self._wakeup = asyncio.Event()
        while not self._stopping:
            try:
                nc = await nats.connect(self.url, name=f"pingan-{ORIGIN[:8]}", max_reconnect_attempts=-1,
                                        reconnect_time_wait=0.5)
                break
            except Exception as exc:  # the server is not up yet: the database-backed sync jobs carry on
                log.warning("cannot reach NATS at %s (%s); retrying", self.url, exc)
                await asyncio.sleep(1)
        else:
            return
        js = nc.jetstream()
        subjects = f"{self.stream}.>"
        try:
            await js.add_stream(name=self.stream, subjects=[subjects], retention=RetentionPolicy.LIMITS,
                                max_age=24 * 3600, max_msgs=1_000_000)
        except Exception as exc:  # another process made it first, with the same subjects
            log.debug("stream %s: %s", self.stream, exc)

        async def deliver(msg) -> None:
            if (msg.headers or {}).get("Pingan-Origin") == ORIGIN:
                return
            topic = msg.subject[len(self.stream) + 1:]
            await asyncio.to_thread(_dispatch, topic, orjson.loads(msg.data))

        await js.subscribe(subjects, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW, cb=deliver)
        self.connected.set()
        headers = {"Pingan-Origin": ORIGIN}
        while True:
            self._wakeup.clear()
            pending = []
            while self.queue:
                topic, data = self.queue.popleft()
                try:
                    pending.append(await js.publish_async(f"{self.stream}.{topic}", data, headers=dict(headers)))
                except Exception:
                    log.exception("publishing %s failed", topic)
            if pending:
                for outcome in await asyncio.gather(*pending, return_exceptions=True):
                    if isinstance(outcome, BaseException):
                        log.warning("a bus message was not acknowledged: %s", outcome)
            if not self.queue:
                self._idle.set()
                if self._stopping:
                    break
                await self._wakeup.wait()
        await nc.drain()
