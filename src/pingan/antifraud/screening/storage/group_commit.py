"""Group commit for screening decisions: many decisions, one transaction, answers only after the commit.

A bank receives a decision only once it is durably stored, so a crash can lose no decision a bank acted
on; batching keeps that guarantee cheap (one fsync for hundreds of decisions).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

log = logging.getLogger("pingan.antifraud.writer")


@dataclass(slots=True)
class WriteItem:
    """One decision to store; ``future`` resolves to whatever the batch function returns for it.

    ``waiter`` is the same result for a caller on an event loop: a whole batch wakes its loop once, instead
    of once per item, which matters when hundreds of answers wait on one commit.
    """

    payload: object
    future: Future = field(default_factory=Future)
    waiter: asyncio.Future | None = None
    group: bool = False  # payload is a list stored together; the future gets one outcome per element
    resent: bool = False  # sent again after a store process died holding it


Sink = Callable[[Sequence[object]], list[object]]  # one outcome per payload: a result or an exception


class GroupCommitWriter:
    """A background thread that hands queued items in batches to ``sink``, which stores them durably (one
    transaction per call) and returns one outcome per item: its result, or the exception that kept that
    one from being stored. A sink that raises fails the whole batch."""

    def __init__(self, sink: Sink, *, batch_size: int = 500, max_wait_ms: float = 2.0) -> None:
        self.sink = sink
        self._batch_size = batch_size
        self._max_wait = max_wait_ms / 1000
        self._queue: queue.SimpleQueue[WriteItem | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pingan-screening-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Write everything already queued, then stop (and close the sink, if it has to be)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        close = getattr(self.sink, "close", None)
        if close is not None:
            close()

    def submit(self, payload: object, *, waiter: asyncio.Future | None = None) -> Future:
        item = WriteItem(payload, waiter=waiter)
        self._queue.put(item)
        return item.future

    def submit_group(self, payloads: list) -> Future:
        """Store `payloads` in one call of the sink (a batch command's chunk). The future resolves to one
        outcome per payload, in order: the sink's result, or the exception that kept that one from being
        stored."""
        item = WriteItem(payloads, group=True)
        if payloads:
            self._queue.put(item)
        else:
            item.future.set_result([])
        return item.future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            if first.group:
                self._flush_group(first)
                continue
            batch = [first]
            deadline = time.monotonic() + self._max_wait
            stopping = False
            while len(batch) < self._batch_size:
                remaining = deadline - time.monotonic()
                try:
                    item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                if item.group:  # stored on its own, after what came before it
                    self._flush(batch)
                    batch = []
                    self._flush_group(item)
                    break
                batch.append(item)
            self._flush(batch)
            if stopping:
                return

    def _store(self, payloads: list) -> list[object]:
        try:
            return self.sink(payloads)
        except Exception as exc:  # the store itself is gone (a sink refuses bad rows one by one, in its result)
            log.exception("storing a batch of %d screenings failed", len(payloads))
            return [exc] * len(payloads)

    def _flush_group(self, item: WriteItem) -> None:
        item.future.set_result(self._store(item.payload))

    def _flush(self, batch: list[WriteItem]) -> None:
        if not batch:
            return
        outcomes = self._store([i.payload for i in batch])
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for item, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)
            if item.waiter is not None:
                by_loop.setdefault(item.waiter.get_loop(), []).append((item.waiter, outcome))
        for loop, waiters in by_loop.items():
            loop.call_soon_threadsafe(settle_waiters, waiters)


def settle_waiters(waiters: list[tuple[asyncio.Future, object]]) -> None:
    """On the waiters' loop: hand each its outcome (a result, or the exception to raise)."""
    for waiter, outcome in waiters:
        if waiter.cancelled():  # the client went away; the decision is stored all the same
            continue
        if isinstance(outcome, BaseException):
            waiter.set_exception(outcome)
        else:
            waiter.set_result(outcome)
