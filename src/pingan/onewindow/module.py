"""一窗通办 as the application sees it: the one file pingan/registry.py reads for onewindow."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from pingan.onewindow.catalogue import cli as catalogue_cli
from pingan.onewindow.partner import cli as partner_cli

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

# Imported at load: the escalation handlers of its clocks register.
JOB_MODULES = ("pingan.onewindow.jobs",)

# The `pingan onewindow …` command group: catalogue load, partner add.
CLI = typer.Typer(help="一窗通办 one-window services: the catalogue and the partner desks.", no_args_is_help=True)
CLI.add_typer(catalogue_cli.catalogue_app, name="catalogue")
CLI.add_typer(partner_cli.app, name="partner")

# Its demo records load in the county's own transaction.
DEMO_AFTER_COMMIT = False


def demo_loader() -> Callable[[Session], None] | None:
    """The module's part of the demo county (idempotent)."""
    from pingan.onewindow.demo import load_onewindow_demo  # lazy: the demo builds a year of records

    return load_onewindow_demo


def routers() -> list[APIRouter]:
    from pingan.onewindow.routes import api, pages  # lazy: the command line need not load the web layer

    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
