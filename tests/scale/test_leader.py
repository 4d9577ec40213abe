"""One process runs the shared jobs: on PostgreSQL the holder of the advisory lock, taken over when it goes;
on SQLite the one process. Several server processes need PostgreSQL."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pingan.cli import app
from pingan.core.db import get_engine
from pingan.platform.jobs import leader


def test_one_scheduler_lock_holder_at_a_time_and_a_successor_when_it_goes(monkeypatch):
    if get_engine().dialect.name != "postgresql":
        assert leader.SchedulerLock().held()  # SQLite: the one process leads
        return
    monkeypatch.setattr(leader, "RETRY_SECONDS", 0.0)
    first, second = leader.SchedulerLock(), leader.SchedulerLock()
    try:
        assert first.held()
        assert not second.held()
        assert first.held()  # still its own
        first.release()  # its process ended: the connection closed
        assert second.held()
        assert not first.held()
    finally:
        first.release()
        second.release()


def test_several_workers_are_refused_on_sqlite():
    if get_engine().dialect.name != "sqlite":
        pytest.skip("the refusal is SQLite's")
    result = CliRunner().invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "PostgreSQL" in result.output
