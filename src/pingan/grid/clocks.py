"""The grid clocks on the platform's deadlines: a report's acceptance and feedback, a handed call's acceptance,
feedback and the call-back the day after closure, and the chase clock a breach starts (see jobs.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.grid.models import HandedCall, Report
from pingan.grid.settings import get_grid_settings
from pingan.grid.vocabulary import CLOCK_LABELS, Clock
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, DeadlineClock
from pingan.platform.users.models import User

REPORT = "grid_report"
CALL = "grid_call"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# What each owner's record is called in a clock's title.
_NOUNS = {REPORT: "上报", CALL: "警情"}

Owner = Report | HandedCall


def owner_type(record: Owner) -> str:
    return REPORT if isinstance(record, Report) else CALL


def link(record: Owner) -> str:
    return f"/grid/reports/{record.id}" if isinstance(record, Report) else f"/grid/calls/{record.id}"


def _summary(record: Owner) -> str:
    return record.description[:40] if isinstance(record, Report) else f"{record.call_no} {record.summary[:30]}"


def _start(db: Session, record: Owner, kind: Clock, *, due_in: dt.timedelta | None = None,
           due_at: dt.datetime | None = None, warn_before: dt.timedelta | None = None,
           assignee: User | None = None, unit_id: int | None = None, started_at: dt.datetime | None = None,
           mode: ClockMode = ClockMode.WALL, note: str = "") -> DeadlineClock:
    kind_of = owner_type(record)
    title = f"{CLOCK_LABELS[kind]}{note}：{_NOUNS[kind_of]} #{record.id} {_summary(record)}"
    return deadlines.start(db, owner_type=kind_of, owner_id=record.id, kind=kind, title=title, due_in=due_in,
                           due_at=due_at, warn_before=warn_before, mode=mode, unit_id=unit_id or record.grid_id,
                           assignee_id=assignee.id if assignee else None, link=link(record), started_at=started_at)


def feedback_limit(is_complex: bool) -> dt.timedelta:
    s = get_grid_settings()
    return s.complex_feedback_days * DAY if is_complex else s.feedback_hours * HOUR


def start_report_clocks(db: Session, report: Report, officer: User | None, community_id: int | None) -> None:
    """On the officer's to-do (or the community's, if the grid has no officer yet): accept, then feed back."""
    s = get_grid_settings()
    unit = community_id or report.grid_id
    _start(db, report, Clock.REPORT_ACCEPT, due_in=s.accept_hours * HOUR, warn_before=s.accept_warn_hours * HOUR,
           assignee=officer, unit_id=unit, started_at=report.submitted_at)
    _start(db, report, Clock.REPORT_FEEDBACK, due_in=feedback_limit(report.is_complex),
           warn_before=s.feedback_warn_hours * HOUR, assignee=officer, unit_id=unit, started_at=report.submitted_at)


def start_call_clocks(db: Session, call: HandedCall, worker: User | None) -> None:
    """On the grid's to-do (its grid worker's, if it has one): sign for it, then feed back to caller and station."""
    s = get_grid_settings()
    _start(db, call, Clock.CALL_ACCEPT, due_in=s.call_accept_hours * HOUR,
           warn_before=s.call_accept_warn_hours * HOUR, assignee=worker, started_at=call.received_at)
    _start(db, call, Clock.CALL_FEEDBACK, due_in=feedback_limit(call.is_complex),
           warn_before=s.feedback_warn_hours * HOUR, assignee=worker, started_at=call.received_at)


def call_back_due(closed_at: dt.datetime) -> dt.datetime:
    """The end of the local day after closure (回访 the day after 办结)."""
    day = clock.local(closed_at).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), clock.LOCAL_TZ)


def start_call_back(db: Session, call: HandedCall, officer: User | None) -> DeadlineClock:
    return _start(db, call, Clock.CALL_BACK, due_at=call_back_due(call.closed_at), warn_before=4 * HOUR,
                  assignee=officer, unit_id=call.grid.parent_id or call.grid_id)


def working_days(n: float) -> dt.timedelta:
    """``n`` working days as working time on the platform's calendar (a day is day_start to day_end)."""
    cal = deadlines.work_calendar()
    day = dt.date(2000, 1, 3)
    length = dt.datetime.combine(day, cal.day_end) - dt.datetime.combine(day, cal.day_start)
    return n * length


def start_chase(db: Session, deadline: DeadlineClock, record: Owner) -> DeadlineClock:
    """A clock ran out: the chase clock counts the working days until the step is done or it is escalated."""
    s = get_grid_settings()
    return _start(db, record, Clock.CHASE, due_in=working_days(s.chase_working_days), mode=ClockMode.WORKING,
                  assignee=None, unit_id=deadline.unit_id, note=f"（{CLOCK_LABELS[deadline.kind]}）")


def met(db: Session, record: Owner, kind: Clock) -> DeadlineClock | None:
    """The step the clock waits for is done: the clock is met, and a chase it started ends with it."""
    deadline = deadlines.stop(db, owner_type=owner_type(record), owner_id=record.id, kind=kind)
    deadlines.stop(db, owner_type=owner_type(record), owner_id=record.id, kind=Clock.CHASE)
    return deadline


def stop_all(db: Session, record: Owner) -> None:
    """Closing, linking or returning ends every clock still owed (cancelled)."""
    for kind in Clock:
        deadlines.stop(db, owner_type=owner_type(record), owner_id=record.id, kind=kind, met=False)


def all_clocks(db: Session, record: Owner) -> list[DeadlineClock]:
    return deadlines.clocks_for(db, owner_type(record), record.id)
