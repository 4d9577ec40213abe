"""Browser tests: a real server (uvicorn in a thread) on the test database with the demo county, driven by
Debian's headless Chromium through Playwright. No browser download: a missing Chromium skips the tests,
except in CI (``CI=true``) where it fails them, since a missing browser there is a defect."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
import uvicorn
from sqlalchemy import inspect

from pingan.core.db import Base, get_engine, unit_of_work
from pingan.platform.demo import DEMO_PASSWORD, load_demo

SCREENSHOTS = Path(__file__).resolve().parents[2] / "reports" / "screenshots"
STEP_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI; `apt-get install -y chromium`)")
    pytest.skip(reason)


def _chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _empty_tables() -> None:
    engine = get_engine()
    existing = set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in existing:
                conn.execute(table.delete())


def pytest_collection_modifyitems(items) -> None:
    """The first browser test waits for the live server's demo county to load: minutes on a busy machine."""
    first = next((i for i in items if "live_server" in getattr(i, "fixturenames", ())), None)
    if first is not None:
        first.add_marker(pytest.mark.timeout(900), append=False)


@pytest.fixture(scope="package")
def live_server(database) -> Iterator[str]:
    """The app served on a free local port, with the demo county committed and counted for the dashboard (as
    `pingan demo` counts it after the commit); emptied again afterwards."""
    from pingan.app import create_app
    from pingan.stats.demo import load_stats_demo

    with unit_of_work() as db:
        load_demo(db)
    load_stats_demo()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(run_scheduler=False), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="pingan-live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("the test server did not answer /healthz within 10 s")
            time.sleep(0.05)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        _empty_tables()


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    executable = _chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (Debian package `chromium`); browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package `playwright` is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True,
                                     timeout=STEP_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


class Traffic:
    """Every host the page asked for, and anything that went wrong (failed asset, script error)."""

    def __init__(self) -> None:
        self.hosts: set[str] = set()
        self.failures: list[str] = []
        self.errors: list[str] = []

    def watch(self, context, page) -> None:
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        page.on("pageerror", lambda exc: self.errors.append(f"{exc} at {page.url}\n{exc.stack or ''}"))
        page.on("console", self._console)

    def _request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss"):
            self.hosts.add(url.hostname or "")

    def _console(self, message) -> None:
        # A page answered with 404 (asked for on purpose) is logged as "Failed to load resource";
        # failed assets are caught by status in _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _failed(self, request) -> None:
        # Leaving a page cancels what it was still loading (net::ERR_ABORTED); that is not a fault.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failures.append(f"{request.url} ({request.failure})")

    def _response(self, response) -> None:
        path = urlparse(response.url).path
        if path.startswith(("/static/", "/vendor/")) and response.status >= 400:
            self.failures.append(f"{response.url} → {response.status}")


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@contextlib.contextmanager
def browser_page(chromium, live_server, traffic, *, timeout_ms: int | None = STEP_TIMEOUT_MS,
                 **options) -> Iterator[object]:
    """A page in a fresh browser context (no cookies), Chinese first on Beijing time, watched by `traffic`;
    ``options`` go to the context (viewport, touch, service workers). ``timeout_ms`` None keeps Playwright's."""
    context = chromium.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    if timeout_ms is not None:
        context.set_default_timeout(timeout_ms)
    page = context.new_page()
    traffic.watch(context, page)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(chromium, live_server, traffic) -> Iterator[object]:
    """A desktop-sized window."""
    with browser_page(chromium, live_server, traffic, viewport={"width": 1440, "height": 900}) as page:
        yield page


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server, traffic) -> Iterator[object]:
    """As `page`, on a phone: 390 × 844, touch."""
    with browser_page(chromium, live_server, traffic, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        yield page


@pytest.fixture
def log_in():
    """Log in through the form, as a person would: ``log_in(page, "duty_toutuo")``."""

    def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("domcontentloaded")

    return log_in


@pytest.fixture(scope="package")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
