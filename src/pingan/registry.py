"""Where the application learns its modules. MODULES is the one list of module names: each has a
``module.py`` saying what it registers (routers, fast routes, job modules, demo loader, start/stop hooks,
command group). Adding a module means adding its name here and to the import-linter contracts."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

MODULES = ("antifraud", "mediation", "cases", "grid", "rental", "onewindow", "stats")

# The platform's own job modules (imported for their registrations).
_PLATFORM_JOBS = ("pingan.platform.deadlines.jobs", "pingan.platform.notify.jobs")


def modules() -> list[ModuleType]:
    """Every module's ``module.py``, in navigation order."""
    return [importlib.import_module(f"pingan.{name}.module") for name in MODULES]


def load() -> None:
    """Import the job modules (registering jobs and deadline handlers) and register the demo loaders."""
    from pingan.platform import demo as platform_demo  # lazy: the command's module stays light (see module.py)

    for name in _PLATFORM_JOBS:
        importlib.import_module(name)
    for module in modules():
        for name in module.JOB_MODULES:
            importlib.import_module(name)
        loader = module.demo_loader()
        if loader is not None:
            platform_demo.register_loader(loader, after_commit=module.DEMO_AFTER_COMMIT)


def module_routers() -> list:
    """Every module's routers, in navigation order."""
    load()
    return [router for module in modules() for router in module.routers()]


def fast_routes() -> dict:
    """(method, path) → bare ASGI handler, for the few hot calls answered before the framework stack."""
    return {key: handler for module in modules() for key, handler in module.fast_routes().items()}


def upload_paths() -> tuple[str, ...]:
    """The routes that take files or bulk rows (regular expressions of whole paths), from the modules that
    have any (`UPLOAD_PATHS`): the web edge gives them the upload body limit instead of the usual one."""
    return tuple(path for module in modules() for path in getattr(module, "UPLOAD_PATHS", ()))


def cli_groups() -> list[tuple[str, typer.Typer]]:
    """(name, group) of every module with a command group."""
    return [(name, module.CLI) for name, module in zip(MODULES, modules(), strict=True) if module.CLI is not None]


def startup() -> None:
    """Boot what must be warm before the first request."""
    for module in modules():
        module.startup()


def on_loop_start() -> None:
    """Start what belongs to the server's event loop."""
    for module in modules():
        module.on_loop_start()


def not_ready() -> list[str]:
    """What keeps this process from being ready (`/readyz`), from the modules that can say (`not_ready()`)."""
    reasons = (getattr(module, "not_ready", lambda: None)() for module in modules())
    return [reason for reason in reasons if reason]


def shutdown() -> None:
    """Write what is queued before the process exits."""
    for module in modules():
        module.shutdown()
