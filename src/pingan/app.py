"""Builds the FastAPI application: platform pages and API, each module's routes, static assets."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from pingan import __version__, registry
from pingan.core import heap
from pingan.core.config import get_settings
from pingan.core.db import get_engine
from pingan.platform import bus
from pingan.platform.audit import service as audit_service
from pingan.platform.jobs import Scheduler
from pingan.web import errors
from pingan.web.deps import CurrentUser
from pingan.web.routes import ROUTERS as PLATFORM_ROUTERS
from pingan.web.security import WebSecurity

PACKAGE_DIR = Path(__file__).resolve().parent
VENDOR_DIR = PACKAGE_DIR.parents[1] / "node_modules"


class ClientAddress:
    """Puts the caller's address where the audit trail reads it, for everything the request does.

    Set here, in the request's own task, so that handlers and dependencies run in worker threads (which
    start with a copy of this context) see it too.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            audit_service.client_ip.set(client[0] if client else None)
        await self.app(scope, receive, send)


class PinganApp(FastAPI):
    """FastAPI, plus the modules' fast routes (`registry.fast_routes`): hot calls answered before the
    middleware stack and the router, by handlers that do their own error rendering."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.fast_routes = registry.fast_routes()

    def build_middleware_stack(self):
        # Outside even the error middleware, so that 500 answers carry the security headers too.
        return WebSecurity(super().build_middleware_stack(), settings=get_settings(),
                           upload_paths=registry.upload_paths())

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            handler = self.fast_routes.get((scope["method"], scope["path"]))
            if handler is not None:
                await handler(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def _install_docs(app: FastAPI) -> None:
    """The published API, for signed-in users and API keys only; Swagger UI from /vendor (installed from
    npm), since a police network reaches no CDN."""

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(user: CurrentUser) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/api/docs", include_in_schema=False)
    def docs(request: Request, user: CurrentUser) -> HTMLResponse:
        swagger = "/vendor/swagger-ui-dist"
        page = get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} — API",
                                   swagger_js_url=f"{swagger}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{swagger}/swagger-ui.css",
                                   swagger_favicon_url=f"{swagger}/favicon-32x32.png")
        # The page's one inline script runs under the pages' CSP with this answer's nonce (pingan.web.security).
        nonce = request.scope.get("state", {}).get("csp_nonce", "")
        return HTMLResponse(page.body.decode().replace("<script>", f'<script nonce="{nonce}">'))


def create_app(*, run_scheduler: bool | None = None) -> FastAPI:
    settings = get_settings()
    scheduler_on = settings.run_scheduler if run_scheduler is None else run_scheduler

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if bus.enabled():  # connected before the modules boot, so no other process's change is missed
            bus.start()
        await asyncio.to_thread(registry.startup)
        registry.on_loop_start()
        heap.settle()
        scheduler = Scheduler(per_process_only=not scheduler_on)
        scheduler.start()
        yield
        scheduler.stop()
        await asyncio.to_thread(registry.shutdown)
        await asyncio.to_thread(bus.stop)

    app = PinganApp(
        title="Pingan 平安",
        version=__version__,
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    _install_docs(app)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["health"])
    def readyz():
        try:
            with get_engine().connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        waiting = registry.not_ready()
        if waiting:
            return JSONResponse({"status": "unavailable", "database": "up", "waiting": waiting}, status_code=503)
        return {"status": "ok", "database": "up"}

    for router in PLATFORM_ROUTERS + registry.module_routers():
        app.include_router(router)
    app.add_middleware(ClientAddress)
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    if VENDOR_DIR.is_dir():
        app.mount("/vendor", StaticFiles(directory=VENDOR_DIR), name="vendor")
    return app
