"""``pingan stats``: rebuild the dashboard's daily counts from the records."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.progress import Progress

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.stats import service

app = typer.Typer(help="数据看板 the leadership dashboard", no_args_is_help=True)


@app.command()
def rebuild(since: Annotated[str | None, typer.Option(help="first day to recount, YYYY-MM-DD "
                                                           "(default: 1 January five years ago)")] = None) -> None:
    """Recount every measure's daily counts from the modules' records, month by month."""
    today = clock.today_local()
    try:
        start = dt.date.fromisoformat(since) if since else dt.date(today.year - 5, 1, 1)
    except ValueError:
        raise typer.BadParameter("日期格式应为 YYYY-MM-DD / the date must read YYYY-MM-DD") from None
    months = (today.year - start.year) * 12 + today.month - start.month + 1
    with Progress() as progress, unit_of_work() as db:
        task = progress.add_task("重算每日计数 / recounting", total=months)
        rows = service.rebuild(db, start, today, progress=lambda _month: progress.advance(task))
    typer.echo(f"{rows} 行每日计数 / daily count rows written ({start} – {today})")
