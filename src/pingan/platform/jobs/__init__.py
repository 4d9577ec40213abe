"""Scheduled jobs: modules register functions; a scheduler runs each in its own transaction."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.jobs.leader import SchedulerLock

log = logging.getLogger("pingan.jobs")

JobFn = Callable[[Session, dt.datetime], object]


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: Callable[[], float]
    fn: JobFn
    description: str
    per_process: bool


_registry: dict[str, Job] = {}


def register(name: str, every_seconds: float | Callable[[], float], description: str = "", *,
             per_process: bool = False):
    """Decorator: ``@jobs.register("deadlines.scan", every_seconds=2)``; the interval may be a callable.

    A ``per_process`` job keeps one process's own memory in step with the database (caches, the screening
    engine's lists), so every serving process runs it, even one whose scheduler is off.
    """
    interval = every_seconds if callable(every_seconds) else (lambda: float(every_seconds))

    def wrap(fn: JobFn) -> JobFn:
        _registry[name] = Job(name, interval, fn, description or (fn.__doc__ or "").strip(), per_process)
        return fn

    return wrap


def all_jobs() -> dict[str, Job]:
    return dict(_registry)


def run_once(name: str) -> object:
    """Run one job now, in one transaction; raises KeyError for an unknown name."""
    job = _registry[name]
    with unit_of_work() as db:
        return job.fn(db, clock.now())


class Scheduler:
    """Runs every registered job (or only the per-process ones) at its interval until ``stop()``."""

    def __init__(self, *, per_process_only: bool = False) -> None:
        self._per_process_only = per_process_only
        # Several processes on one PostgreSQL: only the lock's holder runs the shared jobs (jobs.leader).
        self._lock = SchedulerLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="pingan-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._lock.release()

    def run_forever(self) -> None:
        next_run: dict[str, float] = {}
        while not self._stop.is_set():
            shared = not self._per_process_only and self._lock.held()
            jobs = [j for j in _registry.values() if j.per_process or shared]
            now = time.monotonic()
            for job in jobs:
                if next_run.get(job.name, 0) > now:
                    continue
                try:
                    run_once(job.name)
                except Exception:
                    # A failing job must not stop the others; it is retried at its next interval.
                    log.exception("job %s failed", job.name)
                next_run[job.name] = time.monotonic() + job.every_seconds()
            wait = min((t for t in next_run.values()), default=now + 1) - time.monotonic()
            self._stop.wait(max(0.05, min(wait, 1.0)))
