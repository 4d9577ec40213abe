"""警银通 as the application sees it: the one file pingan/registry.py reads for anti-fraud."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from sqlalchemy.orm import Session

from pingan.antifraud import cli
from pingan.antifraud.routes import pages
from pingan.antifraud.routes.api import alert as alert_api
from pingan.antifraud.routes.api import intel as intel_api
from pingan.antifraud.routes.api import screening as screening_api
from pingan.antifraud.routes.pages import alerts as alert_pages
from pingan.antifraud.screening.helpers import preparer
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.screening.runtime.current import current_runtime, shutdown_runtime

# Imported at load: they register the jobs and the clocks' escalation handlers.
JOB_MODULES = ("pingan.antifraud.screening.runtime.sync", "pingan.antifraud.alert.clocks")

# The `pingan antifraud …` command group.
CLI = cli.app

# The module's demo records, loaded by `pingan demo` after the demo county: an idempotent (db) -> None.
DEMO: Callable[[Session], None] | None = None


def routers() -> list[APIRouter]:
    """The routers, in navigation order."""
    return [screening_api.router, intel_api.router, alert_api.router, alert_pages.router, pages.router]


def fast_routes() -> dict:
    """(method, path) → bare ASGI handler, for the hot calls answered before the framework stack."""
    return {("POST", screening_api.SCREENING_PATH): screening_api.answer_screening}


def startup() -> None:
    """Boot what must be warm before the first request (the screening engine's state)."""
    get_runtime()


def on_loop_start() -> None:
    """Start what belongs to the server's event loop (the screening preparer and store processes)."""
    preparer.start_on_loop()
    runtime = current_runtime()
    if runtime is not None:
        runtime.serve_on_loop()


def shutdown() -> None:
    """Write what is queued before the process exits."""
    shutdown_runtime()
