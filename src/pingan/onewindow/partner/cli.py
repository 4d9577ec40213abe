"""`pingan onewindow partner add USERNAME --bureau CODE`: a partner bureau's desk account and its API key."""

from __future__ import annotations

from typing import Annotated

import typer

from pingan.core.db import unit_of_work
from pingan.core.errors import AppError

app = typer.Typer(help="Partner desks (合作部门窗口) of other bureaus.", no_args_is_help=True)


@app.command("add")
def add(username: Annotated[str, typer.Argument(help="The desk's user name.")],
        bureau: Annotated[str, typer.Option(help="The bureau's code in the catalogue file (rsj, mzj …).")],
        name: Annotated[str | None, typer.Option(help="The name shown for the desk.")] = None) -> None:
    """Create the account (no password: it signs in with its API key) and print its key once."""
    # lazy: the command line loads the tables only when it runs
    from pingan.onewindow.partner import service as partners

    try:
        with unit_of_work() as db:
            user, key = partners.add(db, username=username, display_name=name or username, bureau_code=bureau,
                                     password=None)
    except AppError as exc:
        details = getattr(exc, "details", None) or []
        typer.echo("; ".join([exc.message, *(f"{d.field}: {d.message}" for d in details)]), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{user.username} at {bureau}: API key {key}")
