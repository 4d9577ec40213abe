"""Wakes this process's live event streams as soon as a transaction that wrote events commits (from any thread).
Events written by other processes wake them through the bus (`platform.bus`, NATS) when one is configured,
else through the streams' own once-a-second polling."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from pingan.platform import bus
from pingan.platform.notify.models import Event

WAKE_TOPIC = "notify.events"

_EVENTS_WRITTEN = "pingan.notify.events_written"
_lock = threading.Lock()
_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


@contextlib.contextmanager
def listening() -> Iterator[asyncio.Event]:
    """An asyncio.Event of the running loop, set whenever events are committed in this process."""
    waiter = (asyncio.get_running_loop(), asyncio.Event())
    with _lock:
        _waiters.add(waiter)
    try:
        yield waiter[1]
    finally:
        with _lock:
            _waiters.discard(waiter)


def events_committed() -> None:
    """Events were committed by this process: wake its streams now, and every other process's through the bus."""
    wake_all()
    bus.publish(WAKE_TOPIC)


def wake_all() -> None:
    with _lock:
        waiters = list(_waiters)
    for loop, flag in waiters:
        # A closed loop means its server is gone; its stream went with it.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(flag.set)


@event.listens_for(Session, "pending_to_persistent")
def _note_event(session: Session, instance: object) -> None:
    if isinstance(instance, Event):
        session.info[_EVENTS_WRITTEN] = True


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(_EVENTS_WRITTEN, False):
        events_committed()


@event.listens_for(Session, "after_transaction_end")
def _forget_on_end(session: Session, transaction: SessionTransaction) -> None:
    # A rolled-back transaction's events never happened; a savepoint ending leaves the outer flag alone.
    if transaction.parent is None:
        session.info.pop(_EVENTS_WRITTEN, None)


bus.subscribe(WAKE_TOPIC, lambda _payload: wake_all())
