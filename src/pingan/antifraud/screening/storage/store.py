"""Where decided screenings are stored: in this process, or in a dedicated store process.

A server screens on its event loop; if it also ran the database writes in a thread, the two would share
one interpreter lock and every batch commit would wait behind request handling. The store process takes
the writes to the other CPU core, so a commit takes milliseconds whatever the load. Every way of storing
writes a batch in one transaction before it answers, so an answer is only ever sent for a committed
decision.

- `store_in_process`: the writer thread's sink when there is no store process (tests, small set-ups).
- `StoreProcess`: the writer thread's sink in the batch command — one chunk out, its outcomes back.
- `LoopStore`: a server's event loop talks to the store process itself, without a writer thread: the
  decisions of one loop turn travel in one message, and the store process commits every message that
  arrived while it was busy in one transaction (group commit).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.intel import register
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.announce import announce_changes
from pingan.antifraud.screening.helpers import pipes
from pingan.antifraud.screening.storage.group_commit import WriteItem, settle_waiters
from pingan.core import heap
from pingan.core.db import get_engine, skip_pre_ping, unit_of_work
from pingan.core.errors import AppError, Conflict
from pingan.platform.notify import broker

log = logging.getLogger("pingan.antifraud.store")


class StorageUnavailable(AppError):
    status_code = 503


def _unavailable() -> StorageUnavailable:
    return StorageUnavailable("screening.storage_unavailable",
                              "暂时无法保存筛查结果，请重试 / storage unavailable, retry")


def _reused() -> Conflict:
    # The request_id is older than the idempotency memory, or another process stored it first.
    return Conflict("screening.request_id_reused", "该 request_id 已使用过 / request_id already used")


Outcome = int | None | AppError  # a stored screening's alert id (None if no hold), or why it was not stored


def write_screenings(db: Session, rows: Sequence[dict]) -> list[int | None]:
    """Insert decided screenings, open the alert of each hold and tell the register of the customers, all in
    ``db``'s transaction; returns the alert ids in order (None for a screening that was not held)."""
    repo.insert_screening_rows(db, rows)
    opened = iter(alerts.open_alerts(db, [row for row in rows if row["decision"] == "hold"]))
    register.record_customers(db, rows)
    return [next(opened).id if row["decision"] == "hold" else None for row in rows]


def store_rows(rows: list[dict], *, reconnected: bool = False) -> list[Outcome]:
    """Write screening rows in one transaction; if that fails, one by one, so that only a bad row fails.
    A connection found broken (the database restarted) costs one more try of the whole batch first.

    Storing is idempotent: a row already stored under its screening id (by a store process that died
    before it could say so) is not stored twice, and its outcome is the stored alert's id.
    """
    try:
        with unit_of_work() as db:
            return write_screenings(db, rows)
    except Exception as exc:
        if isinstance(exc, DBAPIError) and exc.connection_invalidated and not reconnected:
            log.warning("the database connection was lost (%s); storing the batch again", type(exc.orig).__name__)
            return store_rows(rows, reconnected=True)
        if len(rows) > 1:
            log.warning("a screening batch of %d failed (%s); storing its rows one by one", len(rows),
                        type(exc).__name__)
            return [store_rows([row])[0] for row in rows]
        if isinstance(exc, IntegrityError):
            with unit_of_work() as db:
                stored = repo.stored_screening(db, rows[0]["id"])
            return [_reused() if stored is None else stored[1]]
        log.exception("storing a screening failed")
        return [StorageUnavailable("screening.storage_failed", f"保存失败 / storing failed: {type(exc).__name__}")]


def _each(make, items: Sequence) -> list:
    """``make(item)`` for each item, or the failure of that item alone: one screening that cannot be turned
    into a row must not keep the others of its batch from being stored."""
    out = []
    for item in items:
        try:
            out.append(make(item))
        except Exception as exc:
            log.exception("a screening could not be made into a row")
            out.append(StorageUnavailable("screening.storage_failed",
                                          f"保存失败 / storing failed: {type(exc).__name__}"))
    return out


def _store_made(made: list) -> list[Outcome]:
    """Store the rows among ``made``; the failures in it stand as their items' outcomes."""
    rows = [m for m in made if not isinstance(m, AppError)]
    stored = iter(store_rows(rows) if rows else [])
    return [m if isinstance(m, AppError) else next(stored) for m in made]


def store_in_process(pendings: Sequence) -> list[Outcome]:
    return _store_made(_each(lambda p: repo.screening_row(repo.screening_values(p)), pendings))


# ---- the store process ------------------------------------------------------------------------------------

_REFUSALS = {cls.__name__: cls for cls in (Conflict, StorageUnavailable)}


def _refusal(error: AppError) -> tuple:
    return (type(error).__name__, error.code, error.message)


def _store_values(values: list) -> list:
    """In the store process: screening values in, marshal-able outcomes out (a refusal as a tuple)."""
    return [_refusal(o) if isinstance(o, AppError) else o for o in _store_made(_each(repo.screening_row, values))]


def _outcome(result: int | None | tuple) -> Outcome:
    if isinstance(result, tuple):
        kind, code, message = result
        return _REFUSALS[kind](code, message)
    return result


def _serve(conn: Connection) -> None:
    """The store process: screening values in, their outcomes out, until the pipe closes."""
    skip_pre_ping()  # PostgreSQL: one round trip fewer per batch; a lost connection costs a retry (store_rows)
    _checkpoint_aside()
    announce_changes()  # the register's protected persons, written here, are news for every process
    heap.settle()
    pipes.serve(conn, _store_values, merge=True)


def _checkpoint_aside(every_seconds: float = 1.0) -> None:
    """SQLite only: copy the write-ahead log into the database from a thread of its own.

    By default the commit that fills the log does that copy (and its fsync) itself, and the screenings
    waiting on that commit wait tens of milliseconds longer. A passive checkpoint beside the writer
    never blocks it.
    """
    engine = get_engine()
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA wal_autocheckpoint=0"))

    def run() -> None:
        while True:
            time.sleep(every_seconds)
            with contextlib.suppress(Exception), engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    threading.Thread(target=run, name="pingan-wal-checkpoint", daemon=True).start()


class StoreProcess:
    """The store process as a blocking sink for a writer thread; started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = None
        self._conn: Connection | None = None

    def __call__(self, pendings: Sequence) -> list[Outcome]:
        made = _each(repo.screening_values, pendings)
        values = [m for m in made if not isinstance(m, AppError)]
        with self._lock:
            for attempt in (1, 2):
                if self._conn is None:
                    self._process, self._conn = pipes.spawn(_serve, "pingan-screening-store")
                try:
                    results = pipes.call(self._conn.fileno(), values)
                    break
                except (EOFError, OSError):
                    # Nothing of this batch was acknowledged, so nothing of it was answered: a new store
                    # process stores it (once; storing is idempotent, so what the dead one committed counts).
                    log.error("screening store process died holding %d decisions", len(values))
                    self._conn.close()
                    self._conn = None
                    if attempt == 2:
                        raise _unavailable() from None
        if any(isinstance(r, int) for r in results):
            # The alerts' events were committed by the store process, where this process's commit hook
            # cannot see them: wake this process's live feeds so a duty console hears of a hold at once.
            broker.wake_all()
        stored = iter(results)
        return [m if isinstance(m, AppError) else _outcome(next(stored)) for m in made]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()  # the store process ends once it has answered what it holds
                self._conn = None
                self._process.join(timeout=30)


class LoopStore(pipes.LoopPipe):
    """The store process's client on a server's event loop, in place of a writer thread.

    `submit` is the writer's: from the loop's thread, or from another thread (a teller's page), whose item
    is handed to the loop.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop, _serve, "pingan-screening-store")
        self._loop_thread = threading.get_ident()
        self._stopped: Future | None = None

    def submit(self, pending, *, waiter: asyncio.Future | None = None) -> Future:
        item = WriteItem(pending, waiter=waiter)
        values = repo.screening_values(pending)
        if threading.get_ident() == self._loop_thread:
            self.put(values, item)
        else:
            self._loop.call_soon_threadsafe(self.put, values, item)
        return item.future

    def deliver(self, item: WriteItem, result: int | None | tuple) -> None:
        self._settle(item, _outcome(result))

    def _settle(self, item: WriteItem, outcome: Outcome) -> None:
        if isinstance(outcome, AppError):
            item.future.set_exception(outcome)
        else:
            item.future.set_result(outcome)
            if outcome is not None:
                broker.wake_all()  # as in StoreProcess: the hold's alert event was committed elsewhere
        if item.waiter is not None:
            loop = item.waiter.get_loop()
            if loop is self._loop:
                settle_waiters([(item.waiter, outcome)])
            else:  # a caller on another loop (test clients run one per request)
                loop.call_soon_threadsafe(settle_waiters, [(item.waiter, outcome)])

    def _on_readable(self) -> None:
        super()._on_readable()
        self._end_if_idle()

    def lost(self, pairs: list[tuple[tuple, WriteItem]]) -> None:
        # Nothing of these was acknowledged, so nothing was answered. The new store process stores them
        # (storing is idempotent, so what the dead one committed counts); if it dies with them too, their
        # callers get 503, and a bank's retry is screened anew.
        log.error("screening store process died holding %d decisions; a new one has started", len(pairs))
        for values, item in pairs:
            if item.resent:
                self._settle(item, _unavailable())
            else:
                item.resent = True
                self.put(values, item)
        self._end_if_idle()

    def stop(self) -> None:
        """From a thread other than the loop's: wait until every decision in flight is stored, then end the
        store process."""
        self._stopped = Future()
        try:
            self._loop.call_soon_threadsafe(self._end_if_idle)
        except RuntimeError:  # the loop is closed: nothing can be in flight any more
            self.close()
        else:
            self._stopped.result(timeout=60)
        self.process.join(timeout=30)

    def _end_if_idle(self) -> None:
        """Once stopping, and nothing is in flight: close the pipe, which ends the store process (once)."""
        if self._stopped is not None and self.idle and not self._stopped.done():
            self.close()
            self._stopped.set_result(None)
