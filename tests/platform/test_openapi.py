"""The published API: /openapi.json and /api/docs for callers only, the docs page served offline, and a
spec that documents every body and every answer under /api/v1 with schemas a code generator can resolve."""

from __future__ import annotations

import inspect
import json
import re

import pytest
from fastapi import Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from pingan.platform.users.models import Role

BODY_METHODS = {"post", "put", "patch"}


@pytest.fixture
def spec(app, api_client, make_user) -> dict:
    response = api_client(make_user(Role.ANALYST)).get("/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("path", ["/openapi.json", "/api/docs"])
def test_the_published_api_is_for_callers_only(app, path):
    response = TestClient(app).get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.required"


def test_a_signed_in_user_reads_the_docs_page_and_it_loads_nothing_from_outside(app, client_for, make_user):
    client = client_for(make_user(Role.DUTY_OFFICER))
    page = client.get("/api/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
    assert urls and not [u for u in urls if re.match(r"(?i)([a-z]+:)?//", u)], urls
    assert re.findall(r"https?://", page.text) == []
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_every_schema_reference_resolves(spec):
    """A bank's code generator fails on a ``$ref`` to a component the spec does not have."""
    components = spec["components"]["schemas"]
    refs = set(re.findall(r'"\$ref":\s*"#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs and refs <= set(components), refs - set(components)


def _untyped(schema: dict) -> bool:
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}))
    return not schema or (schema.get("type") == "object" and "properties" not in schema
                          and not isinstance(schema.get("additionalProperties"), dict))


def test_every_api_operation_documents_its_body_and_its_answer(spec):
    checked = 0
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            if "requestBody" in op:  # JSON, or a file upload (multipart)
                content = op["requestBody"]["content"]
                body = (content.get("application/json") or content["multipart/form-data"])["schema"]
                assert not _untyped(body), f"{where}: request body has no schema"
            answers = {code: r for code, r in op["responses"].items() if code.startswith("2")}
            assert answers, f"{where}: no success answer declared"
            for code, answer in answers.items():
                content = answer.get("content", {})
                if "text/event-stream" in content or code == "204":  # a stream, or no body at all
                    continue
                if content and "application/json" not in content:  # a file (photo, workbook) of declared types
                    assert all("/" in media for media in content), f"{where} {code}: answer not declared"
                    continue
                assert "application/json" in content, f"{where} {code}: answer not declared"
                assert not _untyped(content["application/json"]["schema"]), f"{where} {code}: answer has no schema"
            for code in ("401", "404", "422"):
                error = op["responses"].get(code, {}).get("content", {}).get("application/json", {})
                assert error.get("schema") == {"$ref": "#/components/schemas/ErrorBody"}, f"{where}: {code}"
            checked += 1
    assert checked > 20


def test_every_route_that_takes_a_body_declares_it(app):
    """A route that reads the request itself (not a declared model) shows no body in the spec."""
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.path.startswith("/api/v1/") or not route.include_in_schema:
            continue
        if route.methods & {"POST", "PUT", "PATCH"} and route.body_field is None:
            params = inspect.signature(route.endpoint).parameters.values()
            assert not [p for p in params if p.annotation in (Request, "Request")], route.path


@pytest.mark.parametrize("path", ["/api/v1/antifraud/alerts/measures", "/api/v1/antifraud/alerts"])
@pytest.mark.parametrize("value", ["0", "1700000000", "20250301"])
def test_date_parameters_refuse_numbers(api_client, make_user, path, value):
    response = api_client(make_user(Role.DUTY_OFFICER)).get(f"{path}?until={value}")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "until"


def test_date_parameters_take_written_dates(api_client, make_user):
    client = api_client(make_user(Role.DUTY_OFFICER))
    measures = client.get("/api/v1/antifraud/alerts/measures?since=2025-01-01&until=2025-03-31")
    assert measures.status_code == 200 and measures.json()["since"] == "2025-01-01"
    assert client.get("/api/v1/antifraud/alerts?until=2025-03-31T00:00:00%2B08:00").status_code == 200
