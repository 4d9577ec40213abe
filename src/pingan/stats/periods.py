"""The sheet's periods: week to date (Monday to Sunday), the last 28 days, year to date; and the same period a
year before, aligned on dates (29 February → 28 February) or on the Chinese calendar (shifted by the days
between the two Spring Festivals, so the festival week meets the festival week)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from pingan.core.errors import ValidationFailed
from pingan.core.workcal import spring_festival


class Period(enum.StrEnum):
    WTD = "wtd"
    D28 = "28d"
    YTD = "ytd"


PERIOD_LABELS = {Period.WTD: "本周", Period.D28: "近28天", Period.YTD: "年初至今"}


class Align(enum.StrEnum):
    DATES = "dates"
    LUNAR = "lunar"


ALIGN_LABELS = {Align.DATES: "按公历同期", Align.LUNAR: "按农历同期（春节对春节）"}


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def window(period: Period, on: dt.date) -> Window:
    if period is Period.WTD:
        return Window(on - dt.timedelta(days=on.weekday()), on)
    if period is Period.D28:
        return Window(on - dt.timedelta(days=27), on)
    return Window(dt.date(on.year, 1, 1), on)


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def lunar_offset(year: int) -> dt.timedelta:
    """Days between this year's Spring Festival and last year's."""
    try:
        return spring_festival(year) - spring_festival(year - 1)
    except KeyError:
        raise ValidationFailed("stats.calendar_unknown",
                               f"没有{year - 1}或{year}年的春节日期 / no Spring Festival date for {year - 1} or "
                               f"{year}") from None


def last_year(period: Period, current: Window, align: Align = Align.DATES) -> Window:
    """The same period a year before. Year to date always starts on 1 January; on the Chinese calendar the week
    and the 28 days are shifted by the Spring Festivals' distance, keeping their length."""
    if align is Align.LUNAR and period is not Period.YTD:
        offset = lunar_offset(current.end.year)
        return Window(current.start - offset, current.end - offset)
    if period is Period.YTD:
        return Window(dt.date(current.end.year - 1, 1, 1), year_before(current.end))
    return Window(year_before(current.start), year_before(current.end))
