"""Where decided screenings are stored: in this process, or in a dedicated store process.

A server screens on its event loop; if it also ran the database writes in a thread, the two would share
one interpreter lock and every batch commit would wait behind request handling. The store process takes
the writes to the other CPU core, so a commit takes milliseconds whatever the load. Either sink stores a
batch in one transaction before it returns, so an answer is only ever sent for a committed decision.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection

import orjson
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from pingan.antifraud import repository as repo
from pingan.core import heap
from pingan.core.db import get_engine, unit_of_work
from pingan.core.errors import AppError, Conflict
from pingan.platform.notify import broker

log = logging.getLogger("pingan.antifraud.store")


class StorageUnavailable(AppError):
    status_code = 503


def _reused() -> Conflict:
    # The request_id is older than the idempotency memory, or another process stored it first.
    return Conflict("screening.request_id_reused", "该 request_id 已使用过 / request_id already used")


def store_in_process(pendings: Sequence) -> list[int | None]:
    rows = [repo.screening_row(p) for p in pendings]
    try:
        with unit_of_work() as db:
            return repo.write_screening_rows(db, rows)
    except IntegrityError:
        raise _reused() from None


class StoreProcess:
    """A child process that writes batches of screening rows, one transaction per batch."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._proc = None
        self._start()

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child,), name="pingan-screening-store", daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def __call__(self, pendings: Sequence) -> list[int | None]:
        message = orjson.dumps([repo.screening_row(p) for p in pendings])
        with self._lock:
            try:
                self._conn.send_bytes(message)
                reply = orjson.loads(self._conn.recv_bytes())
            except (EOFError, OSError):
                # The store process died: nothing of this batch was acknowledged, so nothing was answered.
                log.error("screening store process died; starting a new one")
                self._start()
                raise StorageUnavailable("screening.storage_unavailable",
                                         "暂时无法保存筛查结果，请重试 / storage unavailable, retry") from None
        if "conflict" in reply:
            raise _reused()
        if "error" in reply:
            raise StorageUnavailable("screening.storage_failed", f"保存失败 / storing failed: {reply['error']}")
        if any(reply["alert_ids"]):
            # The alerts' events were committed by the store process, where this process's commit hook
            # cannot see them: wake this process's live feeds so a duty console hears of a hold at once.
            broker.wake_all()
        return reply["alert_ids"]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):  # already gone is as good as told to stop
                    self._conn.send_bytes(b"")
                self._conn.close()
                self._conn = None
        if self._proc is not None:
            self._proc.join(timeout=30)


def _serve(conn: Connection) -> None:
    """The store process: one batch in, one transaction, the alert ids out; an empty message ends it."""
    _checkpoint_aside()
    heap.settle()
    while True:
        try:
            message = conn.recv_bytes()
        except EOFError:  # the screening process is gone: what was not acknowledged was never answered
            return
        if not message:
            return
        try:
            with unit_of_work() as db:
                alert_ids = repo.write_screening_rows(db, orjson.loads(message))
            conn.send_bytes(orjson.dumps({"alert_ids": alert_ids}))
        except IntegrityError as exc:
            conn.send_bytes(orjson.dumps({"conflict": str(exc.orig)}))
        except Exception as exc:  # reported to the screening process, which fails just these requests
            log.exception("storing a screening batch failed")
            conn.send_bytes(orjson.dumps({"error": f"{type(exc).__name__}: {exc}"}))


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
