"""The server answers garbage with clear 4xx errors, never a 500; health endpoints answer."""

import pytest
from fastapi.testclient import TestClient

from pingan.platform.users.models import Role


def test_health(app):
    client = TestClient(app)
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json() == {"status": "ok", "database": "up"}


def test_unknown_path_is_json_404_for_api(app):
    response = TestClient(app).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "http.not_found"


def test_validation_error_shape(client_for, make_user):
    client = client_for(make_user(Role.ANALYST))
    response = client.get("/api/v1/audit?limit=abc")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "request.invalid" and " / " in body["message"]
    assert body["details"][0]["field"] == "limit"


GARBAGE = [b"", b"{", b"null", b"[]", b'{"a":' + b"9" * 5000 + b"}", "\u0000\ud800".encode("utf-8", "surrogatepass"),
           b"\xff\xfe\x00", b"username=%00&password=%ff"]


@pytest.mark.parametrize("body", GARBAGE)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded",
                                          "text/plain", "multipart/form-data; boundary=x"])
def test_no_500_on_garbage(app, county, body, content_type):
    client = TestClient(app, raise_server_exceptions=False)
    for method, path in [("POST", "/login"), ("POST", "/logout"), ("GET", "/api/v1/me"),
                         ("GET", "/api/v1/audit?limit=-1"), ("GET", "/org?x=%ff"), ("POST", "/api/v1/me")]:
        response = client.request(method, path, content=body, headers={"content-type": content_type})
        assert response.status_code < 500, (method, path, response.status_code, response.text[:200])
