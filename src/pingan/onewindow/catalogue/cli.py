"""`pingan onewindow catalogue load FILE`: load the operator's service catalogue (idempotent by code; a
faulty file is refused whole, naming the line and field)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pingan.core.db import unit_of_work

catalogue_app = typer.Typer(help="The service catalogue (事项目录).", no_args_is_help=True)


@catalogue_app.command("load")
def load(path: Annotated[Path, typer.Argument(help="The catalogue YAML file.", exists=True, dir_okay=False)]) -> None:
    """Create or update every item of the file by code; nothing is loaded when the file has a fault."""
    # lazy: the command line loads the tables only when it runs
    from pingan.onewindow.catalogue import service as catalogue

    try:
        text = path.read_text(encoding="utf-8")
        rows = catalogue.parse(text)
    except catalogue.CatalogueError as exc:
        typer.echo(f"{path}: {exc}", err=True)
        raise typer.Exit(2) from None
    with unit_of_work() as db:
        catalogue.apply_bureaus(db, catalogue.parse_bureaus(text))
        result = catalogue.apply(db, rows, source=str(path))
    typer.echo(f"{len(rows)} items: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged")
