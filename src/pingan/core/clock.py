"""Time: everything is stored in UTC and shown in Asia/Shanghai; ``now()`` is the one clock tests can move."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + _offset


def shift(delta: dt.timedelta) -> None:
    """Move the clock (tests and demos of deadlines); ``reset()`` puts it back."""
    global _offset
    _offset += delta


@contextlib.contextmanager
def at(when: dt.datetime) -> Iterator[None]:
    """Run as if it were ``when`` (demos writing their history): what is stamped meanwhile is."""
    delta = when - now()
    shift(delta)
    try:
        yield
    finally:
        shift(-delta)


def reset() -> None:
    global _offset
    _offset = dt.timedelta(0)


def local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(LOCAL_TZ) if value is not None else None


def format_local(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(LOCAL_TZ).strftime(fmt) if value is not None else ""


def today_local() -> dt.date:
    return now().astimezone(LOCAL_TZ).date()
