"""The one-window clocks on the platform's deadlines: an item's legal limit (calendar or working days on the
Chinese work calendar, the day of acceptance not counted) and a rectification's 15 working days."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.onewindow.models import ApplicationItem, CatalogueItem, LimitKind, Rectification
from pingan.onewindow.settings import get_onewindow_settings
from pingan.onewindow.vocabulary import CLOCK_LABELS, Clock
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, DeadlineClock

ITEM_OWNER = "onewindow_application_item"
RECTIFICATION_OWNER = "onewindow_rectification"


def item_link(item: ApplicationItem) -> str:
    return f"/onewindow/applications/{item.application_id}"


def rectification_link(rectification: Rectification) -> str:
    """The rectification's own page: its clock, the call-back and the steps its status allows."""
    return f"/onewindow/rectifications/{rectification.id}"


def _day_end(day: dt.date) -> dt.datetime:
    cal = deadlines.work_calendar()
    return dt.datetime.combine(day, cal.day_end, clock.LOCAL_TZ).astimezone(dt.UTC)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th working day after ``start``'s local day (the start day is not counted)."""
    cal = deadlines.work_calendar()
    day, left = clock.local(start).date(), days
    while left:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            left -= 1
    return _day_end(day)


def add_calendar_days(start: dt.datetime, days: int) -> dt.datetime:
    """The end (local midnight) of the ``days``-th calendar day after ``start``'s local day."""
    day = clock.local(start).date() + dt.timedelta(days=days + 1)
    return dt.datetime.combine(day, dt.time(), clock.LOCAL_TZ).astimezone(dt.UTC)


def legal_due(entry: CatalogueItem, accepted_at: dt.datetime) -> dt.datetime:
    if entry.limit_kind is LimitKind.WORKING:
        return add_working_days(accepted_at, entry.limit_days)
    return add_calendar_days(accepted_at, entry.limit_days)


def working_days_left(due_at: dt.datetime, now: dt.datetime) -> int:
    """Working days after ``now``'s local day up to the due day (0: it is due today, or has passed)."""
    if due_at <= now:
        return 0
    cal = deadlines.work_calendar()
    day, last, left = clock.local(now).date(), clock.local(due_at).date(), 0
    while day < last:
        day += dt.timedelta(days=1)
        left += cal.is_working_day(day)
    return left


def days_left(kind: LimitKind, due_at: dt.datetime, now: dt.datetime) -> int:
    """What is left of a limit in its own days: working days, or whole calendar days started."""
    if kind is LimitKind.WORKING:
        return working_days_left(due_at, now)
    return max(0, -(-(due_at - now) // dt.timedelta(days=1)))


def _working_day() -> dt.timedelta:
    cal = deadlines.work_calendar()
    return dt.datetime.combine(dt.date.min, cal.day_end) - dt.datetime.combine(dt.date.min, cal.day_start)


def start_item(db: Session, item: ApplicationItem, entry: CatalogueItem) -> DeadlineClock:
    """The item's legal clock from its acceptance, warned a day (of its own kind) ahead."""
    warn_days = get_onewindow_settings().item_warn_days
    working = entry.limit_kind is LimitKind.WORKING
    return deadlines.start(
        db, owner_type=ITEM_OWNER, owner_id=item.id, kind=Clock.ITEM,
        title=f"{CLOCK_LABELS[Clock.ITEM]}：{entry.name} 申请 #{item.application_id}",
        due_at=legal_due(entry, item.accepted_at), started_at=item.accepted_at,
        mode=ClockMode.WORKING if working else ClockMode.WALL,
        warn_before=warn_days * (_working_day() if working else dt.timedelta(days=1)),
        unit_id=item.station_id, link=item_link(item))


def stop_item(db: Session, item: ApplicationItem, *, met: bool = True) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=ITEM_OWNER, owner_id=item.id, kind=Clock.ITEM, met=met)


def start_rectification(db: Session, rectification: Rectification) -> DeadlineClock:
    s = get_onewindow_settings()
    return deadlines.start(
        db, owner_type=RECTIFICATION_OWNER, owner_id=rectification.id, kind=Clock.RECTIFICATION,
        title=f"{CLOCK_LABELS[Clock.RECTIFICATION]} #{rectification.id}",
        due_at=add_working_days(rectification.opened_at, s.rectification_working_days),
        started_at=rectification.opened_at, mode=ClockMode.WORKING,
        warn_before=s.rectification_warn_days * _working_day(), unit_id=rectification.unit_id,
        link=rectification_link(rectification))


def stop_rectification(db: Session, rectification: Rectification, *, met: bool = True) -> DeadlineClock | None:
    return deadlines.stop(db, owner_type=RECTIFICATION_OWNER, owner_id=rectification.id,
                          kind=Clock.RECTIFICATION, met=met)


def pause_rectification(db: Session, rectification: Rectification) -> None:
    """An appeal under review stops the fixing clock (the unit may not be at fault)."""
    deadlines.pause(db, owner_type=RECTIFICATION_OWNER, owner_id=rectification.id, kind=Clock.RECTIFICATION)


def resume_rectification(db: Session, rectification: Rectification) -> None:
    deadlines.resume(db, owner_type=RECTIFICATION_OWNER, owner_id=rectification.id, kind=Clock.RECTIFICATION)


def clocks_of(db: Session, item: ApplicationItem) -> list[DeadlineClock]:
    return deadlines.clocks_for(db, ITEM_OWNER, item.id)


def rectification_clock(db: Session, rectification: Rectification) -> DeadlineClock | None:
    """The rectification's 15-working-day clock (the latest, should one be restarted)."""
    found = deadlines.clocks_for(db, RECTIFICATION_OWNER, rectification.id)
    return found[-1] if found else None
