"""The deadline scanner: fires every warning and breach that has come due exactly once, however many
scanners run at the same time and however often they restart."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pingan.core.config import get_settings
from pingan.platform import jobs
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock, DeadlineEscalation, EscalationLevel

log = logging.getLogger(__name__)

BATCH = 500


def _not_fired(level: EscalationLevel):
    return ~exists().where(DeadlineEscalation.clock_id == DeadlineClock.id, DeadlineEscalation.level == level)


def _pending(now: dt.datetime):
    return or_(and_(DeadlineClock.warn_at <= now, _not_fired(EscalationLevel.WARNING)),
               and_(DeadlineClock.due_at <= now, _not_fired(EscalationLevel.BREACH)))


@jobs.register("deadlines.scan", every_seconds=lambda: get_settings().deadline_scan_seconds)
def scan(db: Session, now: dt.datetime) -> int:
    """Fire the escalations that have come due; returns how many fired."""
    if db.get_bind().dialect.name == "sqlite":
        # Take SQLite's single write lock before reading, so a concurrent scanner waits for this one
        # instead of failing later on a stale snapshot (PostgreSQL locks the candidate rows instead).
        db.execute(text("UPDATE deadline_clock SET id = id WHERE 0"))
    candidates = db.scalars(
        select(DeadlineClock)
        .where(DeadlineClock.status == ClockStatus.RUNNING, _pending(now))
        .order_by(DeadlineClock.due_at, DeadlineClock.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=DeadlineClock)
    ).all()
    if not candidates:
        return 0
    done = set(db.execute(select(DeadlineEscalation.clock_id, DeadlineEscalation.level)
                          .where(DeadlineEscalation.clock_id.in_([c.id for c in candidates]))).tuples())
    fired = 0
    for deadline in candidates:
        # Warning before breach: a scanner that was down past both still tells the story in order.
        for level, at in ((EscalationLevel.WARNING, deadline.warn_at), (EscalationLevel.BREACH, deadline.due_at)):
            if at is not None and at <= now and (deadline.id, level) not in done:
                fired += _fire(db, deadline, level, now)
    return fired


def _fire(db: Session, deadline: DeadlineClock, level: EscalationLevel, now: dt.datetime) -> int:
    """Record the level, then act on it, inside one savepoint; 1 if it fired here, 0 if not."""
    savepoint = db.begin_nested()
    try:
        db.add(DeadlineEscalation(clock_id=deadline.id, level=level, fired_at=now))
        db.flush()
    except IntegrityError:
        savepoint.rollback()
        return 0  # another scanner recorded this level first
    try:
        deadlines.escalate(db, deadline, level)
    except Exception:
        # Undo the record too, so the escalation is tried again at the next scan rather than lost.
        savepoint.rollback()
        log.exception("escalation %s of deadline clock %s failed", level.value, deadline.id)
        return 0
    savepoint.commit()
    return 1


def next_due_at(db: Session) -> dt.datetime | None:
    """The earliest time a running clock has a level left to fire, so a scheduler can sleep until then."""
    running = DeadlineClock.status == ClockStatus.RUNNING
    warn = db.scalar(select(func.min(DeadlineClock.warn_at))
                     .where(running, _not_fired(EscalationLevel.WARNING)))
    due = db.scalar(select(func.min(DeadlineClock.due_at)).where(running, _not_fired(EscalationLevel.BREACH)))
    return min((t for t in (warn, due) if t is not None), default=None)
