"""调解室 as the application sees it: the one file pingan/registry.py reads for mediation."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from sqlalchemy.orm import Session

from pingan.mediation import demo
from pingan.mediation.routes import api, pages

# Imported at load: the clocks register their escalation handlers.
JOB_MODULES = ("pingan.mediation.clocks",)

# No command group of its own.
CLI = None

# The module's part of the demo county (idempotent).
DEMO: Callable[[Session], None] | None = demo.load_mediation_demo


def routers() -> list[APIRouter]:
    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
