"""The demo county's anti-fraud month: a first log-in finds screenings of every decision, alerts open and
closed with several outcomes, intel entries and an active trained model, all dated in the last month; before
it two years of history (more holds, dissuasions and money protected this year to date than on the same
dates last year), each record as the store and the alert steps write one; loading it again adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from pingan.antifraud import demo, figures
from pingan.antifraud.alert.opening import OWNER_TYPE
from pingan.antifraud.demo import history
from pingan.antifraud.modeling import registry
from pingan.antifraud.models import Alert, AlertStatus, AlertStep, Decision, IntelEntry, ScoreModelVersion, Screening
from pingan.antifraud.screening.prepared import prepare_body
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines.models import ClockStatus, DeadlineClock
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
        month = (Screening.request_id.startswith(demo.DEMO_PREFIX),
                 ~Screening.request_id.startswith(history.PREFIX))
        demo_rows = select(Screening).where(*month)
        decisions = {decision.value: n for decision, n in db.execute(
            select(Screening.decision, func.count()).where(*month).group_by(Screening.decision))}
        assert set(decisions) == {"allow", "warn", "hold"}
        alerts = list(db.scalars(select(Alert).join(Screening).where(*month)))
        assert len(alerts) == decisions["hold"]
        assert db.scalar(select(func.count()).select_from(Alert)) == loaded.alerts
        _the_history_reads_like_the_branchs_year(db, min(s.received_at for s in db.scalars(demo_rows)))
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


def _the_history_reads_like_the_branchs_year(db, month_begins: dt.datetime) -> None:
    rows = list(db.scalars(select(Screening).where(Screening.request_id.startswith(history.PREFIX))))
    assert len(rows) > 25_000 and max(r.received_at for r in rows) < month_begins
    assert {r.decision for r in rows} == {Decision.ALLOW, Decision.WARN, Decision.HOLD}
    for row in rows[:: len(rows) // 200]:  # each stored as the runtime stores it: the canonical request, hashed
        prepared = prepare_body(row.request.encode())
        assert prepared.request_json == row.request and prepared.request_id == row.request_id
        assert row.request_hash == hashlib.sha256(row.request.encode()).hexdigest() == prepared.request_hash
        assert dt.datetime.fromisoformat(prepared.occurred_at) == row.occurred_at <= row.received_at
    held = [r for r in rows if r.decision is Decision.HOLD]
    alerts = {a.screening_id: a for a in db.scalars(select(Alert).where(Alert.screening_id.in_([r.id for r in held])))}
    assert len(alerts) == len(held)  # one alert per hold
    for alert in list(alerts.values())[:: max(1, len(alerts) // 50)]:
        assert alert.status is AlertStatus.CLOSED and alert.created_at <= alert.acknowledged_at <= alert.closed_at
        steps = [s.action for s in alert.steps]
        assert steps[0] == "acknowledge" and steps[-1] == "close" and all(alert.created_at <= s.at for s in alert.steps)
        audited = db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_type == "antifraud_alert", AuditEvent.entity_id == str(alert.id)))
        assert audited == len(steps)
        clocks = list(db.scalars(select(DeadlineClock).where(DeadlineClock.owner_type == OWNER_TYPE,
                                                             DeadlineClock.owner_id == str(alert.id))))
        assert len(clocks) == 3 and all(c.status is not ClockStatus.RUNNING for c in clocks)
        assert all(f"#{alert.id}" in c.title for c in clocks)
    people = db.scalar(select(func.count()).select_from(Appearance).where(
        Appearance.record_id.in_([r.id for r in held[:100]])))
    assert people == len(held[:100])  # a held customer joins the register

    today = clock.today_local()
    same_day = today.replace(year=today.year - 1, day=min(today.day, 28))
    for code in ("antifraud.holds", "antifraud.dissuasions", "antifraud.money_protected"):
        this = sum(link.value for link in figures.records(db, code, None, dt.date(today.year, 1, 1), today))
        last = sum(link.value for link in figures.records(db, code, None, dt.date(today.year - 1, 1, 1), same_day))
        assert this > last > 0, code
