"""The process's screening runtime, if one was booted. Imports nothing heavy, so anything may ask."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pingan.antifraud.screening.runtime.runtime import ScreeningRuntime

_runtime: ScreeningRuntime | None = None
_lock = threading.Lock()


def current_runtime() -> ScreeningRuntime | None:
    return _runtime


def install(factory: Callable[[], ScreeningRuntime]) -> ScreeningRuntime:
    """The runtime, built by ``factory`` if there is none yet (once, even with several threads asking)."""
    global _runtime
    if _runtime is None:
        with _lock:
            if _runtime is None:
                _runtime = factory()
    return _runtime


def shutdown_runtime() -> None:
    """Write what is queued and forget the runtime (server shutdown, tests)."""
    global _runtime
    with _lock:
        if _runtime is not None:
            _runtime.close()
            _runtime = None
