"""打击 as the application sees it: the one file pingan/registry.py reads for cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

# Imported at load: the clocks register their escalation handlers, the fraud and call services their hand-over
# receivers (警银通's confirmed frauds become cases here, grid reports handed to the police become calls).
JOB_MODULES = ("pingan.cases.clocks", "pingan.cases.fraud.service", "pingan.cases.calls.service")

# No command group of its own.
CLI = None

# Its demo records load in the county's own transaction.
DEMO_AFTER_COMMIT = False


def demo_loader() -> Callable[[Session], None] | None:
    """The module's part of the demo county (idempotent)."""
    from pingan.cases.demo import load_cases_demo  # lazy: the demo records are only built for `make demo`

    return load_cases_demo


def routers() -> list[APIRouter]:
    from pingan.cases.routes import api, pages  # lazy: the command line need not load the web layer

    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
