"""Alert pages: the station's live duty console, the alert list and detail (reading audited), the steps as forms,
the teller's view of a hold's progress, and the measures with their Excel export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pingan.antifraud.alert import measures as alert_stats
from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.alert import repository as alert_repo
from pingan.antifraud.alert import service as alert_flow
from pingan.antifraud.alert import transitions
from pingan.antifraud.models import Alert, AlertKind, AlertOutcome, AlertStatus
from pingan.antifraud.permissions import Console, PoliceReader, ProgressReader
from pingan.antifraud.vocabulary import CLOCK_LABELS, KIND_LABELS, OUTCOME_LABELS
from pingan.core import clock
from pingan.core.errors import AppError, ErrorDetail, ValidationFailed
from pingan.platform.deadlines import service as deadlines
from pingan.platform.users.models import Role, User
from pingan.web.deps import DbSession

from .common import LABELS, OptionalDay, blank, day_start, is_htmx, page, pages_of

router = APIRouter(prefix="/antifraud", include_in_schema=False)
PAGE_SIZE = 50
CONSOLE_LIMIT = 100

# How an outcome reads: the money stayed with the customer (success), the customer paid or was not reached
# (warning), or there was no fraud.
OUTCOME_TONES = {o: "success" if o in transitions.PROTECTING
                 else "warning" if o in transitions.FRAUD | transitions.UNLABELLED else "info"
                 for o in AlertOutcome}
ALERT_LABELS = {
    "outcomes": OUTCOME_LABELS,
    "outcome_tones": OUTCOME_TONES,
    "kinds": KIND_LABELS,
    "instructions": {"release": "放行", "cancel": "取消交易"},
    "action_labels": {"acknowledge": "签收", "dispatch": "出警", "arrive": "到场", "close": "办结",
                      "escalate": "超时督办"},
    "clock_labels": CLOCK_LABELS,
}
StatusFilter = Annotated[AlertStatus | None, BeforeValidator(blank)]
KindFilter = Annotated[AlertKind | None, BeforeValidator(blank)]


def _card(db: Session, user: User, alert: Alert, *, error: str | None = None) -> dict:
    s = alert.screening
    clocks = deadlines.clocks_for(db, alerts.OWNER_TYPE, alert.id)
    return {
        "a": alert, "s": s, "person": alert_stats.person_brief(s), "error": error, "clocks": clocks,
        "actions": transitions.allowed_actions(alert), "outcome_choices": transitions.close_outcomes(alert),
        "can_act": user.role is Role.ADMIN or user.role in transitions.ACTORS[alert.kind],
    }


def _render(request: Request, name: str, context: dict, status_code: int = 200):
    return page(request, name, {**ALERT_LABELS, **context}, status_code=status_code)


@router.get("/console")
def console(request: Request, db: DbSession, user=Console):
    rows, total = alert_repo.search_alerts(db, user=user, open_only=True, limit=CONSOLE_LIMIT)
    return _render(request, "antifraud/console.html", {
        "cards": [_card(db, user, a) for a in rows], "total": total, "now": clock.now()})


@router.get("/console/alerts/{alert_id}")
def console_card(alert_id: int, request: Request, db: DbSession, user=Console):
    """One alert's card (masked), fetched by the console when the live feed announces it."""
    alert = alert_repo.get_alert(db, user=user, alert_id=alert_id)
    return _render(request, "antifraud/alerts_card.html", _card(db, user, alert))


@router.post("/alerts/{alert_id}/{action}")
async def step(alert_id: int, action: Literal[transitions.ACTIONS], request: Request,
               db: DbSession, user=PoliceReader):
    form = await request.form()  # already read (and cached) by the CSRF check
    return await run_in_threadpool(_step, request, db, user, alert_id, action, form)


def _step(request: Request, db: Session, user: User, alert_id: int, action: str, form: FormData):
    alert = alert_repo.get_alert(db, user=user, alert_id=alert_id, for_update=True)
    note = str(form.get("note") or "").strip() or None
    try:
        with db.begin_nested():
            if action == "acknowledge":
                alert_flow.acknowledge_alert(db, alert=alert, actor=user, note=note)
            elif action == "dispatch":
                alert_flow.dispatch_alert(db, alert=alert, actor=user, officer=str(form.get("officer") or ""),
                                          note=note)
            elif action == "arrive":
                alert_flow.arrive_alert(db, alert=alert, actor=user, note=note)
            else:
                alert_flow.close_alert(db, alert=alert, actor=user, outcome=str(form.get("outcome") or ""),
                                       amount_protected=_money(form.get("amount_protected")), note=note,
                                       fraud_phone=str(form.get("fraud_phone") or "") or None)
    except AppError as exc:
        db.refresh(alert)
        if not is_htmx(request):
            raise
        # htmx swaps only 2xx answers: the card comes back unchanged with the reason on it.
        return _render(request, "antifraud/alerts_card.html", _card(db, user, alert, error=exc.message))
    if is_htmx(request):
        return _render(request, "antifraud/alerts_card.html", _card(db, user, alert))
    return RedirectResponse(f"/antifraud/alerts/{alert.id}", status_code=303)


def _money(value) -> Decimal | None:
    text = str(value or "").replace(",", "").replace("¥", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():  # "NaN", "sNaN" and "Infinity" parse, but are no amount
        raise ValidationFailed("alert.amount_protected", "挽回金额须为数字 / amount protected must be a number",
                               [ErrorDetail("amount_protected", "decimal_parsing")])
    return value


@router.get("/alerts")
def alert_list(request: Request, db: DbSession, user=PoliceReader, status: StatusFilter = None,
               kind: KindFilter = None, since: OptionalDay = None, until: OptionalDay = None,
               page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1):
    rows, total = alert_repo.search_alerts(db, user=user, status=status, kind=kind, since=day_start(since),
                                           until=day_start(until, end=True), limit=PAGE_SIZE,
                                           offset=(page_no - 1) * PAGE_SIZE)
    filters = {"status": status or "", "kind": kind or "", "since": since or "", "until": until or ""}
    return _render(request, "antifraud/alerts.html", {
        "rows": [(a, alert_stats.person_brief(a.screening)) for a in rows], "total": total, "filters": filters,
        "pager": pages_of(total, PAGE_SIZE, page_no)})


@router.get("/alerts/measures")
def measures_page(request: Request, db: DbSession, user=PoliceReader, since: OptionalDay = None,
                  until: OptionalDay = None):
    data = alert_stats.measures(db, user=user, since=since, until=until)
    return _render(request, "antifraud/alerts_measures.html",
                   {"m": data, "outcome_codes": list(AlertOutcome)})


@router.get("/alerts/measures.xlsx")
def measures_export(db: DbSession, user=PoliceReader, since: OptionalDay = None, until: OptionalDay = None):
    data = alert_stats.measures(db, user=user, since=since, until=until)
    name = f"alerts-{data['since']}-{data['until']}.xlsx"
    return Response(alert_stats.workbook(data), headers={"Content-Disposition": f'attachment; filename="{name}"'},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/alerts/{alert_id}")
def alert_detail(alert_id: int, request: Request, db: DbSession, user=PoliceReader):
    alert = alert_flow.open_alert_record(db, user=user, alert_id=alert_id)
    return _render(request, "antifraud/alerts_detail.html", _card(db, user, alert))


@router.get("/alerts/{alert_id}/progress")
def alert_progress(alert_id: int, request: Request, db: DbSession, user=ProgressReader):
    """The hold's progress for the teller: police on the way, on site, and the outcome with the instruction."""
    alert = alert_repo.progress_of(db, user=user, alert_id=alert_id)
    return _render(request, "antifraud/alerts_progress.html", {"alert": alert, **LABELS})
