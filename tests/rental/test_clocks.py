"""The landlord's report is due at the end of the third working day after the move-in, on the Chinese work
calendar with its 调休 days."""

from __future__ import annotations

import datetime as dt

from pingan.core import clock
from pingan.rental.clocks import report_due


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(clock.LOCAL_TZ)


def test_a_move_in_on_the_last_working_day_before_national_day_is_due_after_it_on_the_makeup_saturday():
    # 2026-09-30 (Wed) is the last working day before 国庆 (1-7 October); 8, 9 and Saturday 10 October
    # (调休, a working day) are the three working days.
    due = _local(report_due(dt.date(2026, 9, 30)))
    assert due == dt.datetime(2026, 10, 10, 17, 30, tzinfo=clock.LOCAL_TZ)


def test_a_move_in_on_a_friday_skips_the_weekend():
    # 2026-11-27 is a Friday: Monday 30 November, Tuesday 1 and Wednesday 2 December.
    assert _local(report_due(dt.date(2026, 11, 27))) == dt.datetime(2026, 12, 2, 17, 30, tzinfo=clock.LOCAL_TZ)


def test_a_move_in_on_the_makeup_saturday_before_spring_festival_is_due_after_the_holiday():
    # 2026-02-14 (Sat) is a 调休 working day, 15-23 February the holiday: 24, 25, 26 February.
    assert _local(report_due(dt.date(2026, 2, 14))) == dt.datetime(2026, 2, 26, 17, 30, tzinfo=clock.LOCAL_TZ)
