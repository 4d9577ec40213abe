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


Sink = Callable[[Sequence[object]], list[object]]


class GroupCommitWriter:
    """A background thread that hands queued items in batches to ``sink``, which stores them durably (one
    transaction per call) and returns one result per item, or raises."""

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
        """Write everything already queued, then stop."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

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

    def _store(self, payloads: list) -> list[tuple[object, BaseException | None]]:
        try:
            return [(r, None) for r in self.sink(payloads)]
        except Exception:
            # One bad item must not sink the others: retry them one by one and fail only the bad one.
            log.exception("screening batch of %d failed; retrying one by one", len(payloads))
            outcomes = []
            for payload in payloads:
                try:
                    (result,) = self.sink([payload])
                except Exception as exc:
                    outcomes.append((None, exc))
                else:
                    outcomes.append((result, None))
            return outcomes

    def _flush_group(self, item: WriteItem) -> None:
        item.future.set_result([result if exc is None else exc for result, exc in self._store(item.payload)])

    def _flush(self, batch: list[WriteItem]) -> None:
        if not batch:
            return
        outcomes = self._store([i.payload for i in batch])
        by_loop: dict[asyncio.AbstractEventLoop, list] = {}
        for item, (result, exc) in zip(batch, outcomes, strict=True):
            if exc is None:
                item.future.set_result(result)
            else:
                item.future.set_exception(exc)
            if item.waiter is not None:
                by_loop.setdefault(item.waiter.get_loop(), []).append((item.waiter, result, exc))
        for loop, waiters in by_loop.items():
            loop.call_soon_threadsafe(_wake, waiters)


def _wake(waiters: list[tuple[asyncio.Future, object, BaseException | None]]) -> None:
    for waiter, result, exc in waiters:
        if waiter.cancelled():  # the client went away; the decision is stored all the same
            continue
        if exc is None:
            waiter.set_result(result)
        else:
            waiter.set_exception(exc)
