"""The demo county's anti-fraud month: a first log-in finds screenings of every decision, alerts open and
closed with several outcomes, intel entries and an active trained model, all dated in the last month; loading
it again adds nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from pingan.antifraud import demo
from pingan.antifraud.modeling import registry
from pingan.antifraud.models import Alert, AlertStatus, AlertStep, IntelEntry, ScoreModelVersion, Screening
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.audit.models import AuditEvent
from pingan.platform.demo import RESIDENT, load_demo
from pingan.platform.people.models import Appearance

pytestmark = pytest.mark.slow


@pytest.fixture
def models_dir(tmp_path, monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("PINGAN_ANTIFRAUD_MODELS_DIR", str(tmp_path / "models"))
    registry.models_dir.cache_clear()
    yield
    registry.models_dir.cache_clear()


def _counts() -> dict[str, int]:
    with unit_of_work() as db:
        return {model.__name__: db.scalar(select(func.count()).select_from(model))
                for model in (Screening, Alert, AlertStep, IntelEntry, ScoreModelVersion, AuditEvent)}


def test_the_demo_month_gives_every_page_something_to_work_on_and_loads_once(committed_db, models_dir):
    with unit_of_work() as db:
        load_demo(db)
    seen: list[tuple[str, int, int]] = []
    loaded = demo.load_antifraud_demo(progress=lambda what, done, total: seen.append((what, done, total)))

    with unit_of_work() as db:
        demo_rows = select(Screening).where(Screening.request_id.startswith(demo.DEMO_PREFIX))
        decisions = {decision.value: n for decision, n in db.execute(
            select(Screening.decision, func.count()).where(Screening.request_id.startswith(demo.DEMO_PREFIX))
            .group_by(Screening.decision))}
        assert set(decisions) == {"allow", "warn", "hold"}
        alerts = list(db.scalars(select(Alert)))
        assert sum(decisions.values()) == loaded.screenings > 1000
        assert len(alerts) == loaded.alerts == decisions["hold"]
        closed = [a for a in alerts if a.status is AlertStatus.CLOSED]
        assert closed and len(closed) < len(alerts)  # something left for the console
        assert {a.outcome for a in closed} >= {"dissuaded", "not_fraud", "fraud_confirmed"}
        assert any(a.amount_protected for a in closed)
        assert {a.status for a in alerts if a.status is not AlertStatus.CLOSED} >= {AlertStatus.NEW,
                                                                                    AlertStatus.ACKNOWLEDGED}
        assert db.scalar(select(func.count()).select_from(IntelEntry)) > 0
        active = registry.active_row(db)
        assert active is not None and active.note == demo.MODEL_NOTE and active.model_id == loaded.model_id

        # A recent month, as the clock has it: nothing in the future, the oldest about a month back.
        now = clock.now()
        received = [s.received_at for s in db.scalars(demo_rows)]
        assert max(received) <= now and now - min(received) > dt.timedelta(days=25)
        assert now - min(received) < dt.timedelta(days=32)
        assert all(a.created_at <= now and (a.closed_at is None or a.created_at < a.closed_at <= now)
                   for a in alerts)
        # The demo resident's file shows her held at the counter and a party to a dispute.
        modules = {(a.module, a.role.value) for a in db.scalars(
            select(Appearance).where(Appearance.id_number == RESIDENT.id_number))}
        assert modules == {("antifraud", "customer"), ("mediation", "party")}
    assert {what for what, _, _ in seen} >= {"screening / 筛查", "alerts / 预警处置"}
    assert all(done <= total for _, done, total in seen)

    before = _counts()
    assert demo.load_antifraud_demo() == loaded
    assert _counts() == before
