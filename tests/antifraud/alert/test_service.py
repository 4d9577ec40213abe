"""The alert state machine, its clocks and what outcomes feed back, at the service level (rolled-back tests)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.alert import service as alert_flow
from pingan.antifraud.models import IntelEntry
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.vocabulary import Clock
from pingan.cases.models import FraudReport
from pingan.core import clock
from pingan.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.jobs import scan
from pingan.platform.deadlines.models import ClockStatus, DeadlineEscalation
from pingan.platform.notify.models import Event
from pingan.platform.org.models import OrgUnit
from tests.antifraud.engine.factories import ELDERLY_WOMAN
from tests.antifraud.factories import alert_step, held_alert

_ids = itertools.count(1)


def test_outcome_not_allowed_before_the_officer_is_on_site(db, county, people):
    alert = held_alert(db)
    alert_step(db, alert, "acknowledge", people["duty1"])
    alert_step(db, alert, "dispatch", people["duty1"])
    with pytest.raises(InvalidTransition):
        alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="dissuaded")
    alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="unreachable")
    assert alert.instruction == "cancel" and alert.amount_protected == 0


def test_roles_who_may_act(db, county, people):
    on_site, callback = held_alert(db), held_alert(db, channel="online")
    with pytest.raises(PermissionDenied):
        alert_step(db, on_site, "acknowledge", people["leader"])
    with pytest.raises(PermissionDenied):  # the call-back is the anti-fraud centre's task
        alert_step(db, callback, "acknowledge", people["duty1"])
    alert_step(db, callback, "acknowledge", people["analyst"])


def test_every_step_is_stamped_and_audited(db, county, people):
    from pingan.platform.audit.models import AuditEvent

    alert = held_alert(db)
    duty = people["duty1"]
    for action in ("acknowledge", "dispatch", "arrive"):
        alert_step(db, alert, action, duty)
    alert_flow.close_alert(db, alert=alert, actor=duty, outcome="dissuaded", note="客户已醒悟")
    assert all(getattr(alert, f) is not None for f in ("acknowledged_at", "dispatched_at", "arrived_at", "closed_at"))
    assert {alert.acknowledged_by_id, alert.dispatched_by_id, alert.arrived_by_id, alert.closed_by_id} == {duty.id}
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "antifraud_alert",
                                                         AuditEvent.entity_id == str(alert.id))).all()
    assert sorted(actions) == ["antifraud.alert.acknowledged", "antifraud.alert.arrived", "antifraud.alert.closed",
                              "antifraud.alert.dispatched"]
    assert alert.amount_protected == Decimal("180000.00")  # dissuaded, none given: the whole hold


def test_clocks_start_with_the_alert(db, county):
    settings = get_antifraud_settings()
    alert = held_alert(db)
    clocks = {c.kind: c for c in deadlines.clocks_for(db, alerts.OWNER_TYPE, alert.id)}
    assert set(clocks) == {Clock.ACKNOWLEDGED, Clock.ARRIVED, Clock.HOLD_INSTRUCTED}
    assert clocks[Clock.ACKNOWLEDGED].due_at == alert.created_at + dt.timedelta(seconds=settings.ack_seconds)
    assert clocks[Clock.ARRIVED].due_at == alert.created_at + dt.timedelta(minutes=settings.arrive_minutes)
    assert alert.hold_expires_at == clocks[Clock.HOLD_INSTRUCTED].due_at
    remote = held_alert(db, channel="mobile")
    kinds = {c.kind: c.unit_id for c in deadlines.clocks_for(db, alerts.OWNER_TYPE, remote.id)}
    bureau = db.scalar(select(OrgUnit.id).where(OrgUnit.code == "331003"))
    assert kinds == {Clock.ACKNOWLEDGED: bureau, Clock.CALLED_BACK: bureau, Clock.HOLD_INSTRUCTED: bureau}


def test_per_station_arrive_time(db, county, monkeypatch):
    monkeypatch.setitem(get_antifraud_settings().arrive_minutes_by_station, "331003-02", 25)
    alert = held_alert(db, branch="TZB-02")
    arrive = next(c for c in deadlines.clocks_for(db, alerts.OWNER_TYPE, alert.id) if c.kind == Clock.ARRIVED)
    assert arrive.due_at - alert.created_at == dt.timedelta(minutes=25)


def test_a_breach_escalates_to_the_bureau_once(db, county, people):
    alert = held_alert(db)
    clock.shift(dt.timedelta(seconds=get_antifraud_settings().ack_seconds + 1))
    assert scan(db, clock.now()) == 1
    assert scan(db, clock.now()) == 0  # a second scan (or a second scanner) fires nothing again
    events = db.scalars(select(Event).where(Event.topic == "antifraud.alert.escalated")).all()
    bureau = db.scalar(select(OrgUnit.id).where(OrgUnit.code == "331003"))
    assert [(e.payload["alert_id"], e.payload["clock"], e.unit_id) for e in events] == [
        (alert.id, Clock.ACKNOWLEDGED, bureau)]
    db.refresh(alert)
    assert [s.action for s in alert.steps] == ["escalate"]


def test_steps_stop_their_clocks(db, county, people):
    alert = held_alert(db)
    alert_step(db, alert, "acknowledge", people["duty1"])
    clock.shift(dt.timedelta(minutes=get_antifraud_settings().arrive_minutes - 1))
    assert scan(db, clock.now()) == 0  # acknowledged in time: the ack clock was met, not breached
    alert_step(db, alert, "dispatch", people["duty1"])
    alert_step(db, alert, "arrive", people["duty1"])
    alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="not_fraud")
    clock.shift(dt.timedelta(hours=2))
    assert scan(db, clock.now()) == 0
    statuses = {c.kind: c.status for c in deadlines.clocks_for(db, alerts.OWNER_TYPE, alert.id)}
    assert set(statuses.values()) == {ClockStatus.MET}
    assert db.scalar(select(func.count()).select_from(DeadlineEscalation)) == 0


def test_an_unattended_alert_escalates_each_clock_once(db, county):
    held_alert(db)
    clock.shift(dt.timedelta(hours=1))
    assert scan(db, clock.now()) == 3  # acknowledge, on site, hold expiry
    assert scan(db, clock.now()) == 0


def test_fraud_confirmed_lists_payee_and_phone_and_opens_a_case(db, county, people):
    alert = held_alert(db, payee="6217000000008888")
    for action in ("acknowledge", "dispatch", "arrive"):
        alert_step(db, alert, action, people["duty1"])
    alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="fraud_confirmed",
                           amount_protected=Decimal("100000"), fraud_phone="13912345678", typology="investment")
    listed = {(e.kind.value, e.value): e for e in db.scalars(select(IntelEntry).where(IntelEntry.alert_id == alert.id))}
    assert set(listed) == {("account", "6217000000008888"), ("phone", "13912345678")}
    assert all(e.typology == "investment" and e.status.value == "active" for e in listed.values())
    # The fraud case belongs to the cases module, which opens it when antifraud hands it over.
    report = db.scalar(select(FraudReport).where(FraudReport.alert_id == alert.id))
    assert [(p.account_no, p.status) for p in report.payees] == [("6217000000008888", "listed")]
    assert report.case.category == "telecom_fraud" and report.case.status == "received"
    assert report.loss == Decimal("80000.00") and report.phones == ["13912345678"]
    assert alert.instruction == "cancel" and alert.amount_protected == Decimal("100000.00")


def test_money_protected_only_for_outcomes_that_kept_it(db, county, people):
    alert = held_alert(db)
    for action in ("acknowledge", "dispatch", "arrive"):
        alert_step(db, alert, action, people["duty1"])
    with pytest.raises(ValidationFailed):
        alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="insisted",
                               amount_protected=Decimal("5"))
    with pytest.raises(ValidationFailed):
        alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome="dissuaded",
                               amount_protected=Decimal("999999"))


def test_outcomes_become_labelled_rows(db, county, people):
    made = {}
    for outcome in ("dissuaded", "not_fraud", "insisted", "fraud_confirmed", "unreachable"):
        alert = held_alert(db, payee=f"62170000000{len(made):05d}")
        for action in ("acknowledge", "dispatch", "arrive"):
            alert_step(db, alert, action, people["duty1"])
        alert_flow.close_alert(db, alert=alert, actor=people["duty1"], outcome=outcome)
        made[alert.screening.request_id] = outcome
    held_alert(db)  # still open: no label yet
    rows = {r["request_id"]: r for r in alert_flow.outcome_labels(db)}
    assert {made[k] for k in rows} == {"dissuaded", "not_fraud", "insisted", "fraud_confirmed"}
    for request_id, row in rows.items():
        fraud = made[request_id] != "not_fraud"
        assert row["label"] == {"is_fraud": fraud, "typology": "impersonating_authorities" if fraud else None}
        assert row["customer"]["id_number"] == ELDERLY_WOMAN and row["channel"] == "counter"
