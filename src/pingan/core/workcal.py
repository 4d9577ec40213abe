"""Chinese working-day calendar for service-time clocks: statutory holidays and make-up working days
(调休) from `chinese_calendar`, overlaid by an operator file for years the package does not know yet."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import yaml

log = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
_ONE_DAY = timedelta(days=1)

# Copied into sets once: chinese_calendar's own is_workday() rescans its tables on every call.
_PKG_HOLIDAYS = frozenset(chinese_calendar.holidays)
_PKG_WORKDAYS = frozenset(chinese_calendar.workdays)
_PKG_YEARS = frozenset(range(min(_PKG_HOLIDAYS).year, max(_PKG_HOLIDAYS).year + 1))


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


class WorkCalendar:
    """Working days and working hours [day_start, day_end) in local time `tz`.

    The overlay wins over the package, so an operator can also correct a published arrangement.
    Any year the overlay mentions counts as known; other unknown years fall back to Monday-Friday.
    """

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        day_start: time = time(8, 30),
        day_end: time = time(17, 30),
        tz: tzinfo = SHANGHAI,
    ) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        clash = self.extra_holidays & self.extra_workdays
        if clash:
            raise ValueError(f"dates listed as both holiday and workday: {sorted(clash)}")
        if day_start >= day_end:
            raise ValueError(f"day_start {day_start} must be before day_end {day_end}")
        self.day_start = day_start
        self.day_end = day_end
        self.tz = tz
        self._known_years = _PKG_YEARS | {d.year for d in self.extra_holidays | self.extra_workdays}
        self._warned_years: set[int] = set()

    @classmethod
    def from_file(
        cls,
        path: Path | None,
        day_start: time = time(8, 30),
        day_end: time = time(17, 30),
        tz: tzinfo = SHANGHAI,
    ) -> WorkCalendar:
        """Load the operator overlay `{holidays: [...], workdays: [...]}`; a bad file raises ValueError."""
        if path is None:
            return cls(day_start=day_start, day_end=day_end, tz=tz)
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ValueError(f"calendar overlay {path}: cannot read: {exc}") from exc
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ValueError(f"calendar overlay {path}: top level must be a mapping with holidays/workdays")
        unknown = set(data) - {"holidays", "workdays"}
        if unknown:
            raise ValueError(f"calendar overlay {path}: unknown keys {sorted(map(str, unknown))}")
        return cls(
            extra_holidays=_parse_dates(data.get("holidays"), path, "holidays"),
            extra_workdays=_parse_dates(data.get("workdays"), path, "workdays"),
            day_start=day_start,
            day_end=day_end,
            tz=tz,
        )

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        if d.year in _PKG_YEARS:
            return d in _PKG_WORKDAYS or (d.weekday() < 5 and d not in _PKG_HOLIDAYS)
        if d.year not in self._known_years and d.year not in self._warned_years:
            self._warned_years.add(d.year)
            log.warning(
                "no holiday data for %d: treating Monday-Friday as working days; "
                "add the year to the calendar overlay file",
                d.year,
            )
        return d.weekday() < 5

    def _period(self, d: date) -> tuple[datetime, datetime]:
        # Built per date and compared in UTC, so a tz with DST shifts is still measured correctly.
        return (
            datetime.combine(d, self.day_start, self.tz).astimezone(UTC),
            datetime.combine(d, self.day_end, self.tz).astimezone(UTC),
        )

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The UTC instant at which `duration` of working time has elapsed since `start`.

        Time outside working periods is skipped; a start outside them begins counting at the next one.
        A duration that ends exactly at day_end returns that day_end, not the next morning.
        """
        _require_aware(start, "start")
        if duration < timedelta(0):
            raise ValueError(f"duration must not be negative, got {duration}")
        cursor = start.astimezone(UTC)
        remaining = duration
        d = self._local_date(start)
        while True:
            if self.is_working_day(d):
                period_start, period_end = self._period(d)
                begin = max(cursor, period_start)
                if begin < period_end:
                    available = period_end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            d += _ONE_DAY

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time elapsed from `a` to `b`; zero if `b` is not after `a`."""
        _require_aware(a, "a")
        _require_aware(b, "b")
        a, b = a.astimezone(UTC), b.astimezone(UTC)
        total = timedelta(0)
        if b <= a:
            return total
        d, last = self._local_date(a), self._local_date(b)
        while d <= last:
            if self.is_working_day(d):
                period_start, period_end = self._period(d)
                overlap = min(b, period_end) - max(a, period_start)
                if overlap > timedelta(0):
                    total += overlap
            d += _ONE_DAY
        return total

    def end_of_working_day(self, at: datetime) -> datetime:
        """day_end (UTC) of `at`'s local date if that is a working day not yet over, else of the next one."""
        _require_aware(at, "at")
        at = at.astimezone(UTC)
        d = self._local_date(at)
        while True:
            if self.is_working_day(d):
                period_end = self._period(d)[1]
                if at < period_end:
                    return period_end
            d += _ONE_DAY

    def end_of_day(self, at: datetime) -> datetime:
        """The last microsecond (UTC) of `at`'s local calendar date, for same-day wall-clock rules."""
        _require_aware(at, "at")
        return datetime.combine(self._local_date(at), time.max, self.tz).astimezone(UTC)


def _parse_dates(raw: object, path: Path, key: str) -> set[date]:
    if raw is None:
        return set()
    if not isinstance(raw, list):
        raise ValueError(f"calendar overlay {path}: {key} must be a list of dates")
    out: set[date] = set()
    for item in raw:
        # YAML turns unquoted 2027-01-01 into a date; quoted ones arrive as strings.
        if isinstance(item, date) and not isinstance(item, datetime):
            out.add(item)
        elif isinstance(item, str):
            try:
                out.add(date.fromisoformat(item))
            except ValueError:
                raise ValueError(
                    f"calendar overlay {path}: {key}: {item!r} is not a YYYY-MM-DD date"
                ) from None
        else:
            raise ValueError(f"calendar overlay {path}: {key}: {item!r} is not a date")
    return out


# 春节 (the first day of the first lunar month), for comparing a period with the same days around the Spring
# Festival a year before. Source: the State Council General Office's yearly holiday notices (国务院办公厅关于
# 20xx年部分节假日安排的通知, e.g. 国办发明电〔2024〕12号 for 2025: 春节 1月28日至2月4日, 初一 1月29日) and the
# Purple Mountain Observatory's 中国天文年历; the years a comparison may need, 2018 to 2030.
SPRING_FESTIVAL = {
    2018: date(2018, 2, 16), 2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12),
    2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
    2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}


def spring_festival(year: int) -> date:
    """The Spring Festival's day in ``year``; KeyError for a year the table does not hold."""
    return SPRING_FESTIVAL[year]
