"""Log-in on a real engine while another connection writes (issue: a first log-in answered 500 "database is
locked" well within the busy timeout, because its read transaction could not become a writer)."""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select

from pingan.app import create_app
from pingan.core.db import session_factory, unit_of_work
from pingan.platform.audit import service as audit
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML, PASSWORD, login


class CommitsWhileHashing(PasswordHasher):
    """As in production: while a password is checked, another connection (the store process) commits."""

    def verify(self, hash, password):  # noqa: A002 - the argon2 signature
        writer = threading.Thread(target=self.write)
        writer.start()
        writer.join(timeout=1)
        return super().verify(hash, password)

    @staticmethod
    def write() -> None:
        with unit_of_work() as db:
            audit.record(db, actor=None, action="test.written")


def test_log_in_while_another_connection_commits(committed_db, monkeypatch):
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        auth.create_user(db, username="li", password=PASSWORD, role=Role.DUTY_OFFICER, unit_code="331003-01")
    hasher = CommitsWhileHashing()
    monkeypatch.setattr(auth, "_hasher", lambda: hasher)
    client = TestClient(create_app(run_scheduler=False), raise_server_exceptions=False)
    response = login(client, "li")
    assert response.status_code == 303, response.text
    assert client.get("/api/v1/me").json()["username"] == "li"
    with session_factory()() as db:
        actions = set(db.scalars(select(AuditEvent.action)))
    assert {"platform.session.started", "test.written"} <= actions
