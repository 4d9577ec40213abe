"""The rental clocks on the platform's deadlines, on the Chinese work calendar: the landlord's report of a
move-in and of a move-out within 3 working days (reminded a working day before); a report not made goes to
the grid worker's to-do, then to the community officer's, then to the station; and each hazard's
rectification deadline. Each escalates once per clock and level (the platform's scanner)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, ClockStatus, DeadlineClock
from pingan.rental import repository as repo
from pingan.rental.models import Hazard, Property, Tenancy
from pingan.rental.settings import get_rental_settings
from pingan.rental.vocabulary import CLOCK_LABELS, ITEM_LABELS, PHASE_LABELS, Clock

OWNER = "rental_tenancy"
HAZARD_OWNER = "rental_hazard"
PHASES = ("in", "out")
HOUR = dt.timedelta(hours=1)


def link(prop: Property | int) -> str:
    return f"/rental/properties/{prop if isinstance(prop, int) else prop.id}"


def owner_id(tenancy: Tenancy, phase: str) -> str:
    return f"{tenancy.id}.{phase}"


def report_due(day: dt.date) -> dt.datetime:
    """The end of the working day that is the ``report_working_days``-th after ``day`` (the day itself does not
    count): a move-in on the last working day before a holiday is due after the holiday, 调休 days counting."""
    calendar = deadlines.work_calendar()
    left = get_rental_settings().report_working_days
    while left:
        day += dt.timedelta(days=1)
        left -= calendar.is_working_day(day)
    return dt.datetime.combine(day, calendar.day_end, calendar.tz).astimezone(dt.UTC)


def title(tenancy: Tenancy, kind: str, phase: str) -> str:
    return f"{CLOCK_LABELS[kind]}（{PHASE_LABELS[phase]}）：{tenancy.name} {tenancy.unit.label}"


def start_report(db: Session, prop: Property, tenancy: Tenancy, phase: str, day: dt.date) -> DeadlineClock:
    """The landlord's report of the move-in or move-out of ``day``, on their to-do (the grid's, if the
    property has no portal account)."""
    s = get_rental_settings()
    users = repo.keeper_users(db, prop.id)
    return deadlines.start(db, owner_type=OWNER, owner_id=owner_id(tenancy, phase), kind=Clock.REPORT,
                           title=title(tenancy, Clock.REPORT, phase), due_at=report_due(day),
                           mode=ClockMode.WORKING, warn_before=s.report_warn_working_hours * HOUR,
                           unit_id=prop.grid_id, assignee_id=users[0] if users else None, link=link(prop))


def reported(db: Session, tenancy: Tenancy, phase: str) -> bool:
    """The landlord's report has come: the report clock (and any chasing) ends as met. True if on time: not
    yet due, and never escalated as late. A report owed by no clock is on time if made within the days."""
    deadline = deadlines.stop(db, owner_type=OWNER, owner_id=owner_id(tenancy, phase), kind=Clock.REPORT)
    for kind in (Clock.CHASE, Clock.AUDIT):
        deadlines.stop(db, owner_type=OWNER, owner_id=owner_id(tenancy, phase), kind=kind)
    day = tenancy.moved_in_on if phase == "in" else tenancy.moved_out_on
    due = deadline.due_at if deadline is not None else report_due(day)
    earlier = tenancy.move_in_on_time if phase == "in" else tenancy.move_out_on_time
    return earlier is not False and clock.now() <= due


def cancel(db: Session, tenancy: Tenancy, phase: str) -> None:
    for kind in (Clock.REPORT, Clock.CHASE, Clock.AUDIT):
        deadlines.stop(db, owner_type=OWNER, owner_id=owner_id(tenancy, phase), kind=kind, met=False)


def for_tenancy(db: Session, tenancy: Tenancy) -> list[tuple[str, DeadlineClock]]:
    return [(phase, c) for phase in PHASES for c in deadlines.clocks_for(db, OWNER, owner_id(tenancy, phase))]


def running_for(db: Session, tenancy: Tenancy) -> list[tuple[str, DeadlineClock]]:
    return [(p, c) for p, c in for_tenancy(db, tenancy) if c.status is ClockStatus.RUNNING]


def start_rectify(db: Session, prop: Property, hazard: Hazard) -> DeadlineClock:
    calendar = deadlines.work_calendar()
    due = dt.datetime.combine(hazard.due_on, dt.time(23, 59), calendar.tz).astimezone(dt.UTC)
    users = repo.keeper_users(db, prop.id)
    return deadlines.start(db, owner_type=HAZARD_OWNER, owner_id=hazard.id, kind=Clock.RECTIFY,
                           title=f"{CLOCK_LABELS[Clock.RECTIFY]}：{prop.name} {ITEM_LABELS[hazard.item]}", due_at=due,
                           warn_before=dt.timedelta(days=1), unit_id=prop.grid_id,
                           assignee_id=users[0] if users else None, link=link(prop), new_owner=True)


def rectified(db: Session, hazard: Hazard) -> None:
    deadlines.stop(db, owner_type=HAZARD_OWNER, owner_id=hazard.id, kind=Clock.RECTIFY)
