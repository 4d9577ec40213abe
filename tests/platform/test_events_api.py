"""The events API: the JSON feed, and the live SSE stream served by a real server in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import orjson
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pingan.app import create_app
from pingan.core.config import get_settings, reset_settings
from pingan.core.db import get_engine, make_engine, unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.notify import broker
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from pingan.web.routes import events as events_routes
from tests.factories import COUNTY_YAML, PASSWORD

STREAM_TIMEOUT = httpx.Timeout(10.0)  # a stream that stays silent this long fails the test instead of hanging


def unit(db, code: str) -> int:
    return org_service.get_unit(db, code).id


def test_events_need_authentication(app):
    anonymous = TestClient(app)
    for path in ("/api/v1/events", "/api/v1/events/stream"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "auth.required"
    forged = TestClient(app, headers={"Authorization": "Bearer pa_forged"})
    assert forged.get("/api/v1/events/stream").status_code == 401


def test_event_list_is_scoped_and_resumable(db, make_user, api_client):
    mine = make_user(Role.DUTY_OFFICER, unit="331003-01")
    other = notify.publish(db, topic="test.list", title="江口", unit_id=unit(db, "331003-02"))
    first = notify.publish(db, topic="test.list", title="头陀 1", unit_id=unit(db, "331003-01"),
                           payload={"alert_id": 7})
    notify.publish(db, topic="test.list", title="头陀 2", unit_id=unit(db, "331003-01-01"))
    client = api_client(mine)
    listed = client.get("/api/v1/events").json()
    assert [e["title"] for e in listed] == ["头陀 1", "头陀 2"] and other.id not in [e["id"] for e in listed]
    assert listed[0] == {"id": first.id, "topic": "test.list", "title": "头陀 1", "body": None, "link": None,
                         "created_at": first.created_at.isoformat(), "alert_id": 7}
    assert [e["title"] for e in client.get(f"/api/v1/events?after={first.id}").json()] == ["头陀 2"]
    assert client.get("/api/v1/events?after=-1").status_code == 422


# --- the live stream ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(committed_db) -> dict:
    """A committed county with a station-01 officer and API key (the server reads through its own sessions)."""
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        officer = auth.create_user(db, username="officer1", password=PASSWORD, role=Role.DUTY_OFFICER,
                                   unit_code="331003-01")
        key, plain = auth.create_api_key(db, user=officer, name="stream test")
        return {"headers": {"Authorization": f"Bearer {plain}"}, "key_prefix": key.prefix,
                "station1": unit(db, "331003-01"),
                "station2": unit(db, "331003-02")}


@pytest.fixture
def server(world) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(run_scheduler=False), log_level="warning", lifespan="off",
                            timeout_graceful_shutdown=2)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    instance.should_exit = True
    thread.join(10)
    sock.close()


def publish(unit_id: int, title: str) -> int:
    with unit_of_work() as db:
        return notify.publish(db, topic="test.live", title=title, unit_id=unit_id, link="/x").id


def frames(response: httpx.Response) -> Iterator[dict]:
    """Parse server-sent events (``id``/``event``/``data`` lines, blank line ends one; comments skipped)."""
    fields: dict = {}
    for line in response.iter_lines():
        if line == "":
            if "data" in fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            fields[name] = value


def test_stream_delivers_an_event_committed_by_another_session(server, world):
    before = publish(world["station1"], "before connecting")
    with httpx.stream("GET", f"{server}/api/v1/events/stream", headers=world["headers"],
                      timeout=STREAM_TIMEOUT) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        publish(world["station2"], "another station")
        event_id = publish(world["station1"], "after connecting")
        frame = next(frames(response))
    assert frame["id"] == str(event_id) and int(frame["id"]) > before
    assert frame["event"] == "test.live"
    data = orjson.loads(frame["data"])
    assert data["id"] == event_id and data["title"] == "after connecting" and data["link"] == "/x"


@pytest.mark.parametrize("resume", ["header", "query"])
def test_stream_resumes_after_the_last_event_id(server, world, resume):
    ids = [publish(world["station1"], f"event {i}") for i in range(3)]
    options = ({"headers": {**world["headers"], "Last-Event-ID": str(ids[0])}} if resume == "header"
               else {"headers": world["headers"], "params": {"after": ids[0]}})
    with httpx.stream("GET", f"{server}/api/v1/events/stream", timeout=STREAM_TIMEOUT, **options) as response:
        stream = frames(response)
        got = [next(stream), next(stream)]
    assert [int(f["id"]) for f in got] == ids[1:]
    assert [orjson.loads(f["data"])["title"] for f in got] == ["event 1", "event 2"]


def test_stream_refuses_a_bad_last_event_id(server, world):
    response = httpx.get(f"{server}/api/v1/events/stream", headers={**world["headers"], "Last-Event-ID": "x"},
                         timeout=STREAM_TIMEOUT)
    assert response.status_code == 422


def test_stream_sends_keep_alives_and_ends_when_the_client_goes(server, world, monkeypatch):
    monkeypatch.setattr(events_routes, "KEEPALIVE_SECONDS", 0.2)
    with httpx.stream("GET", f"{server}/api/v1/events/stream", headers=world["headers"],
                      timeout=STREAM_TIMEOUT) as response:
        lines = response.iter_lines()
        assert next(line for line in lines if line.startswith(":")) == ": keep-alive"
        assert len(broker._waiters) == 1
    deadline = time.monotonic() + 5
    while broker._waiters:
        assert time.monotonic() < deadline, "the stream kept running after the client left"
        time.sleep(0.05)


# --- credentials, caps and the connection pool -------------------------------------------------------------------


@pytest.fixture
def quick_recheck(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("PINGAN_EVENTS_RECHECK_SECONDS", "0.2")
    monkeypatch.setenv("PINGAN_EVENTS_MAX_STREAMS_PER_USER", "2")
    reset_settings()
    yield
    reset_settings()


def until_closed(stream: Iterator[dict], world) -> list[str]:
    """Read the stream to its end, publishing now and then; what it delivered on the way."""
    titles = []
    for frame in stream:
        titles.append(orjson.loads(frame["data"])["title"])
        assert len(titles) < 50, "the stream kept delivering"
        time.sleep(0.05)
        publish(world["station1"], f"after {len(titles)}")
    return titles


def test_a_stream_ends_when_its_api_key_is_revoked(quick_recheck, server, world):
    with httpx.stream("GET", f"{server}/api/v1/events/stream", headers=world["headers"],
                      timeout=STREAM_TIMEOUT) as response:
        publish(world["station1"], "first")
        stream = frames(response)
        assert orjson.loads(next(stream)["data"])["title"] == "first"
        with unit_of_work() as db:
            auth.revoke_api_key(db, prefix=world["key_prefix"])
        until_closed(stream, world)


def test_a_stream_ends_when_its_session_logs_out(quick_recheck, server, world):
    with httpx.Client(base_url=server, timeout=STREAM_TIMEOUT) as browser:
        browser.get("/login")
        token = browser.cookies["pingan_csrf"]
        assert browser.post("/login", data={"username": "officer1", "password": PASSWORD,
                                            "csrf_token": token}).status_code == 303
        with browser.stream("GET", "/api/v1/events/stream") as response:
            publish(world["station1"], "first")
            stream = frames(response)
            assert orjson.loads(next(stream)["data"])["title"] == "first"
            with httpx.Client(base_url=server, cookies=browser.cookies, timeout=STREAM_TIMEOUT) as other_tab:
                session_token = browser.cookies["pingan_csrf"]  # a new token is issued at log-in
                assert other_tab.post("/logout", data={"csrf_token": session_token}).status_code == 303
            until_closed(stream, world)


def test_streams_are_capped_per_user(quick_recheck, server, world):
    url = f"{server}/api/v1/events/stream"
    with httpx.stream("GET", url, headers=world["headers"], timeout=STREAM_TIMEOUT) as one, \
            httpx.stream("GET", url, headers=world["headers"], timeout=STREAM_TIMEOUT) as two:
        assert one.status_code == two.status_code == 200
        third = httpx.get(url, headers=world["headers"], timeout=STREAM_TIMEOUT)
        assert third.status_code == 429
        assert third.json()["error"]["code"] == "events.too_many_streams"
    # Closed streams give their places back.
    deadline = time.monotonic() + 5
    while events_routes.streams.per_user:
        assert time.monotonic() < deadline, "closed streams kept their places"
        time.sleep(0.05)
    with httpx.stream("GET", url, headers=world["headers"], timeout=STREAM_TIMEOUT) as again:
        assert again.status_code == 200


def test_streams_deliver_while_the_request_pool_is_exhausted(server, world):
    """Streams poll through their own connections: with every request connection taken they still deliver."""
    with httpx.stream("GET", f"{server}/api/v1/events/stream", headers=world["headers"],
                      timeout=STREAM_TIMEOUT) as response:
        stream = frames(response)
        publish(world["station1"], "before")
        assert orjson.loads(next(stream)["data"])["title"] == "before"
        pool = get_engine().pool
        held = [get_engine().connect() for _ in range(pool.size() + pool._max_overflow)]
        try:
            other = make_engine(get_settings().resolved_database_url)
            with Session(bind=other) as db:
                notify.publish(db, topic="test.live", title="while exhausted", unit_id=world["station1"])
                db.commit()
            other.dispose()
            assert orjson.loads(next(stream)["data"])["title"] == "while exhausted"
        finally:
            for connection in held:
                connection.close()
