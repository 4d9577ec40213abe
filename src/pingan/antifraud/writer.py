"""Group commit for screening decisions: many decisions, one transaction, answers only after the commit.

A bank receives a decision only once it is durably stored, so a crash can lose no decision a bank acted
on; batching keeps that guarantee cheap (one fsync for hundreds of decisions).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

log = logging.getLogger("pingan.antifraud.writer")


@dataclass(slots=True)
class WriteItem:
    """One decision to store; ``future`` resolves to whatever the batch function returns for it."""

    payload: object
    future: Future = field(default_factory=Future)


BatchFn = Callable[[Session, Sequence[object]], list[object]]


class GroupCommitWriter:
    """A background thread that writes queued items in batches through ``write_batch`` and commits."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        write_batch: BatchFn,
        *,
        batch_size: int = 500,
        max_wait_ms: float = 2.0,
    ) -> None:
        self._session_factory = session_factory
        self._write_batch = write_batch
        self._batch_size = batch_size
        self._max_wait = max_wait_ms / 1000
        self._queue: queue.SimpleQueue[WriteItem | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.batches_written = 0

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

    def submit(self, payload: object) -> Future:
        item = WriteItem(payload)
        self._queue.put(item)
        return item.future

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
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
                batch.append(item)
            self._flush(batch)
            if stopping:
                return

    def _flush(self, batch: list[WriteItem]) -> None:
        try:
            results = self._commit([i.payload for i in batch])
        except Exception:
            # One bad item must not sink the others: retry them one by one and fail only the bad one.
            log.exception("screening batch of %d failed; retrying one by one", len(batch))
            for item in batch:
                try:
                    (result,) = self._commit([item.payload])
                except Exception as exc:
                    item.future.set_exception(exc)
                else:
                    item.future.set_result(result)
            return
        self.batches_written += 1
        for item, result in zip(batch, results, strict=True):
            item.future.set_result(result)

    def _commit(self, payloads: list[object]) -> list[object]:
        db = self._session_factory()
        try:
            results = self._write_batch(db, payloads)
            db.commit()
            return results
        except BaseException:
            db.rollback()
            raise
        finally:
            db.close()
