"""The demo's dashboard: the daily counts of the demo records from 1 January of the year before last (the
demo holds two years of history). Counted once the county is committed and after every module's own
after-commit part (stats is the last module), so the anti-fraud month and its history are counted too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.stats import service

# (what is being done, done so far, out of) — the CLI draws it as a progress bar.
Progress = Callable[[str, int, int], None]


def _silent(_what: str, _done: int, _total: int) -> None:
    pass


def load_stats_demo(*, progress: Progress = _silent) -> str:
    """Recount the two years (replacing what was counted: running it again changes nothing)."""
    today = clock.today_local()
    months = service.month_windows(dt.date(today.year - 2, 1, 1), today)
    label = "dashboard counts / 数据看板计数"
    with unit_of_work() as db:
        rows = service.rebuild(db, months[0].start, today,
                               progress=lambda month: progress(label, months.index(month) + 1, len(months)))
    return f"数据看板 dashboard: {rows:,} daily counts since {months[0].start}"
