"""警银通 as the application sees it: the one file pingan/registry.py reads for anti-fraud."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pingan.antifraud import cli
from pingan.antifraud.screening.runtime.current import current_runtime, shutdown_runtime

if TYPE_CHECKING:
    from fastapi import APIRouter

# The routes and the runtime are imported when first asked for: the command line, and every helper process
# (which imports the command's module again when it starts), must not pay for the web layer and the engine.

# Imported at load: they register the jobs and the clocks' escalation handlers.
JOB_MODULES = ("pingan.antifraud.screening.runtime.sync", "pingan.antifraud.alert.clocks",
               "pingan.antifraud.thresholds.jobs")

# The `pingan antifraud …` command group.
# The intel list's CSV upload (page) and bulk rows (API) take the upload body limit.
UPLOAD_PATHS = (r"/antifraud/intel/upload", r"/api/v1/antifraud/intel")

CLI = cli.app

# Its demo month loads once the county is committed: the screenings are stored on the screening writer's own
# connection, which must see the county's branches.
DEMO_AFTER_COMMIT = True


def demo_loader() -> Callable[..., object]:
    """The module's demo month, `fn(progress=...)`, idempotent."""
    from pingan.antifraud.demo import load_antifraud_demo  # lazy: the simulator, the engine and the model trainer

    return load_antifraud_demo


def routers() -> list[APIRouter]:
    """The routers, in navigation order."""
    from pingan.antifraud.routes import pages  # lazy: the web layer (see above)
    from pingan.antifraud.routes.api import alert as alert_api  # lazy: the web layer
    from pingan.antifraud.routes.api import intel as intel_api  # lazy: the web layer
    from pingan.antifraud.routes.api import screening as screening_api  # lazy: the web layer
    from pingan.antifraud.routes.api import thresholds as thresholds_api  # lazy: the web layer
    from pingan.antifraud.routes.pages import alerts as alert_pages  # lazy: the web layer

    return [screening_api.router, intel_api.router, thresholds_api.router, alert_api.router, alert_pages.router,
            pages.router]


def fast_routes() -> dict:
    """(method, path) → bare ASGI handler, for the hot calls answered before the framework stack."""
    from pingan.antifraud.routes.api import screening as screening_api  # lazy: the web layer

    return {("POST", screening_api.SCREENING_PATH): screening_api.answer_screening}


def startup() -> None:
    """Boot what must be warm before the first request (the screening engine's state)."""
    from pingan.antifraud.screening.runtime.boot import get_runtime  # lazy: the engine and the model registry

    get_runtime()


def on_loop_start() -> None:
    """Start what belongs to the server's event loop (the screening preparer and store processes)."""
    from pingan.antifraud.screening.helpers import preparer  # lazy: only a server has a loop

    preparer.start_on_loop()
    runtime = current_runtime()
    if runtime is not None:
        runtime.serve_on_loop()


def not_ready() -> str | None:
    """Why this process should not be sent screenings now (its shared state is being rebuilt, or its helper
    processes have not answered yet), or None."""
    from pingan.antifraud.screening.helpers import preparer  # lazy: only a server has helpers on its loop

    runtime = current_runtime()
    if runtime is not None and not runtime.state_ready:
        return "screening state rebuilding"
    if preparer.starting() or (runtime is not None and runtime.store_starting):
        return "screening helpers starting"
    return None


def shutdown() -> None:
    """Write what is queued before the process exits."""
    shutdown_runtime()
