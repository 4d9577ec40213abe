"""警网融合 as the application sees it: the one file pingan/registry.py reads for grid."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

# Imported at load: the escalation handlers of the grid clocks register, and the report service its hand-over
# receiver (what the station did with a report handed to the police).
JOB_MODULES = ("pingan.grid.jobs", "pingan.grid.report.service")

# A phone's photo is several megabytes: the photo routes, and the forms that carry photos when the page's
# script does not run, take the upload body limit.
UPLOAD_PATHS = (r"/api/v1/grid/(reports|publicity)/\d+/photos", r"/api/v1/grid/video-calls/\d+/snapshot",
                r"/grid/(reports|publicity)")

# No command group of its own.
CLI = None

# Its demo records load in the county's own transaction.
DEMO_AFTER_COMMIT = False


def demo_loader() -> Callable[[Session], None] | None:
    """The module's part of the demo county (idempotent)."""
    from pingan.grid.demo import load_grid_demo  # lazy: the demo's year of work is built only when asked for

    return load_grid_demo


def routers() -> list[APIRouter]:
    from pingan.grid.routes import api, pages  # lazy: the command line need not load the web layer

    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
