"""Which process runs the shared jobs when several serve one database: the holder of a PostgreSQL advisory lock.

The lock lives on a connection of its own, held for as long as the process leads; if the process dies its
connection closes, the lock is free, and another process's scheduler takes it within `RETRY_SECONDS`. On
SQLite there is one serving process (several need PostgreSQL), which always leads.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import text
from sqlalchemy.engine import Connection

from pingan.core.db import get_engine

log = logging.getLogger("pingan.jobs")

LOCK_KEY = 0x70696E67616E  # "pingan": one number for every process of one database
RETRY_SECONDS = 2.0
CHECK_SECONDS = 5.0


class SchedulerLock:
    def __init__(self) -> None:
        self._conn: Connection | None = None
        self._next = 0.0

    def held(self) -> bool:
        """True while this process leads; tries to take the lock (or checks it still holds it) now and then."""
        engine = get_engine()
        if engine.dialect.name != "postgresql":
            return True
        now = time.monotonic()
        if now < self._next:
            return self._conn is not None
        try:
            if self._conn is None:
                conn = engine.connect()
                conn.detach()  # its own connection, closed (never pooled) when leadership ends
                if conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}):
                    conn.commit()
                    self._conn = conn
                    log.info("this process runs the shared jobs")
                else:
                    conn.close()
            else:
                self._conn.scalar(text("SELECT 1"))
                self._conn.commit()
        except Exception:
            log.warning("the scheduler lock's connection failed; leadership is given up")
            self.release()
        self._next = now + (CHECK_SECONDS if self._conn is not None else RETRY_SECONDS)
        return self._conn is not None

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()  # a detached connection really closes, which frees the advisory lock
            except Exception:
                log.debug("closing the scheduler lock's connection failed", exc_info=True)
            self._conn = None
