"""The alert after a hold: an explicit transition table, each step stamped, audited and announced; the outcome
flows back to the bank (instruction), the intel list (confirmed fraud), a case record and training labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.alert import repository as repo
from pingan.antifraud.alert.transitions import ACTORS, FRAUD, ON_SITE, PROTECTING, TRANSITIONS, UNLABELLED
from pingan.antifraud.intel import register
from pingan.antifraud.intel import service as intel
from pingan.antifraud.models import Alert, AlertOutcome, AlertStatus, AlertStep, MissedFraud, Screening
from pingan.antifraud.vocabulary import CLOCK_LABELS, STEP_ACTIONS, TYPOLOGY_LABELS, Action, Clock, Topic
from pingan.core import clock
from pingan.core.errors import ErrorDetail, InvalidTransition, PermissionDenied, ValidationFailed
from pingan.platform import handover
from pingan.platform.audit import service as audit
from pingan.platform.deadlines import service as deadlines
from pingan.platform.notify import service as notify
from pingan.platform.users.models import Role, User

_CLOCKS_STOPPED_BY = {"acknowledge": (Clock.ACKNOWLEDGED,), "arrive": (Clock.ARRIVED,)}


# ---- reading ---------------------------------------------------------------------------------------------

def open_alert_record(db: Session, *, user: User, alert_id: int) -> Alert:
    """An alert for its detail page or API reading; every reading is audited."""
    alert = repo.get_alert(db, user=user, alert_id=alert_id)
    audit.record(db, actor=user, action=Action.ALERT_VIEWED, entity=alert)
    return alert


# ---- steps -----------------------------------------------------------------------------------------------

def _step(db: Session, alert: Alert, *, action: str, actor: User, note: str | None,
          outcome: str | None = None, data: dict | None = None) -> AlertStatus:
    """Check the table and the actor, move the alert, stamp, audit and announce the step."""
    if actor.role is not Role.ADMIN and actor.role not in ACTORS[alert.kind]:
        who = "派出所值班民警或反诈中心" if alert.kind is ON_SITE else "反诈中心"
        raise PermissionDenied("alert.role", f"此预警须由{who}处置 / your role may not act on this alert")
    rule = TRANSITIONS.get((alert.kind, alert.status, action))
    if rule is None:
        raise InvalidTransition("alert.transition_refused",
                                f"预警当前状态不能执行此操作 / cannot {action} an alert that is {alert.status.value}")
    target, outcomes = rule
    if outcomes is not None and outcome not in outcomes:
        raise InvalidTransition("alert.outcome_refused",
                                f"当前状态不能以此结果办结 / outcome {outcome} is not allowed now")
    now = clock.now()
    before = alert.status
    alert.status = target
    db.add(AlertStep(alert_id=alert.id, action=action, from_status=before.value, to_status=target.value, at=now,
                     actor_id=actor.id, actor_name=actor.display_name, note=note, data=data))
    audit.record(db, actor=actor, action=STEP_ACTIONS[action], entity=alert, note=note,
                 data={"from": before.value, "to": target.value, **(data or {})})
    for kind in _CLOCKS_STOPPED_BY.get(action, ()):
        deadlines.stop(db, owner_type=alerts.OWNER_TYPE, owner_id=alert.id, kind=kind)
    return target


def _announce(db: Session, alert: Alert, title: str) -> None:
    notify.publish(db, topic=Topic.ALERT_UPDATED, unit_id=alert.station_id, bank_id=alert.bank_id,
                   title=f"预警 #{alert.id}：{title}", link=f"/antifraud/alerts/{alert.id}",
                   payload={"alert_id": alert.id, "status": alert.status.value, "outcome": alert.outcome,
                            "instruction": alert.instruction, "branch_code": alert.screening.branch.code})


def acknowledge_alert(db: Session, *, alert: Alert, actor: User, note: str | None = None) -> Alert:
    _step(db, alert, action="acknowledge", actor=actor, note=note)
    alert.acknowledged_at, alert.acknowledged_by_id = clock.now(), actor.id
    _announce(db, alert, "已签收")
    return alert


def dispatch_alert(db: Session, *, alert: Alert, actor: User, officer: str, note: str | None = None) -> Alert:
    officer = officer.strip()
    if not officer:
        raise ValidationFailed("alert.officer_required", "请填写出警民警 / name the officer sent",
                               [ErrorDetail("officer", "required")])
    _step(db, alert, action="dispatch", actor=actor, note=note, data={"officer": officer})
    alert.dispatched_at, alert.dispatched_by_id, alert.officer = clock.now(), actor.id, officer
    _announce(db, alert, f"已出警（{officer}）")
    return alert


def arrive_alert(db: Session, *, alert: Alert, actor: User, note: str | None = None) -> Alert:
    _step(db, alert, action="arrive", actor=actor, note=note)
    alert.arrived_at, alert.arrived_by_id = clock.now(), actor.id
    _announce(db, alert, "民警已到场")
    return alert


def close_alert(db: Session, *, alert: Alert, actor: User, outcome: str, amount_protected: Decimal | None = None,
                note: str | None = None, fraud_phone: str | None = None, typology: str | None = None) -> Alert:
    """Close with an outcome; the bank gets its instruction, a confirmed fraud goes on the intel list at once."""
    screening = alert.screening
    if typology is not None and typology not in TYPOLOGY_LABELS:
        raise ValidationFailed("alert.typology", "未知诈骗类型 / unknown typology",
                               [ErrorDetail("typology", "not_allowed")])
    protected = _protected(outcome, amount_protected, screening.amount)
    typology = (typology or screening.typology) if outcome in FRAUD else None
    phone = (fraud_phone or "").strip() or None
    _step(db, alert, action="close", actor=actor, note=note, outcome=outcome,
          data={"outcome": outcome, "amount_protected": str(protected), "typology": typology})
    now = clock.now()
    outcome = AlertOutcome(outcome)  # _step has refused any other value
    alert.closed_at, alert.closed_by_id, alert.outcome, alert.note = now, actor.id, outcome, note
    alert.instruction = alerts.INSTRUCTIONS[outcome]
    alert.amount_protected, alert.confirmed_typology, alert.fraud_phone = protected, typology, phone
    for kind in Clock:  # an early close gives up the on-site clock; the others were met
        deadlines.stop(db, owner_type=alerts.OWNER_TYPE, owner_id=alert.id, kind=kind,
                       met=kind is not Clock.ARRIVED or alert.arrived_at is not None)
    if outcome == AlertOutcome.FRAUD_CONFIRMED:
        _list_fraud(db, alert, screening, actor=actor, typology=typology, phone=phone, note=note)
    if outcome == AlertOutcome.DISSUADED:
        register.protect(db, alert=alert, screening=screening, actor=actor)
    _announce(db, alert, "已办结")
    verb = "放行" if alert.instruction == "release" else "取消交易"
    notify.publish(db, topic=Topic.ALERT_INSTRUCTED, unit_id=alert.station_id, bank_id=alert.bank_id,
                   title=f"处置指令：预警 #{alert.id} 请{verb}", link=f"/antifraud/screenings/{screening.id}",
                   payload={"alert_id": alert.id, "screening_id": screening.id, "request_id": screening.request_id,
                            "instruction": alert.instruction, "outcome": outcome,
                            "branch_code": screening.branch.code, "closed_at": now.isoformat()})
    return alert


def _protected(outcome: str, given: Decimal | None, held: Decimal) -> Decimal:
    """Money protected (see docs/antifraud/alerts.md): only for outcomes that kept the money; at most the hold."""
    if outcome not in PROTECTING:
        if given:
            raise ValidationFailed("alert.amount_protected", "该结果不计挽回金额 / this outcome protects no money",
                                   [ErrorDetail("amount_protected", "not_allowed")])
        return Decimal("0.00")
    value = held if given is None else Decimal(given)
    if not value.is_finite() or value < 0 or value > held:
        raise ValidationFailed("alert.amount_protected", "挽回金额须在 0 与止付金额之间 / amount protected must be "
                               "between 0 and the held amount", [ErrorDetail("amount_protected", "out_of_range")])
    return value.quantize(Decimal("0.01"))


def _list_fraud(db: Session, alert: Alert, screening: Screening, *, actor: User, typology: str | None,
                phone: str | None, note: str | None) -> None:
    today = clock.today_local()
    source = f"预警 #{alert.id} 核实诈骗"
    raw = [{"kind": "account", "value": screening.payee_account, "typology": typology, "source": source,
            "listed_on": today}]
    if phone:
        raw.append({"kind": "phone", "value": phone, "typology": typology, "source": source, "listed_on": today})
    intel.list_entries(db, intel.check_rows(raw, where="rows"), actor=actor, alert_id=alert.id)
    # The fraud case belongs to the cases module: it opens the record (DESIGN.md, platform.handover).
    customer = orjson.loads(screening.request).get("customer") or {}
    handover.hand_over(db, handover.FRAUD_CASE, alert_id=alert.id, station_id=alert.station_id,
                       victim_id_number=screening.customer_id_number, victim_name=str(customer.get("name") or ""),
                       occurred_at=screening.occurred_at, amount=screening.amount, protected=alert.amount_protected,
                       payee_account=screening.payee_account, phone=phone, typology=typology, note=note, actor=actor)


def record_escalation(db: Session, alert: Alert, *, clock_kind: str) -> None:
    """A clock ran out: the bureau's anti-fraud centre is told (once per clock; the scanner guarantees it)."""
    label = CLOCK_LABELS[clock_kind]
    db.add(AlertStep(alert_id=alert.id, action="escalate", from_status=alert.status.value,
                     to_status=alert.status.value, at=clock.now(), actor_name="system",
                     data={"clock": clock_kind}))
    notify.publish(db, topic=Topic.ALERT_ESCALATED, unit_id=alerts.bureau_of(db, alert.station_id),
                   title=f"预警 #{alert.id} {label}超时，请反诈中心督办", link=f"/antifraud/alerts/{alert.id}",
                   payload={"alert_id": alert.id, "clock": clock_kind, "status": alert.status.value,
                            "station_id": alert.station_id})


# ---- labels for training ---------------------------------------------------------------------------------

def label_of(alert: Alert) -> dict | None:
    if alert.outcome is None or alert.outcome in UNLABELLED:
        return None
    is_fraud = alert.outcome in FRAUD
    return {"is_fraud": is_fraud, "typology": alert.confirmed_typology if is_fraud else None}


def outcome_labels(db: Session, *, since: dt.datetime | None = None) -> Iterator[dict]:
    """Every closed alert with a known answer as a labelled row: the request JSON plus ``label``; then every
    missed fraud (an allowed screening of a customer who later reported the fraud) as a fraud label.

    A query over alerts and their screenings (no copy table): a relabelled outcome is read as it is now.
    """
    stmt = (select(Alert).where(Alert.status == AlertStatus.CLOSED, Alert.outcome.not_in(UNLABELLED))
            .options(selectinload(Alert.screening)).order_by(Alert.closed_at, Alert.id))
    if since is not None:
        stmt = stmt.where(Alert.closed_at >= since)
    for alert in db.scalars(stmt.execution_options(yield_per=1000)):
        yield {**orjson.loads(alert.screening.request), "label": label_of(alert)}
    # Screenings let through whose customer later reported the fraud (cases' fraud reports): fraud labels.
    missed = (select(MissedFraud, Screening.request).join(Screening, Screening.id == MissedFraud.screening_id)
              .order_by(MissedFraud.reported_at, MissedFraud.id))
    if since is not None:
        missed = missed.where(MissedFraud.reported_at >= since)
    for row, request in db.execute(missed.execution_options(yield_per=1000)):
        yield {**orjson.loads(request), "label": {"is_fraud": True, "typology": row.typology}}
