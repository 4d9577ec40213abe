import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pingan.core import clock
from pingan.core.config import Settings
from pingan.core.errors import ValidationFailed
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.auth.models import ApiKey, Role
from tests.factories import PASSWORD, login


def test_password_stored_as_argon2(make_user):
    user = make_user(Role.ANALYST)
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


def test_wrong_password_then_lockout(app, make_user, settings):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app)
    for _ in range(settings.login_max_failures):
        response = login(client, user.username, "wrong-password")
        assert response.status_code == 401
        assert "用户名或密码错误" in response.text
    locked = login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.text
    clock.shift(dt.timedelta(minutes=settings.login_lock_minutes + 1))
    assert login(client, user.username, PASSWORD).status_code == 303


def test_unknown_user_gets_same_answer(app, county):
    response = login(TestClient(app), "nobody", "whatever-pass")
    assert response.status_code == 401 and "用户名或密码错误" in response.text


def test_login_without_csrf_refused(app, make_user):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app)
    response = client.post("/login", data={"username": user.username, "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 403
    assert "pingan_session" not in response.cookies


def test_forged_csrf_token_refused(app, make_user):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app)
    client.cookies.set("pingan_csrf", "abc.forged")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                           "csrf_token": "abc.forged"}, follow_redirects=False)
    assert response.status_code == 403


def test_post_with_session_but_without_csrf_refused(client_for, make_user):
    client = client_for(make_user(Role.DUTY_OFFICER))
    del client.headers["X-CSRF-Token"]
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 200


def test_logout_ends_session(client_for, make_user):
    client = client_for(make_user(Role.DUTY_OFFICER))
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_expired_session_sends_browser_to_login(client_for, make_user, settings):
    client = client_for(make_user(Role.DUTY_OFFICER))
    clock.shift(dt.timedelta(hours=settings.session_hours + 1))
    page = client.get("/org", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/org")
    api = client.get("/api/v1/me")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "auth.required"


def test_next_parameter_cannot_leave_the_site(app, make_user):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/x"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"


def test_api_key_hashed_and_bound_to_user(db, make_user, api_client):
    user = make_user(Role.ANALYST)
    key, plain = auth.create_api_key(db, user=user, name="script")
    stored = db.scalar(select(ApiKey).where(ApiKey.id == key.id))
    assert plain not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    assert auth.user_for_api_key(db, plain).id == user.id
    assert auth.user_for_api_key(db, plain[:-1] + ("A" if plain[-1] != "A" else "B")) is None
    auth.revoke_api_key(db, prefix=key.prefix)
    assert auth.user_for_api_key(db, plain) is None


def test_bad_api_key_is_401(app, county):
    client = TestClient(app, headers={"Authorization": "Bearer pa_deadbeef_nope"})
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "auth.bad_api_key"


def test_bank_system_key(db, county, app):
    bank_user = auth.bank_system_user(db, "TZB")
    assert auth.bank_system_user(db, "TZB").id == bank_user.id
    _, plain = auth.create_api_key(db, user=bank_user, name="core banking")
    me = TestClient(app, headers={"Authorization": f"Bearer {plain}"}).get("/api/v1/me").json()
    assert me == {"username": "bank-tzb", "display_name": "台州银行系统", "role": "bank_system",
                  "unit": None, "bank": "TZB", "branch": None}


def test_user_placement_rules(db, county):
    with pytest.raises(ValidationFailed) as exc:
        auth.create_user(db, username="t1", password=PASSWORD, role=Role.TELLER)
    assert exc.value.code == "user.branch_required"
    with pytest.raises(ValidationFailed) as exc:
        auth.create_user(db, username="g1", password=PASSWORD, role=Role.GRID_WORKER, unit_code="331003")
    assert exc.value.code == "user.unit_kind"
    with pytest.raises(ValidationFailed):
        auth.parse_role("sheriff")


def test_login_is_audited(client_for, make_user, db):
    user = make_user(Role.DUTY_OFFICER)
    client_for(user)
    actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id)))
    assert "auth.login" in actions


def test_production_refuses_default_secret(monkeypatch):
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="x" * 40).is_production


def test_cli_users_and_keys(committed_db):
    from typer.testing import CliRunner

    from pingan.cli import app as cli
    from pingan.core.db import unit_of_work
    from pingan.platform.org import service as org_service
    from pingan.platform.org.loader import parse_org_text
    from tests.factories import COUNTY_YAML

    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
    runner = CliRunner()
    ok = runner.invoke(cli, ["users", "create", "--username", "li", "--password", PASSWORD,
                             "--role", "duty_officer", "--unit", "331003-01"])
    assert ok.exit_code == 0, ok.output
    bad_role = runner.invoke(cli, ["users", "create", "--username", "x", "--password", PASSWORD,
                                   "--role", "sheriff", "--unit", "331003-01"])
    assert bad_role.exit_code == 2 and "user.role" in bad_role.output
    bad_unit = runner.invoke(cli, ["users", "create", "--username", "y", "--password", PASSWORD,
                                   "--role", "duty_officer", "--unit", "999"])
    assert bad_unit.exit_code == 2 and "unit.not_found" in bad_unit.output
    key = runner.invoke(cli, ["apikeys", "create", "--bank", "TZB", "--name", "core"])
    assert key.exit_code == 0 and key.output.strip().startswith("pa_")
    with unit_of_work() as db:
        assert auth.user_for_api_key(db, key.output.strip()).username == "bank-tzb"
    prefix = key.output.strip().split("_")[1]
    assert prefix in runner.invoke(cli, ["apikeys", "list"]).output
    assert runner.invoke(cli, ["apikeys", "revoke", prefix]).exit_code == 0
    assert runner.invoke(cli, ["apikeys", "revoke", "nope"]).exit_code == 2
    with unit_of_work() as db:
        assert auth.user_for_api_key(db, key.output.strip()) is None
