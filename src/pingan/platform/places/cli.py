"""``pingan places``: import standard addresses from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pingan.core.db import unit_of_work
from pingan.core.errors import AppError
from pingan.platform.places import service

app = typer.Typer(help="Standard addresses (标准地址).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("import")
def import_file(file: Annotated[Path, typer.Argument(help="CSV: code,grid,road,number,building,unit,room")]) -> None:
    """Create or update addresses by code; any faulty line refuses the whole file (safe to run again)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]places.file_unreadable[/red]: 无法读取文件 / cannot read {file}: {exc}")
        raise typer.Exit(2) from None
    try:
        with unit_of_work() as db:
            counts = service.import_csv(db, text)
    except AppError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
        for d in exc.details:
            err.print(f"  - {d.field}: {d.message or d.code}")
        raise typer.Exit(2) from None
    console.print(", ".join(f"{k}={v}" for k, v in counts.items()))
