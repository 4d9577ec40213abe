"""Where the application learns its modules: their jobs, event handlers and routers register on import."""

from __future__ import annotations

import importlib

# Modules whose import registers jobs and deadline handlers with the platform.
_JOB_MODULES: list[str] = []


def load() -> None:
    for name in _JOB_MODULES:
        importlib.import_module(name)


def module_routers() -> list:
    """Every module's routers, in navigation order."""
    load()
    return []
