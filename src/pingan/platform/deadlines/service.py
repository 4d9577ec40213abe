"""Deadline clocks on any record (start, stop, pause, resume), their escalation actions, and each user's to-do."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.core.workcal import WorkCalendar
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.deadlines.models import ClockMode, ClockStatus, DeadlineClock, EscalationLevel
from pingan.platform.notify import service as notify
from pingan.platform.users.models import User
from pingan.platform.vocabulary import Action, Topic

EscalationHandler = Callable[[Session, DeadlineClock, EscalationLevel], None]

# A clock counts as "due soon" on the to-do once its warning time has come or this little time is left.
DUE_SOON = dt.timedelta(hours=24)
_ACTIVE = (ClockStatus.RUNNING, ClockStatus.PAUSED)
_CODES = {EscalationLevel.WARNING: (Topic.DEADLINE_WARNED, Action.DEADLINE_WARNED),
          EscalationLevel.BREACH: (Topic.DEADLINE_BREACHED, Action.DEADLINE_BREACHED)}
_LEVEL_LABELS = {EscalationLevel.WARNING: "即将到期", EscalationLevel.BREACH: "已超时"}
_handlers: dict[str, list[EscalationHandler]] = defaultdict(list)


def on_escalation(kind: str) -> Callable[[EscalationHandler], EscalationHandler]:
    """Decorator: ``fn(db, clock, level)`` runs, in the scanner's transaction, when a clock of ``kind`` escalates."""

    def wrap(fn: EscalationHandler) -> EscalationHandler:
        _handlers[kind].append(fn)
        return fn

    return wrap


@functools.cache
def work_calendar() -> WorkCalendar:
    settings = get_settings()
    return WorkCalendar.from_file(
        settings.calendar_file,
        day_start=dt.time.fromisoformat(settings.workday_start),
        day_end=dt.time.fromisoformat(settings.workday_end),
    )


def _advance(mode: ClockMode, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    if mode is ClockMode.WORKING:
        return work_calendar().add_working_time(start, duration)
    return start + duration


def _between(mode: ClockMode, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    if mode is ClockMode.WORKING:
        return work_calendar().working_time_between(a, b)
    return b - a


def _schedule(deadline: DeadlineClock, now: dt.datetime, remaining: dt.timedelta,
              due_at: dt.datetime | None = None) -> None:
    """Set due_at (and warn_at, ``warn_before`` of the clock's own time ahead of it) from ``remaining``."""
    deadline.due_at = due_at or _advance(deadline.mode, now, remaining)
    if deadline.warn_before_seconds is None:
        deadline.warn_at = None
        return
    lead = remaining - dt.timedelta(seconds=deadline.warn_before_seconds)
    deadline.warn_at = _advance(deadline.mode, now, lead) if lead > dt.timedelta(0) else now


def _active(db: Session, owner_type: str, owner_id: object, kind: str) -> DeadlineClock | None:
    return db.scalar(
        select(DeadlineClock)
        .where(DeadlineClock.owner_type == owner_type, DeadlineClock.owner_id == str(owner_id),
               DeadlineClock.kind == kind, DeadlineClock.status.in_(_ACTIVE))
        .order_by(DeadlineClock.id.desc())
        .limit(1)
    )


def start(
    db: Session,
    *,
    owner_type: str,
    owner_id: object,
    kind: str,
    title: str,
    due_in: dt.timedelta | None = None,
    due_at: dt.datetime | None = None,
    mode: ClockMode = ClockMode.WALL,
    warn_before: dt.timedelta | None = None,
    unit_id: int | None = None,
    assignee_id: int | None = None,
    link: str | None = None,
    started_at: dt.datetime | None = None,
    new_owner: bool = False,
) -> DeadlineClock:
    """Start a clock on a record; if one of the same kind is already running (or paused), return that one.

    ``started_at`` backdates the start (the event the clock measures from); ``new_owner`` says the record was
    created in this transaction, so no clock of it can exist: the look-up is skipped and the clock is written
    with the caller's next flush rather than at once (hot paths that start several clocks).
    """
    if (due_in is None) == (due_at is None):
        raise ValueError("give exactly one of due_in and due_at")
    if not new_owner:
        existing = _active(db, owner_type, owner_id, kind)
        if existing is not None:
            return existing
    now = started_at or clock.now()
    deadline = DeadlineClock(
        owner_type=owner_type, owner_id=str(owner_id), kind=kind, title=title, link=link, unit_id=unit_id,
        assignee_id=assignee_id, mode=mode, status=ClockStatus.RUNNING, started_at=now,
        warn_before_seconds=warn_before.total_seconds() if warn_before is not None else None,
    )
    _schedule(deadline, now, due_in if due_in is not None else _between(mode, now, due_at), due_at)
    db.add(deadline)
    if not new_owner:
        db.flush()
    return deadline


def stop(db: Session, *, owner_type: str, owner_id: object, kind: str, met: bool = True) -> DeadlineClock | None:
    """End the active clock as met (or cancelled); ``None`` if there is none, so stopping twice is harmless."""
    deadline = _active(db, owner_type, owner_id, kind)
    if deadline is not None:
        deadline.status = ClockStatus.MET if met else ClockStatus.CANCELLED
        deadline.ended_at = clock.now()
    return deadline


def pause(db: Session, *, owner_type: str, owner_id: object, kind: str) -> DeadlineClock | None:
    """Stop the clock ticking, keeping what is left of it; a paused clock never escalates."""
    deadline = _active(db, owner_type, owner_id, kind)
    if deadline is None or deadline.status is ClockStatus.PAUSED:
        return deadline
    now = clock.now()
    remaining = max(_between(deadline.mode, now, deadline.due_at), dt.timedelta(0))
    deadline.status = ClockStatus.PAUSED
    deadline.paused_at = now
    deadline.remaining_seconds = remaining.total_seconds()
    return deadline


def resume(db: Session, *, owner_type: str, owner_id: object, kind: str) -> DeadlineClock | None:
    """Restart a paused clock: what was left when it paused counts from now."""
    deadline = _active(db, owner_type, owner_id, kind)
    if deadline is None or deadline.status is ClockStatus.RUNNING:
        return deadline
    now = clock.now()
    remaining = dt.timedelta(seconds=deadline.remaining_seconds or 0)
    deadline.status = ClockStatus.RUNNING
    deadline.paused_at = None
    deadline.remaining_seconds = None
    _schedule(deadline, now, remaining)
    return deadline


def clocks_for(db: Session, owner_type: str, owner_id: object) -> list[DeadlineClock]:
    """Every clock ever started on a record, oldest first."""
    stmt = (select(DeadlineClock)
            .where(DeadlineClock.owner_type == owner_type, DeadlineClock.owner_id == str(owner_id))
            .order_by(DeadlineClock.started_at, DeadlineClock.id))
    return list(db.scalars(stmt))


def escalate(db: Session, deadline: DeadlineClock, level: EscalationLevel) -> None:
    """What every escalation does: notify the assignee and the unit, audit it, then run the kind's handlers."""
    topic, action = _CODES[level]
    due_text = clock.format_local(deadline.due_at)
    notify.publish(
        db, topic=topic, title=f"{_LEVEL_LABELS[level]}：{deadline.title}", body=f"截止时间 {due_text}",
        link=deadline.link, unit_id=deadline.unit_id, user_id=deadline.assignee_id,
        payload={"clock_id": deadline.id, "kind": deadline.kind, "level": level.value,
                 "owner_type": deadline.owner_type, "owner_id": deadline.owner_id,
                 "due_at": deadline.due_at.isoformat()},
    )
    audit.record(
        db, actor=None, action=action, entity_type=deadline.owner_type, entity_id=deadline.owner_id,
        unit_id=deadline.unit_id, note=deadline.title,
        data={"clock_id": deadline.id, "kind": deadline.kind, "due_at": deadline.due_at.isoformat()},
    )
    for handler in _handlers.get(deadline.kind, ()):
        handler(db, deadline, level)


@dataclass(frozen=True)
class Todo:
    overdue: list[DeadlineClock]
    due_soon: list[DeadlineClock]
    later: list[DeadlineClock]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later)


def todo_for(db: Session, user: User, *, limit: int = 200) -> Todo:
    """Running clocks assigned to the user, or unassigned on a unit in the user's jurisdiction, by due time."""
    unassigned = and_(DeadlineClock.assignee_id.is_(None), access.unit_condition(db, user, DeadlineClock.unit_id))
    stmt = (select(DeadlineClock)
            .where(DeadlineClock.status == ClockStatus.RUNNING,
                   or_(DeadlineClock.assignee_id == user.id, unassigned))
            .order_by(DeadlineClock.due_at, DeadlineClock.id)
            .limit(limit))
    now = clock.now()
    overdue, due_soon, later = [], [], []
    for deadline in db.scalars(stmt):
        if deadline.due_at <= now:
            overdue.append(deadline)
        elif deadline.due_at <= now + DUE_SOON or (deadline.warn_at is not None and deadline.warn_at <= now):
            due_soon.append(deadline)
        else:
            later.append(deadline)
    return Todo(overdue, due_soon, later)
