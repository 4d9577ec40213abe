"""The web surface: body limits (413) and body time-out (408) on every route, the security headers,
``Allow`` on 405, and the header time-out of the server `pingan serve` runs."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from pingan.app import create_app
from pingan.core.config import reset_settings
from pingan.platform.users.models import Role
from pingan.web import server as web_server

LIMIT = 4096
UPLOAD_LIMIT = 16384


@pytest.fixture
def small_limits(monkeypatch) -> Iterator[None]:
    """Small body limits and a short body time-out (the app reads them when it first answers)."""
    monkeypatch.setenv("PINGAN_MAX_BODY_BYTES", str(LIMIT))
    monkeypatch.setenv("PINGAN_MAX_UPLOAD_BYTES", str(UPLOAD_LIMIT))
    reset_settings()
    yield
    reset_settings()


@pytest.fixture
def short_body_timeout(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("PINGAN_BODY_TIMEOUT_SECONDS", "0.3")
    reset_settings()
    yield
    reset_settings()


def assert_house_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text[:200]
    error = response.json()["error"]
    assert error["code"] == code and " / " in error["message"]


# --- body size ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("POST", "/login"), ("POST", "/api/v1/me"),
                                              ("PUT", "/api/v1/events"), ("POST", "/antifraud/alerts/1/close")])
def test_a_declared_body_over_the_limit_is_refused_before_anything_else(small_limits, app, method, path):
    """Unauthenticated, to any route: 413 in the house shape, not a 401 after the body was read."""
    response = TestClient(app).request(method, path, content=b"x" * (LIMIT + 1),
                                       headers={"content-type": "application/json"})
    assert_house_error(response, 413, "http.too_large")
    assert response.headers["connection"] == "close"


def test_a_chunked_body_is_cut_off_at_the_limit(small_limits, app):
    sent = []

    def chunks():
        for _ in range(64):
            sent.append(1024)
            yield b"a" * 1024

    response = TestClient(app).post("/login", content=chunks(),
                                    headers={"content-type": "application/x-www-form-urlencoded",
                                             "accept": "application/json"})
    assert_house_error(response, 413, "http.too_large")


def test_a_body_within_the_limit_is_served(small_limits, app, county):
    response = TestClient(app).post("/login", data={"username": "nobody", "password": "x" * 100},
                                    headers={"accept": "application/json"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "auth.csrf"  # read, then judged


def test_upload_routes_have_their_own_larger_limit(small_limits, client_for, make_user):
    client = client_for(make_user(Role.ANALYST))
    csv = b"kind,value,typology,source,listed_on\n" + b"phone,13800000000,,test,2026-01-01\n" * 200
    assert LIMIT < len(csv) < UPLOAD_LIMIT
    response = client.post("/antifraud/intel/upload", files={"file": ("intel.csv", csv, "text/csv")},
                           data={"csrf_token": client.cookies.get("pingan_csrf")})
    assert response.status_code != 413
    too_big = client.post("/antifraud/intel/upload", files={"file": ("intel.csv", csv * 3, "text/csv")},
                          headers={"accept": "application/json"})
    assert_house_error(too_big, 413, "http.too_large")


def test_a_body_sent_too_slowly_is_answered_408(short_body_timeout, app):
    """A client that starts a body and stops: the app gives up after the body time-out."""
    messages = []

    async def call() -> None:
        started = asyncio.Event()

        async def receive():
            if not started.is_set():
                started.set()
                return {"type": "http.request", "body": b"username=a", "more_body": True}
            await asyncio.sleep(3600)

        async def send(message):
            messages.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": "/login", "raw_path": b"/login", "query_string": b"", "root_path": "",
                 "headers": [(b"host", b"test"), (b"accept", b"application/json"),
                             (b"content-type", b"application/x-www-form-urlencoded")],
                 "client": ("127.0.0.1", 1), "server": ("test", 80)}
        await asyncio.wait_for(app(scope, receive, send), 10)

    asyncio.run(call())
    assert messages[0]["status"] == 408
    assert b'"code":"http.timeout"' in messages[1]["body"]


# --- headers -----------------------------------------------------------------------------------------------------


def test_pages_carry_a_nonce_csp_and_no_store(client_for, make_user):
    client = client_for(make_user(Role.DUTY_OFFICER, unit="331003-01"))
    first, second = client.get("/antifraud/console"), client.get("/antifraud/console")
    assert first.status_code == 200
    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # Every inline script carries this answer's nonce, and the next answer has another one.
    scripts = re.findall(r"<script([^>]*)>", first.text)
    assert scripts and all(f'nonce="{nonce}"' in attrs or "src=" in attrs for attrs in scripts)
    assert nonce not in second.headers["content-security-policy"]
    assert first.headers["x-frame-options"] == "DENY"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["referrer-policy"] == "same-origin"
    assert first.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in first.headers


def test_api_answers_are_not_stored_and_assets_may_be_cached(api_client, make_user):
    client = api_client(make_user(Role.ANALYST))
    for path in ("/api/v1/me", "/api/v1/events", "/api/v1/nothing-here"):
        response = client.get(path)
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff"
    asset = client.get("/static/pingan.js")
    assert asset.status_code == 200 and "no-store" not in asset.headers.get("cache-control", "")
    assert asset.headers["x-content-type-options"] == "nosniff"


def test_hsts_only_in_production(production, db):
    response = TestClient(create_app(run_scheduler=False)).get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


# --- 405 ---------------------------------------------------------------------------------------------------------


def test_405_names_every_allowed_method(app):
    response = TestClient(app).delete("/login", headers={"accept": "application/json"})
    assert_house_error(response, 405, "http.method_not_allowed")
    assert set(response.headers["allow"].split(", ")) >= {"GET", "POST"}
    api = TestClient(app).put("/api/v1/me")
    assert api.status_code == 405 and "GET" in api.headers["allow"]


# --- the server's header time-out --------------------------------------------------------------------------------


@pytest.fixture
def slow_header_server() -> Iterator[tuple[str, int]]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(run_scheduler=False), log_level="warning", lifespan="off",
                            http=web_server.protocol(0.3), timeout_graceful_shutdown=2)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield sock.getsockname()
    instance.should_exit = True
    thread.join(10)
    sock.close()


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"])
def test_a_client_that_never_finishes_its_headers_is_disconnected(slow_header_server, sent):
    with socket.create_connection(slow_header_server, timeout=10) as client:
        client.sendall(sent)
        assert client.recv(100) == b""  # closed by the server (a timeout here raises instead)


def test_a_prompt_client_is_served_on_a_kept_alive_connection(slow_header_server):
    host, port = slow_header_server
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=10) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_a_body_the_app_did_not_wait_for_does_not_keep_the_connection(slow_header_server):
    """Refused without reading the body (here a 405): the server closes instead of waiting for the rest."""
    with socket.create_connection(slow_header_server, timeout=10) as client:
        client.sendall(b"POST /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 1000\r\n\r\n{\"a\":")
        answer = b""
        while chunk := client.recv(4096):  # ends when the server closes (a timeout here raises instead)
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 405") and b"connection: close" in answer.lower()


def test_headers_beyond_the_size_limit_are_refused_431(slow_header_server):
    with socket.create_connection(slow_header_server, timeout=10) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * (web_server.MAX_HEADER_BYTES + 1))
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 431")
