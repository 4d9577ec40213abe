"""Test set-up: one migrated database per run (SQLite by default, PostgreSQL when PINGAN_DATABASE_URL says so),
each test in a transaction that is rolled back, and factories for a small county."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
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
from pingan.core.db import Base, get_engine, reset_engine  # noqa: E402
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


@pytest.fixture
def db() -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    connection = get_engine().connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


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
