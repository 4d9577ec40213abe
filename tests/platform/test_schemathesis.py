"""Schemathesis over every operation under /api/v1, as an administrator's API key and as a bank's: no
answer is a 5xx, and every answer matches the schema the spec publishes for its status. Bounded: a few
valid and a few invalid examples per operation, the same ones on every run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.app import create_app
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML, PASSWORD

pytestmark = pytest.mark.slow
EXAMPLES = 6  # per operation and caller, valid and invalid together
# The live feed never ends by itself; its framing is tested in test_events_api.
ENDLESS = r"^/api/v1/events/stream$"


@pytest.fixture
def served(committed_db) -> Iterator[tuple[object, dict[str, str]]]:
    keys = {}
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        admin = auth.create_user(db, username="admin", password=PASSWORD, role=Role.ADMIN, unit_code="331003")
        _, keys["admin"] = auth.create_api_key(db, user=admin, name="schemathesis")
        _, keys["bank"] = auth.create_api_key(db, user=auth.bank_system_user(db, "TZB"), name="core")
    app = create_app(run_scheduler=False)
    with TestClient(app):  # the lifespan boots the screening engine the bank's calls reach
        yield app, keys
    shutdown_runtime()


@pytest.mark.parametrize("caller", ["admin", "bank"])
def test_no_server_error_and_every_answer_as_published(served, caller):
    app, keys = served
    headers = {"Authorization": f"Bearer {keys[caller]}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=headers)
    schema = schema.include(path_regex=r"^/api/v1/").exclude(path_regex=ENDLESS)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        cases = st.one_of(*(operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)))

        @given(case=cases)
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        try:
            check()
        except Exception as exc:  # every operation is tried; the report lists each failing one
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
