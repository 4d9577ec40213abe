"""Anti-fraud fixtures: a committed county, bank API keys and a live app whose screening engine is booted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.app import create_app
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.auth.models import Role
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from tests.factories import COUNTY_YAML, PASSWORD, login


@dataclass
class Live:
    app: object
    tzb: TestClient  # API client of 台州银行's systems
    hyrcb: TestClient  # API client of 黄岩农商银行's systems
    keys: dict[str, str]

    def client(self, headers: dict | None = None) -> TestClient:
        return TestClient(self.app, headers=headers or {})

    def as_user(self, username: str) -> TestClient:
        client = TestClient(self.app)
        assert login(client, username).status_code == 303
        client.headers["X-CSRF-Token"] = client.cookies.get("pingan_csrf")
        return client


def seed_county() -> dict[str, str]:
    """Commit the test county, a user per role and an API key for each bank's systems."""
    keys = {}
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        for username, role, place in [
            ("analyst", Role.ANALYST, {"unit_code": "331003"}),
            ("duty1", Role.DUTY_OFFICER, {"unit_code": "331003-01"}),
            ("duty2", Role.DUTY_OFFICER, {"unit_code": "331003-02"}),
            ("teller1", Role.TELLER, {"branch_code": "TZB-01"}),
            ("teller2", Role.TELLER, {"branch_code": "TZB-02"}),
        ]:
            auth.create_user(db, username=username, password=PASSWORD, role=role, **place)
        for bank in ("TZB", "HYRCB"):
            _, keys[bank] = auth.create_api_key(db, user=auth.bank_system_user(db, bank), name="core")
        _, keys["teller1"] = auth.create_api_key(db, user=auth.get_user(db, "teller1"), name="script")
    return keys


@pytest.fixture
def live(committed_db) -> Iterator[Live]:
    keys = seed_county()
    app = create_app(run_scheduler=False)
    with TestClient(app):  # runs the lifespan: boots the engine, drains the writer at the end
        yield Live(app, TestClient(app, headers={"Authorization": f"Bearer {keys['TZB']}"}),
                   TestClient(app, headers={"Authorization": f"Bearer {keys['HYRCB']}"}), keys)
    shutdown_runtime()
