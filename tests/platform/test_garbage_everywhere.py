"""Every route of the application answers garbage with a 4xx (or a normal answer), never a 500."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from pingan import registry
from pingan.platform.users.models import Role
from pingan.web.routes import ROUTERS as PLATFORM_ROUTERS

PATH_VALUES = ["0", "-1", "abc", "9" * 30, "%00", "..%2f..%2fetc"]
BODIES = [b"", b"{", b"[]", b"null", b'{"a": 1}', b"\xff\xfe", b"csrf_token=x&a=%ff"]
# Endpoints that stream forever are left to their own tests.
SKIP = {"/api/v1/events/stream"}


def _routes():
    """Every route of the platform and the modules, from the routers the app is built from."""
    for router in PLATFORM_ROUTERS + registry.module_routers():
        for route in router.routes:
            if isinstance(route, APIRoute) and route.path not in SKIP:
                for method in route.methods - {"HEAD", "OPTIONS"}:
                    yield method, route.path


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TELLER])
def test_no_route_answers_garbage_with_500(app, make_user, client_for, role):
    client = client_for(make_user(role))
    client = TestClient(app, raise_server_exceptions=False, cookies=client.cookies, headers=client.headers)
    failures = []
    routes = sorted(set(_routes()))
    assert len(routes) > 30, "the route table looks empty"
    for method, path in routes:
        for url, body, content_type in _garbage(method, path):
            response = client.request(method, url + "?limit=abc&page=-5&since=notadate", content=body,
                                      headers={"content-type": content_type})
            if response.status_code >= 500:
                failures.append((method, url, body[:20], content_type, response.status_code))
    assert not failures, failures[:10]


def _garbage(method: str, path: str):
    """(url, body, content type) to send: each bad path value with each content type, and each bad body with
    each content type under the first path value. A path value and a body are checked apart (each is read
    and refused on its own), so every pairing of the two would only send the same checks again; a GET's
    body is not read, so it gets one content type."""
    values = [re.sub(r"\{[^}]+\}", value, path) for value in (PATH_VALUES if "{" in path else PATH_VALUES[:1])]
    if method == "GET":
        return [(url, b"", "application/json") for url in values]
    types = ("application/json", "application/x-www-form-urlencoded")
    return [*((url, BODIES[0], t) for url in values for t in types),
            *((values[0], body, t) for body in BODIES[1:] for t in types)]
