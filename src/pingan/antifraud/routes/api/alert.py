"""Alert API for the police: scoped lists, one alert with its history, the four steps, and the measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from pingan.antifraud.alert import measures as alert_stats
from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.alert import repository as alert_repo
from pingan.antifraud.alert import service as alert_flow
from pingan.antifraud.alert import transitions
from pingan.antifraud.engine.contract import Reason
from pingan.antifraud.models import Alert, AlertKind, AlertOutcome, AlertStatus
from pingan.antifraud.permissions import AlertReader
from pingan.antifraud.routes.api.schemas import AlertProgress
from pingan.core.identity import mask_account, mask_id_number, mask_name
from pingan.core.schemas import ERROR_RESPONSES, Day, Instant, Time
from pingan.platform.users.models import User
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/antifraud", tags=["antifraud"], responses=ERROR_RESPONSES)

Note = Annotated[str | None, Field(max_length=1000)]


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note = None


class DispatchIn(StepIn):
    officer: Annotated[str, Field(min_length=1, max_length=100)]


class CloseIn(StepIn):
    outcome: AlertOutcome
    amount_protected: Annotated[Decimal | None, Field(ge=0, max_digits=16, decimal_places=2)] = None
    fraud_phone: Annotated[str | None, Field(max_length=20)] = None
    typology: Annotated[str | None, Field(max_length=40)] = None


class MaskedCustomer(BaseModel):
    name: str
    id_number: str


class MaskedPayee(BaseModel):
    account_no: str
    name: str | None


class AlertOut(AlertProgress):
    """An alert as the API shows it: personal data masked, as on the console."""

    id: int
    screening_id: str
    station_id: int
    bank_code: str
    branch_code: str
    channel: str
    amount: str
    score: int
    typology: str | None
    reasons: list[Reason]
    questions: list[str]
    officer: str | None
    customer: MaskedCustomer
    payee: MaskedPayee
    amount_protected: str | None
    note: str | None
    allowed_actions: list[str]
    close_outcomes: list[str]


class AlertStepOut(BaseModel):
    action: str
    from_status: str | None = Field(alias="from")
    to: str
    at: Time
    by: str | None
    note: str | None
    data: dict | None


class AlertRecordOut(AlertOut):
    """One alert with its history."""

    steps: list[AlertStepOut]


class AlertPage(BaseModel):
    total: int
    items: list[AlertOut]


class StationMonth(BaseModel):
    station: str
    month: str
    alerts: int


class Timing(BaseModel):
    station: str
    acknowledged: int
    ack_median_s: float | None
    ack_p90_s: float | None
    arrived: int
    arrive_median_min: float | None
    arrive_p90_min: float | None


class StationOutcomes(BaseModel):
    """Alerts of a station by outcome (``open`` while not closed), and the money protected."""

    model_config = ConfigDict(extra="allow")

    station: str
    money_protected: str


class BranchHolds(BaseModel):
    branch: str
    bank: str
    holds: int
    held_amount: str
    money_protected: str


class MeasuresOut(BaseModel):
    since: dt.date
    until: dt.date
    alerts: int
    money_protected: str
    by_station_month: list[StationMonth]
    timing: list[Timing]
    outcomes: list[StationOutcomes]
    holds_by_branch: list[BranchHolds]


def alert_dict(alert: Alert, *, steps: bool = False) -> dict:
    """An alert as the API shows it: personal data masked, as on the console."""
    s = alert.screening
    person = alert_stats.person_brief(s)
    out = {
        **alerts.progress(alert), "id": alert.id, "screening_id": s.id, "station_id": alert.station_id,
        "bank_code": s.branch.bank.code, "branch_code": s.branch.code, "channel": s.channel,
        "amount": str(s.amount), "score": s.score, "typology": s.typology, "reasons": s.reasons,
        "questions": s.questions, "officer": alert.officer,
        "customer": {"name": mask_name(person["name"]), "id_number": mask_id_number(s.customer_id_number)},
        "payee": {"account_no": mask_account(s.payee_account), "name": person["payee_name"]},
        "amount_protected": None if alert.amount_protected is None else str(alert.amount_protected),
        "note": alert.note, "allowed_actions": transitions.allowed_actions(alert),
        "close_outcomes": transitions.close_outcomes(alert),
    }
    if steps:
        out["steps"] = [{"action": st.action, "from": st.from_status, "to": st.to_status, "at": st.at.isoformat(),
                         "by": st.actor_name, "note": st.note, "data": st.data} for st in alert.steps]
    return out


AlertReaderUser = Annotated[User, AlertReader]


def _for_step(alert_id: int, db: DbSession, user: AlertReaderUser) -> Alert:
    return alert_repo.get_alert(db, user=user, alert_id=alert_id, for_update=True)


AlertForStep = Annotated[Alert, Depends(_for_step)]


@router.get("/alerts", response_model=AlertPage, summary="Alerts in the caller's jurisdiction, newest first")
def list_alerts(
    db: DbSession,
    user: AlertReaderUser,
    status: AlertStatus | None = None,
    kind: AlertKind | None = None,
    outcome: AlertOutcome | None = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    since: Instant | None = None,
    until: Instant | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    rows, total = alert_repo.search_alerts(db, user=user, status=status, kind=kind, outcome=outcome,
                                           open_only=open_only, since=since, until=until, limit=limit, offset=offset)
    return {"total": total, "items": [alert_dict(a) for a in rows]}


@router.get("/alerts/measures", response_model=MeasuresOut, summary="Alert measures for a period (default: this year)")
def measures(db: DbSession, user: AlertReaderUser, since: Day | None = None, until: Day | None = None) -> dict:
    return alert_stats.measures(db, user=user, since=since, until=until)


@router.get("/alerts/{alert_id}", response_model=AlertRecordOut,
            summary="One alert with its history (the reading is audited)")
def get_alert(alert_id: int, db: DbSession, user: AlertReaderUser) -> dict:
    return alert_dict(alert_flow.open_alert_record(db, user=user, alert_id=alert_id), steps=True)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertRecordOut,
             summary="The duty officer (or the centre) takes the alert")
def acknowledge(alert: AlertForStep, body: StepIn, db: DbSession, user: AlertReaderUser) -> dict:
    return alert_dict(alert_flow.acknowledge_alert(db, alert=alert, actor=user, note=body.note), steps=True)


@router.post("/alerts/{alert_id}/dispatch", response_model=AlertRecordOut, summary="An officer is sent to the branch")
def dispatch(alert: AlertForStep, body: DispatchIn, db: DbSession, user: AlertReaderUser) -> dict:
    return alert_dict(alert_flow.dispatch_alert(db, alert=alert, actor=user, officer=body.officer, note=body.note),
                      steps=True)


@router.post("/alerts/{alert_id}/arrive", response_model=AlertRecordOut, summary="The officer is at the branch")
def arrive(alert: AlertForStep, body: StepIn, db: DbSession, user: AlertReaderUser) -> dict:
    return alert_dict(alert_flow.arrive_alert(db, alert=alert, actor=user, note=body.note), steps=True)


@router.post("/alerts/{alert_id}/close", response_model=AlertRecordOut,
             summary="Close with the outcome; the bank gets release or cancel")
def close(alert: AlertForStep, body: CloseIn, db: DbSession, user: AlertReaderUser) -> dict:
    closed = alert_flow.close_alert(db, alert=alert, actor=user, outcome=body.outcome,
                                    amount_protected=body.amount_protected, note=body.note,
                                    fraud_phone=body.fraud_phone, typology=body.typology)
    return alert_dict(closed, steps=True)
