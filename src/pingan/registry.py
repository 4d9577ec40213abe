"""Where the application learns its modules: their jobs, event handlers and routers register on import."""

from __future__ import annotations

import importlib

# Modules whose import registers jobs and deadline handlers with the platform.
_JOB_MODULES: list[str] = ["pingan.platform.deadlines.jobs", "pingan.platform.notify.jobs",
                         "pingan.antifraud.screening.runtime.sync", "pingan.antifraud.alert.clocks",
                         "pingan.mediation.jobs"]


def load() -> None:
    for name in _JOB_MODULES:
        importlib.import_module(name)


def module_routers() -> list:
    """Every module's routers, in navigation order."""
    load()
    from pingan.antifraud.routes import pages
    from pingan.antifraud.routes.api import alert as alerts_api
    from pingan.antifraud.routes.api import intel as intel_api
    from pingan.antifraud.routes.api import screening as screening_api
    from pingan.antifraud.routes.pages import alerts as alert_pages
    from pingan.mediation.routes import routers as mediation_routers

    return [screening_api.router, intel_api.router, alerts_api.router, alert_pages.router, pages.router,
            *mediation_routers()]


def fast_routes() -> dict:
    """(method, path) → bare ASGI handler, for the few hot calls answered before the framework stack."""
    from pingan.antifraud.routes.api.screening import SCREENING_PATH, answer_screening

    return {("POST", SCREENING_PATH): answer_screening}


def startup() -> None:
    """Boot what must be warm before the first request (the screening engine's state)."""
    from pingan.antifraud.screening.runtime.runtime import get_runtime

    get_runtime()


def on_loop_start() -> None:
    """Start what belongs to the server's event loop (the screening preparer and store processes)."""
    from pingan.antifraud.screening.helpers import preparer
    from pingan.antifraud.screening.runtime.runtime import current_runtime

    preparer.start_on_loop()
    runtime = current_runtime()
    if runtime is not None:
        runtime.serve_on_loop()


def shutdown() -> None:
    """Write what is queued before the process exits."""
    from pingan.antifraud.screening.runtime.runtime import shutdown_runtime

    shutdown_runtime()
