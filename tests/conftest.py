"""Test set-up: one migrated database per run (SQLite by default, PostgreSQL when PINGAN_DATABASE_URL says so),
each test in a transaction that is rolled back, and factories for a small county."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

_tmp = Path(tempfile.mkdtemp(prefix="pingan-test-"))
os.environ.setdefault("PINGAN_DATABASE_URL", f"sqlite:///{_tmp / 'test.sqlite3'}")
os.environ["PINGAN_ENVIRONMENT"] = "test"
# Model artefacts of this run's own: the two halves of `make test` run side by side in one checkout.
os.environ.setdefault("PINGAN_ANTIFRAUD_MODELS_DIR", str(_tmp / "models"))
os.environ["PINGAN_RUN_SCHEDULER"] = "false"
# Password hashes at Argon2's least cost: at the production cost (a tenth of a second each) the suite's
# thousands of users and log-ins took most of its time. tests/platform/test_auth.py checks the real cost.
os.environ.setdefault("PINGAN_PASSWORD_TIME_COST", "1")
os.environ.setdefault("PINGAN_PASSWORD_MEMORY_KIB", "8")
os.environ.setdefault("PINGAN_PASSWORD_PARALLELISM", "1")
# Tests store and prepare screenings in the test process itself; the store and preparer processes are
# covered by the kill test (a real server) and tests/antifraud/screening/helpers/test_preparer.py.
os.environ["PINGAN_ANTIFRAUD_STORE_PROCESS"] = "false"
os.environ["PINGAN_ANTIFRAUD_PREPARE_PROCESS"] = "false"

from pingan.core import clock  # noqa: E402
from pingan.core.config import get_settings, reset_settings  # noqa: E402
from pingan.core.db import Base, get_engine, make_engine, reset_engine  # noqa: E402
from pingan.models import load_all_models  # noqa: E402

pytest_plugins = ["tests.factories"]


def _clean_postgres(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    reset_settings()
    reset_engine()
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        _clean_postgres(engine)
    from pingan import registry
    from pingan.core.migrate import upgrade

    load_all_models()
    registry.load()
    upgrade()
    yield
    reset_engine()


def _rolled_back(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def db() -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    yield from _rolled_back(get_engine())


# Loads the demo as `pingan demo --no-month` does, at the given moment (ISO text) or now.
_LOAD_DEMO = """
import datetime as dt, sys
from pingan import registry
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.models import load_all_models
from pingan.platform.demo import load_demo
load_all_models()
registry.load()
if sys.argv[1]:
    clock.shift(dt.datetime.fromisoformat(sys.argv[1]) - clock.now())
with unit_of_work() as db:
    load_demo(db)
"""


def _demo_database(name: str, at: dt.datetime | None) -> Engine:
    """A database of its own holding the demo county (two years of every module's records), migrated by
    `pingan db upgrade` and loaded in a process of its own (the loaders use the process's one engine)."""
    url = make_url(get_settings().resolved_database_url)
    if url.get_backend_name() == "postgresql":
        demo_url = url.set(database=f"{url.database}_{name}")
        admin = make_engine(url.render_as_string(hide_password=False))
        with admin.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text(f'DROP DATABASE IF EXISTS "{demo_url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{demo_url.database}"'))
        admin.dispose()
    else:
        demo_url = url.set(database=str(_tmp / f"{name}.sqlite3"))
    rendered = demo_url.render_as_string(hide_password=False)
    environment = {**os.environ, "PINGAN_DATABASE_URL": rendered,
                   "PINGAN_ANTIFRAUD_MODELS_DIR": str(_tmp / f"{name}-models")}
    for command in ([str(Path(sys.executable).with_name("pingan")), "db", "upgrade"],
                    [sys.executable, "-c", _LOAD_DEMO, at.isoformat() if at else ""]):
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
        assert done.returncode == 0, f"{command[:2]} failed:\n{done.stdout}\n{done.stderr}"
    return make_engine(rendered)


def _year_end() -> dt.datetime:
    """This year's last evening: the demo's year is then whole and compares with last year's whole."""
    return dt.datetime(clock.today_local().year, 12, 31, 20, tzinfo=clock.LOCAL_TZ)


def pytest_collection_modifyitems(items) -> None:
    """The first test to read a demo database waits for its load: minutes on a busy machine."""
    for item in items:
        if {"demo_engine", "year_end_demo_engine"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.timeout(900), append=False)


@pytest.fixture(scope="session")
def demo_engine(database) -> Iterator[Engine]:
    """The demo county loaded now, once per run when a test first asks for it (the load takes a while and a
    dozen tests read it)."""
    engine = _demo_database("demo", None)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def year_end_demo_engine(database) -> Iterator[Engine]:
    """The demo county loaded on this year's last evening, once per run."""
    engine = _demo_database("demo_year_end", _year_end())
    yield engine
    engine.dispose()


@pytest.fixture
def demo_db(demo_engine) -> Iterator[Session]:
    """A session on the demo county's database, inside an outer transaction that is rolled back after the test."""
    yield from _rolled_back(demo_engine)


@pytest.fixture
def year_end_demo_db(year_end_demo_engine) -> Iterator[Session]:
    """As `demo_db` on the demo loaded on this year's last evening, with the clock on that evening."""
    clock.shift(_year_end() - clock.now())
    yield from _rolled_back(year_end_demo_engine)


@pytest.fixture
def committed_db() -> Iterator[None]:
    """For tests that need real commits (several sessions, restarts): every table is emptied afterwards."""
    yield
    engine = get_engine()
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    yield
    clock.reset()


@pytest.fixture
def settings():
    return get_settings()
