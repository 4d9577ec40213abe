"""租安心 as the application sees it: the one file pingan/registry.py reads for rental."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

# Imported at load: the report clocks' escalation handlers and the person-file source register.
JOB_MODULES = ("pingan.rental.jobs", "pingan.rental.register")

# No command group of its own.
# The tenant's declaration carries an ID photo (shrunk by the page, but not without script).
UPLOAD_PATHS = (r"/r/[^/]+",)

CLI = None

# Its demo records load in the county's own transaction.
DEMO_AFTER_COMMIT = False


def demo_loader() -> Callable[[Session], None] | None:
    """The module's part of the demo county (idempotent)."""
    from pingan.rental.demo import load_rental_demo  # lazy: the demo builds through the service

    return load_rental_demo


def routers() -> list[APIRouter]:
    from pingan.rental.routes import api, pages  # lazy: the command line need not load the web layer

    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
