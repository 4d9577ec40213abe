"""The one clock: ``clock.at`` runs a block as if it were another time and always puts the clock back."""

from __future__ import annotations

import datetime as dt

import pytest

from pingan.core import clock


def test_at_runs_the_block_at_that_time_and_puts_the_clock_back():
    when = dt.datetime(2025, 1, 28, 9, 30, tzinfo=clock.LOCAL_TZ)
    before = clock.now()
    with clock.at(when):
        assert abs(clock.now() - when) < dt.timedelta(seconds=1)
    assert abs(clock.now() - before) < dt.timedelta(seconds=1)


def test_at_puts_the_clock_back_when_the_block_fails():
    before = clock.now()
    with pytest.raises(RuntimeError), clock.at(before - dt.timedelta(days=400)):
        raise RuntimeError("the block failed")
    assert abs(clock.now() - before) < dt.timedelta(seconds=1)
