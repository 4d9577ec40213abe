import asyncio
import datetime as dt
import os
import re
import secrets
import sys

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from pingan.core import clock
from pingan.core.config import Settings
from pingan.core.errors import ValidationFailed
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.users.models import ApiKey, Role
from tests.factories import PASSWORD, login


def test_password_stored_as_argon2(make_user):
    user = make_user(Role.ANALYST)
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


def _from(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000))


@pytest.mark.skipif(sys.platform != "linux", reason="a nice value is a thread's own on Linux only")
def test_passwords_are_checked_at_the_lowest_priority_and_the_server_keeps_its_own(make_user):
    user, ours = make_user(role=Role.ANALYST), os.getpriority(os.PRIO_PROCESS, 0)
    assert auth._password_matches(user.password_hash, PASSWORD)
    assert not auth._password_matches(user.password_hash, "wrong-password")
    assert auth._checker.submit(os.getpriority, os.PRIO_PROCESS, 0).result() == 19
    assert os.getpriority(os.PRIO_PROCESS, 0) == ours


def test_wrong_password_then_throttled_like_an_unknown_user(app, make_user, settings):
    user = make_user(Role.DUTY_OFFICER)
    client = _from(app, "10.0.0.1")
    answers = {}
    for name in (user.username, "nobody"):
        for _ in range(settings.login_max_failures):
            response = login(client, name, "wrong-password")
            assert response.status_code == 401
            assert "用户名或密码错误" in response.text
        answers[name] = login(client, name, PASSWORD if name == user.username else "whatever-pass")
    real, unknown = answers[user.username], answers["nobody"]
    assert real.status_code == unknown.status_code == 429
    assert real.text.replace(user.username, "nobody") == unknown.text.replace(user.username, "nobody")
    clock.shift(dt.timedelta(minutes=settings.login_lock_minutes + 1))
    assert login(client, user.username, PASSWORD).status_code == 303


def test_a_stranger_cannot_lock_a_user_out(app, make_user, settings, db):
    user = make_user(Role.DUTY_OFFICER)
    stranger = _from(app, "203.0.113.7")
    for _ in range(settings.login_max_failures + 1):
        login(stranger, user.username, "wrong-password")
    assert login(stranger, user.username, PASSWORD).status_code == 429
    assert login(_from(app, "10.0.0.2"), user.username, PASSWORD).status_code == 303
    locked = db.scalars(select(AuditEvent).where(AuditEvent.action == "platform.user.locked")).all()
    assert [e.data["address"] for e in locked] == ["203.0.113.7"]


def test_an_address_is_throttled_across_usernames(app, make_user, settings):
    user = make_user(Role.DUTY_OFFICER)
    guesser = _from(app, "198.51.100.3")
    for i in range(settings.login_address_max_failures):
        assert login(guesser, f"guess{i}", "wrong-password").status_code == 401
    assert login(guesser, user.username, PASSWORD).status_code == 429
    assert login(_from(app, "10.0.0.3"), user.username, PASSWORD).status_code == 303


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
    assert "platform.session.started" in actions


@pytest.mark.parametrize("secret", [None, "short-but-random-Xq9", "x" * 40, "abcabcabcabc" * 4,
                                    "password1234password1234password1234"])
def test_production_refuses_a_weak_secret(secret):
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production", **({"secret_key": secret} if secret else {}))


def test_production_accepts_a_random_secret(production):
    assert Settings(environment="production", secret_key=secrets.token_urlsafe(32)).is_production


@pytest.mark.parametrize("costs", [{"password_memory_kib": 8}, {"password_time_cost": 1},
                                   {"password_memory_kib": 19455, "password_time_cost": 2}])
def test_production_refuses_a_cheap_password_hash(production, costs):
    with pytest.raises(ValidationError, match="PASSWORD_MEMORY_KIB"):
        Settings(**costs)


def test_production_hashes_at_argon2_production_cost(production):
    """RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes): the suite itself hashes at the least cost."""
    hasher = auth._hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert auth.hash_password(PASSWORD).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_of_another_cost_verifies_and_is_rehashed_at_log_in(app, make_user, db):
    """Raising the cost locks nobody out: the old hash still verifies, and the log-in stores one at the new cost."""
    user = make_user(Role.DUTY_OFFICER)
    user.password_hash = auth._hasher_of(2, 19456, 1).hash(PASSWORD)
    db.flush()
    assert login(TestClient(app), user.username).status_code == 303
    db.refresh(user)
    assert user.password_hash.startswith(auth.hash_password(PASSWORD).rsplit("$", 2)[0] + "$")


@pytest.mark.parametrize("value", ["prod", "Production", "production ", "PRODUCTION", ""])
def test_unknown_environment_refused_naming_the_known_ones(value):
    with pytest.raises(ValidationError, match="development, test, production"):
        Settings(environment=value, secret_key=secrets.token_urlsafe(32))


def test_environment_read_from_the_variable(monkeypatch):
    monkeypatch.setenv("PINGAN_ENVIRONMENT", "Production")
    with pytest.raises(ValidationError, match="PINGAN_ENVIRONMENT='Production' is unknown"):
        Settings()


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


def test_csrf_token_rotated_at_log_in(app, make_user):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app)
    before = client.get("/login").cookies.get("pingan_csrf")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    assert token == before
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    after = response.cookies.get("pingan_csrf")
    assert response.status_code == 303 and after and after != before
    client.cookies.set("pingan_csrf", before)
    assert client.post("/logout", headers={"X-CSRF-Token": before}, follow_redirects=False).status_code == 403
    client.cookies.set("pingan_csrf", after)
    assert client.post("/logout", headers={"X-CSRF-Token": after}, follow_redirects=False).status_code == 303


def test_csrf_token_of_another_session_refused(client_for, make_user):
    alice, bob = client_for(make_user(Role.DUTY_OFFICER)), client_for(make_user(Role.DUTY_OFFICER))
    stolen = alice.cookies.get("pingan_csrf")
    bob.cookies.set("pingan_csrf", stolen)
    response = bob.post("/logout", headers={"X-CSRF-Token": stolen}, follow_redirects=False)
    assert response.status_code == 403
    assert bob.get("/api/v1/me").status_code == 200


def test_page_replaces_a_csrf_cookie_of_another_session(client_for, make_user):
    client = client_for(make_user(Role.DUTY_OFFICER))
    client.cookies.set("pingan_csrf", client_for(make_user(Role.DUTY_OFFICER)).cookies.get("pingan_csrf"))
    page = client.get("/org")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    assert page.cookies.get("pingan_csrf") == token.group(1)
    client.cookies.delete("pingan_csrf")
    client.cookies.set("pingan_csrf", token.group(1))
    assert client.post("/logout", headers={"X-CSRF-Token": token.group(1)}, follow_redirects=False).status_code == 303


def test_csrf_and_session_cookies_secure_in_production(app, make_user, production):
    user = make_user(Role.DUTY_OFFICER)
    client = TestClient(app, base_url="https://testserver")
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()
    response = login(client, user.username)
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2 and all("secure" in c.lower() for c in cookies)


class RecordsWhereItHashes(PasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self.on_event_loop: list[bool] = []

    def verify(self, hash, password):  # noqa: A002 - the argon2 signature
        try:
            asyncio.get_running_loop()
            self.on_event_loop.append(True)
        except RuntimeError:
            self.on_event_loop.append(False)
        return super().verify(hash, password)


def test_password_checked_off_the_event_loop(app, make_user, monkeypatch):
    """A fifth of a second of CPU per check must not stop every other request (screenings) meanwhile."""
    user = make_user(Role.DUTY_OFFICER)
    hasher = RecordsWhereItHashes()
    monkeypatch.setattr(auth, "_hasher", lambda: hasher)
    client = TestClient(app)
    assert login(client, user.username, "wrong-password").status_code == 401
    assert login(client, user.username).status_code == 303
    assert hasher.on_event_loop == [False, False]
