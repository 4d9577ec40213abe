import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pingan.core.workcal import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


def sh(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def test_national_day_is_holiday():
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert not CAL.is_working_day(date(2026, 10, 7))
    assert CAL.is_working_day(date(2026, 10, 8))


def test_make_up_saturday_is_working_day_and_plain_saturday_is_not():
    saturdays = [date(2026, 1, 3) + timedelta(weeks=i) for i in range(52)]
    make_up = [d for d in saturdays if CAL.is_working_day(d)]
    assert make_up, "chinese_calendar lists make-up Saturdays for 2026"
    assert date(2026, 2, 28) in make_up
    assert not CAL.is_working_day(date(2026, 3, 14))
    assert CAL.is_working_day(date(2026, 3, 13))


def test_add_working_time_across_a_night():
    end = CAL.add_working_time(sh(2026, 3, 10, 16, 30), timedelta(hours=2))
    assert end == sh(2026, 3, 11, 9, 30)
    assert end.tzinfo is UTC


def test_add_working_time_across_weekend_and_holiday():
    assert CAL.add_working_time(sh(2026, 3, 13, 17), timedelta(hours=1)) == sh(2026, 3, 16, 9)
    # 30 Sep 17:00 + 1 h skips the whole National Day week.
    assert CAL.add_working_time(sh(2026, 9, 30, 17), timedelta(hours=1)) == sh(2026, 10, 8, 9)


def test_add_working_time_start_outside_hours():
    assert CAL.add_working_time(sh(2026, 3, 10, 6), timedelta(hours=1)) == sh(2026, 3, 10, 9, 30)
    assert CAL.add_working_time(sh(2026, 3, 10, 20), timedelta(minutes=30)) == sh(2026, 3, 11, 9)
    assert CAL.add_working_time(sh(2026, 3, 14, 10), timedelta(minutes=30)) == sh(2026, 3, 16, 9)


def test_add_working_time_accepts_utc_start_and_ends_at_day_end():
    start = datetime(2026, 3, 10, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    assert CAL.add_working_time(start, timedelta(hours=9)) == sh(2026, 3, 10, 17, 30)


def test_add_working_time_long_duration():
    # 2026-03-02 (Mon) to 2026-03-27 (Fri) is 20 plain working days with no holiday in between.
    assert CAL.add_working_time(sh(2026, 3, 2, 8, 30), timedelta(hours=9 * 20)) == sh(2026, 3, 27, 17, 30)


def test_add_working_time_rejects_naive_and_negative():
    with pytest.raises(ValueError):
        CAL.add_working_time(datetime(2026, 3, 10, 9), timedelta(hours=1))
    with pytest.raises(ValueError):
        CAL.add_working_time(sh(2026, 3, 10, 9), timedelta(hours=-1))


@pytest.mark.parametrize(
    ("start", "duration"),
    [
        (sh(2026, 3, 10, 9), timedelta(hours=3)),
        (sh(2026, 3, 10, 16, 30), timedelta(hours=2)),
        (sh(2026, 3, 14, 10), timedelta(hours=7, minutes=15)),
        (sh(2026, 9, 29, 11), timedelta(hours=30)),
        (sh(2026, 3, 10, 20), timedelta(0)),
    ],
)
def test_working_time_between_inverts_add_working_time(start, duration):
    assert CAL.working_time_between(start, CAL.add_working_time(start, duration)) == duration


def test_working_time_between_zero_when_not_after():
    assert CAL.working_time_between(sh(2026, 3, 10, 12), sh(2026, 3, 10, 10)) == timedelta(0)
    assert CAL.working_time_between(sh(2026, 3, 14, 9), sh(2026, 3, 15, 17)) == timedelta(0)


def test_end_of_working_day():
    assert CAL.end_of_working_day(sh(2026, 3, 10, 7)) == sh(2026, 3, 10, 17, 30)
    assert CAL.end_of_working_day(sh(2026, 3, 10, 10)) == sh(2026, 3, 10, 17, 30)
    assert CAL.end_of_working_day(sh(2026, 3, 10, 17, 30)) == sh(2026, 3, 11, 17, 30)
    assert CAL.end_of_working_day(sh(2026, 3, 13, 18)) == sh(2026, 3, 16, 17, 30)
    assert CAL.end_of_working_day(sh(2026, 10, 1, 10)).tzinfo is UTC
    assert CAL.end_of_working_day(sh(2026, 10, 1, 10)) == sh(2026, 10, 8, 17, 30)


def test_end_of_day_uses_local_date():
    last = datetime.combine(date(2026, 3, 10), time.max, SH)
    assert CAL.end_of_day(datetime(2026, 3, 10, 15, tzinfo=UTC)) == last  # 23:00 local
    assert CAL.end_of_day(datetime(2026, 3, 10, 17, tzinfo=UTC)) == last + timedelta(days=1)  # 01:00 next day
    assert CAL.end_of_day(sh(2026, 3, 10, 12)).tzinfo is UTC


def test_custom_hours():
    cal = WorkCalendar(day_start=time(9), day_end=time(12))
    assert cal.add_working_time(sh(2026, 3, 10, 11), timedelta(hours=2)) == sh(2026, 3, 11, 10)
    with pytest.raises(ValueError):
        WorkCalendar(day_start=time(12), day_end=time(9))


def test_overlay_file_adds_holiday_and_workday(tmp_path, caplog):
    path = tmp_path / "calendar.yaml"
    path.write_text("holidays: [2027-01-04]\nworkdays: ['2027-01-09']\n", encoding="utf-8")
    cal = WorkCalendar.from_file(path, time(8, 30), time(17, 30))
    with caplog.at_level(logging.WARNING, logger="pingan.core.workcal"):
        assert not cal.is_working_day(date(2027, 1, 4))  # Monday made a holiday
        assert cal.is_working_day(date(2027, 1, 9))  # Saturday made a workday
        assert cal.is_working_day(date(2027, 1, 5))
        assert not cal.is_working_day(date(2027, 1, 10))
    assert not caplog.records, "a year the overlay covers is not warned about"
    # Friday 1 Jan 17:00 + 1 h: the Monday holiday pushes it to Tuesday.
    assert cal.add_working_time(sh(2027, 1, 1, 17), timedelta(hours=1)) == sh(2027, 1, 5, 9)


def test_overlay_overrides_package():
    cal = WorkCalendar(extra_workdays={date(2026, 10, 7)})
    assert cal.is_working_day(date(2026, 10, 7))


def test_from_file_none_means_no_overlay():
    cal = WorkCalendar.from_file(None, time(8, 30), time(17, 30))
    assert not cal.extra_holidays and not cal.extra_workdays


@pytest.mark.parametrize(
    "text",
    [
        "holidays: [2027-02-30]\n",
        "holidays: [not-a-date]\n",
        "holidays: 2027-01-04\n",
        "holiday: [2027-01-04]\n",
        "- 2027-01-04\n",
        "holidays: [2027-01-04]\nworkdays: [2027-01-04]\n",
        "holidays: [\n",
    ],
)
def test_bad_overlay_file_raises_value_error(tmp_path, text):
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        WorkCalendar.from_file(path, time(8, 30), time(17, 30))


def test_missing_overlay_file_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="missing.yaml"):
        WorkCalendar.from_file(tmp_path / "missing.yaml", time(8, 30), time(17, 30))


def test_unknown_year_falls_back_to_weekdays_and_warns_once(caplog):
    cal = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="pingan.core.workcal"):
        assert cal.is_working_day(date(2099, 1, 1))  # Thursday; no holiday data this far ahead
        assert not cal.is_working_day(date(2099, 1, 3))  # Saturday
        assert cal.is_working_day(date(2099, 1, 5))
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1
