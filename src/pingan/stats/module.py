"""数据看板 as the application sees it: the one file pingan/registry.py reads for stats."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pingan.stats import cli

if TYPE_CHECKING:
    from fastapi import APIRouter

# `pingan stats rebuild`.
CLI = cli.app

# Imported at load: the recount job.
JOB_MODULES = ("pingan.stats.jobs",)

# Its counts are built once the county is committed, after every module's demo records (stats is last), the
# anti-fraud month and its history among them.
DEMO_AFTER_COMMIT = True


def demo_loader() -> Callable[..., object] | None:
    """Count the demo's records (two years back), so the dashboard opens on figures."""
    from pingan.stats.demo import load_stats_demo  # lazy: the command's module stays light

    return load_stats_demo


def routers() -> list[APIRouter]:
    from pingan.stats.routes import api, pages  # lazy: the command line need not load the web layer

    return [api.router, pages.router]


def fast_routes() -> dict:
    return {}


def startup() -> None:
    """Nothing to warm."""


def on_loop_start() -> None:
    """Nothing runs on the server's loop."""


def shutdown() -> None:
    """Nothing queued."""
