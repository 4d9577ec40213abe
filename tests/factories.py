"""Factories (as fixtures): a small county, users of every role, logged-in HTTP clients and the live app with its
screening engine; and the deadline scanner run as a restarted server runs it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.app import create_app
from pingan.core.config import reset_settings
from pingan.core.db import reset_engine, unit_of_work
from pingan.platform import jobs
from pingan.platform.auth import service as auth
from pingan.platform.deadlines.models import DeadlineClock, DeadlineEscalation
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role, User
from pingan.web.deps import get_db

PASSWORD = "correct-horse-1"

COUNTY_YAML = """
units:
  - code: "331003"
    name: 台州市公安局黄岩分局
    kind: bureau
    children:
      - code: "331003-01"
        name: 头陀派出所
        kind: station
        children:
          - code: "331003-01-01"
            name: 头陀社区
            kind: community
            children: [{code: "331003-01-01-01", name: 头陀第1网格, kind: grid}]
      - code: "331003-02"
        name: 江口派出所
        kind: station
        children:
          - code: "331003-02-01"
            name: 江口社区
            kind: community
            children: [{code: "331003-02-01-01", name: 江口第1网格, kind: grid}]
banks:
  - code: TZB
    name: 台州银行
    branches:
      - {code: TZB-01, name: 台州银行头陀支行, station: "331003-01"}
      - {code: TZB-02, name: 台州银行江口支行, station: "331003-02"}
  - code: HYRCB
    name: 黄岩农商银行
    branches:
      - {code: HYRCB-01, name: 黄岩农商银行头陀支行, station: "331003-01"}
"""


PASSWORD_COSTS = ("PINGAN_PASSWORD_TIME_COST", "PINGAN_PASSWORD_MEMORY_KIB", "PINGAN_PASSWORD_PARALLELISM")


@pytest.fixture
def production(monkeypatch) -> Iterator[None]:
    """Settings of production: a random secret and the password costs' production defaults."""
    monkeypatch.setenv("PINGAN_ENVIRONMENT", "production")
    monkeypatch.setenv("PINGAN_SECRET_KEY", secrets.token_urlsafe(32))
    for name in PASSWORD_COSTS:
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    yield
    monkeypatch.undo()
    reset_settings()


@pytest.fixture
def county(db: Session):
    """Bureau 331003 with stations 331003-01 (头陀) and 331003-02 (江口), banks TZB and HYRCB."""
    org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
    return db


@pytest.fixture
def make_user(db: Session, county) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: Role | str, *, unit: str | None = None, branch: str | None = None,
             bank: str | None = None, username: str | None = None) -> User:
        role = Role(role)
        defaults = {Role.TELLER: {"branch": "TZB-01"}, Role.BANK_SYSTEM: {"bank": "TZB"},
                    Role.COMMUNITY_OFFICER: {"unit": "331003-01-01"}, Role.GRID_WORKER: {"unit": "331003-01-01-01"},
                    Role.DUTY_OFFICER: {"unit": "331003-01"}, Role.MEDIATOR: {"unit": "331003-01"},
                    Role.WINDOW_CLERK: {"unit": "331003-01"}, Role.LANDLORD: {}}.get(role, {"unit": "331003"})
        return auth.create_user(
            db, username=username or f"{role.value}{next(counter)}", password=PASSWORD, role=role,
            unit_code=unit or (None if branch or bank else defaults.get("unit")),
            branch_code=branch or defaults.get("branch"), bank_code=bank or defaults.get("bank"),
        )

    return make


@pytest.fixture
def app(db: Session):
    application = create_app(run_scheduler=False)

    def test_db() -> Iterator[Session]:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    application.dependency_overrides[get_db] = test_db
    return application


def login(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       follow_redirects=False)


@pytest.fixture
def client_for(app) -> Callable[[User], TestClient]:
    """A browser-like client logged in as the user (cookies kept, CSRF header set for htmx-style calls)."""

    def make(user: User) -> TestClient:
        client = TestClient(app)
        response = login(client, user.username)
        assert response.status_code == 303, response.text
        client.headers["X-CSRF-Token"] = client.cookies.get("pingan_csrf")
        return client

    return make


@pytest.fixture
def api_client(app, db: Session) -> Callable[[User], TestClient]:
    """A client authenticated with a fresh API key of the user."""

    def make(user: User) -> TestClient:
        _, plain = auth.create_api_key(db, user=user, name="test")
        return TestClient(app, headers={"Authorization": f"Bearer {plain}"})

    return make


@pytest.fixture
def live(committed_db):
    """A committed county with bank keys and a running app whose screening engine is booted."""
    from pingan.antifraud.screening.runtime.current import shutdown_runtime  # lazy: only live tests boot it
    from tests.antifraud.factories import Live, seed_county  # lazy: that module builds on this one

    keys = seed_county()
    application = create_app(run_scheduler=False)
    with TestClient(application):  # runs the lifespan: boots the engine, drains the writer at the end
        yield Live(application, TestClient(application, headers={"Authorization": f"Bearer {keys['TZB']}"}),
                   TestClient(application, headers={"Authorization": f"Bearer {keys['HYRCB']}"}), keys)
    shutdown_runtime()


def fired(kind: str) -> list[str]:
    """The escalation levels recorded for the clocks of ``kind``, in order (committed data)."""
    with unit_of_work() as db:
        return list(db.scalars(select(DeadlineEscalation.level).join(DeadlineClock)
                               .where(DeadlineClock.kind == kind).order_by(DeadlineEscalation.id)))


def count(model, *where) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def scan_twice_and_restart() -> None:
    """The deadline scanner twice, then once more as a new process: nothing but the database remembers."""
    jobs.run_once("deadlines.scan")
    jobs.run_once("deadlines.scan")
    reset_engine()
    jobs.run_once("deadlines.scan")
