"""``pingan people``: open a person's file from the shell, as a named user (the look-up is audited as theirs)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.core.errors import AppError
from pingan.core.identity import mask_id_number, mask_phone
from pingan.platform.auth import service as auth
from pingan.platform.people import service

app = typer.Typer(help="People (一人一档).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command("file")
def show_file(
    id_number: Annotated[str, typer.Argument(help="Resident ID number.")],
    reason: Annotated[str, typer.Option(help="查询事由, at least 4 characters; audited.")],
    user: Annotated[str, typer.Option(help="Username the look-up is made as (their jurisdiction applies).")],
) -> None:
    """Print the person's appearances in the user's jurisdiction, newest first (ID numbers and phones masked)."""
    try:
        with unit_of_work() as db:
            found = service.open_file(db, user=auth.get_user(db, user), id_number=id_number, reason=reason)
            table = Table(title=f"{found.name} {mask_id_number(found.id_number)}")
            for col in ("time", "module", "record", "role", "unit", "phone"):
                table.add_column(col)
            for a in found.appearances:
                table.add_row(clock.format_local(a.at), a.module, f"{a.record_kind} #{a.record_id}", a.role.value,
                              a.unit_name or "", mask_phone(a.phone) if a.phone else "")
    except AppError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message}")
        for d in exc.details:
            err.print(f"  - {d.field}: {d.message or d.code}")
        raise typer.Exit(2) from None
    console.print(table)
