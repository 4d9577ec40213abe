"""Dispute pages: the intake form, the detail with its timeline and the forms of the next steps, the printed
agreement. A refused step re-renders the page with the reason and changes nothing."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed
from pingan.mediation import clocks, service, transitions
from pingan.mediation import repository as repo
from pingan.mediation.models import Dispute
from pingan.mediation.permissions import Reader, Writer, can_write
from pingan.mediation.schemas import CloseIn, DisputeIn, FollowUpIn, SessionIn, parse
from pingan.platform import access
from pingan.platform.deadlines import service as deadlines
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import repository as places_repo
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/mediation")
PARTY_ROWS = 3
PARTY_FIELDS = ("name", "id_number", "phone", "address")
INTAKE_FIELDS = ("source", "category", "summary", "station_code", "community_code", "place", "address_code",
                 "call_no", "room_id", "scheduled_at")


def _units(db: Session, user: User) -> tuple[list[OrgUnit], list[OrgUnit]]:
    stmt = select(OrgUnit).where(OrgUnit.kind.in_((UnitKind.STATION, UnitKind.COMMUNITY))).order_by(OrgUnit.path)
    units = list(db.scalars(access.scope_units(db, stmt, user, OrgUnit.id)))
    if user.unit is not None and user.unit.kind is UnitKind.COMMUNITY and user.unit.parent is not None:
        units.insert(0, user.unit.parent)
    return [u for u in units if u.kind is UnitKind.STATION], [u for u in units if u.kind is UnitKind.COMMUNITY]


def _intake_page(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    stations, communities = _units(db, user)
    ids = [s.id for s in stations]
    chosen = places_repo.by_code(db, values["address_code"]) if values.get("address_code") else None
    return page(request, "mediation/new.html", {
        "values": values, "errors": errors, "stations": stations, "communities": communities, "address": chosen,
        "rooms": repo.rooms(db, ids), "mediators": repo.mediators(db, ids), "party_rows": range(PARTY_ROWS),
    }, status_code=status_code)


@router.get("/disputes/new")
def intake_form(request: Request, db: DbSession, user=Writer):
    station = user.unit.code if user.unit and user.unit.kind is UnitKind.STATION else ""
    community = user.unit.code if user.unit and user.unit.kind is UnitKind.COMMUNITY else ""
    return _intake_page(request, db, user, {"station_code": station, "community_code": community,
                                            "source": "walk_in", "mediator_ids": []}, {})


def _local_time(value: str) -> str:
    """A ``datetime-local`` box sends no offset: the officer means Beijing time."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.LOCAL_TZ)).isoformat()


def intake_data(form) -> tuple[dict, dict, list[int]]:
    """The form as a DisputeIn body, what was typed (to show again) and the form row of each party sent."""
    values = {k: str(form.get(k) or "").strip() for k in INTAKE_FIELDS}
    data: dict = {k: v for k, v in values.items() if v}
    if "scheduled_at" in data:
        data["scheduled_at"] = _local_time(data["scheduled_at"])
    values["mediator_ids"] = [str(m) for m in form.getlist("mediator_ids")]
    data["mediator_ids"] = values["mediator_ids"]
    rows, parties = [], []
    for i in range(PARTY_ROWS):
        row = {f: str(form.get(f"parties[{i}].{f}") or "").strip() for f in PARTY_FIELDS}
        values.update({f"parties[{i}].{f}": v for f, v in row.items()})
        if any(row.values()):
            rows.append(i)
            parties.append({f: v for f, v in row.items() if v})
    data["parties"] = parties
    return data, values, rows


def _form_errors(exc: ValidationFailed, rows: list[int]) -> dict[str, str]:
    errors = field_errors(exc.details)
    out = {}
    for field, message in errors.items():
        for j, i in enumerate(rows):
            if field.startswith(f"parties[{j}]"):
                field = f"parties[{i}]" + field[len(f"parties[{j}]"):]
                break
        out[field] = message
    return out


@router.post("/disputes")
async def take_in(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_take_in, request, db, user, form)


def _take_in(request: Request, db: Session, user: User, form):
    data, values, rows = intake_data(form)
    try:
        dispute = service.take_in(db, data=parse(DisputeIn, data), actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return _intake_page(request, db, user, values, _form_errors(exc, rows), status_code=422)
    return RedirectResponse(clocks.link(dispute), status_code=303)


def _detail(request: Request, db: Session, user: User, dispute: Dispute, *, errors: dict | None = None,
            refusal: str | None = None, form: str | None = None, status_code: int = 200):
    return page(request, "mediation/detail.html", {
        "d": dispute, "clocks": deadlines.clocks_for(db, clocks.OWNER, dispute.id),
        "can": {e: can_write(user) and transitions.allowed(dispute.status, e) for e in transitions.EVENTS},
        "rooms": repo.rooms(db, [dispute.station_id]), "errors": errors or {}, "refusal": refusal,
        "open_form": form, "today": clock.today_local(), "secondary_of": service.linked_secondary_of(dispute),
    }, status_code=status_code)


@router.get("/disputes/{dispute_id}")
def detail(dispute_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, service.view(db, user=user, dispute_id=dispute_id))


def session_data(form, dispute: Dispute) -> dict:
    data: dict = {"outcome": str(form.get("outcome") or ""), "note": str(form.get("note") or "").strip()}
    if form.get("room_id"):
        data["room_id"] = str(form.get("room_id"))
    if data["outcome"] == "settled":
        agreement = {k: str(form.get(f"agreement.{k}") or "").strip()
                     for k in ("facts", "responsibilities", "obligations", "performance_method",
                               "performance_place", "performance_due_on")}
        signed = [{"name": p.name, "role": "party"} for p in dispute.parties
                  if form.get(f"signed_party_{p.id}")]
        mediator = str(form.get("agreement.mediator_signature") or "").strip()
        agreement["signatures"] = signed + ([{"name": mediator, "role": "mediator"}] if mediator else [])
        data["agreement"] = {k: v for k, v in agreement.items() if v}
    return data


def _start(db: Session, d: Dispute, user: User, form) -> None:
    room = str(form.get("room_id") or "")
    service.start_session(db, dispute=d, actor=user, room_id=int(room) if room.isdigit() else None)


def _session(db: Session, d: Dispute, user: User, form) -> None:
    service.record_session(db, dispute=d, actor=user, data=parse(SessionIn, session_data(form, d)))


def _follow_up(db: Session, d: Dispute, user: User, form) -> None:
    data: dict = {"note": str(form.get("note") or "").strip()}
    if form.get("kind"):
        data["kind"] = str(form.get("kind"))
    if data.get("kind") == "return_visit":
        data["agreement_performed"] = form.get("agreement_performed") == "yes"
    service.record_follow_up(db, dispute=d, actor=user, data=parse(FollowUpIn, data))


def _close(db: Session, d: Dispute, user: User, form) -> None:
    reason = parse(CloseIn, {"reason": str(form.get("reason") or "").strip()}).reason
    service.close(db, dispute=d, actor=user, reason=reason)


_STEPS = {"start": _start, "sessions": _session, "follow-ups": _follow_up, "close": _close}


@router.post("/disputes/{dispute_id}/{step}")
async def step(dispute_id: int, step: str, request: Request, db: DbSession, user=Writer):
    if step not in _STEPS:
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_step, request, db, user, dispute_id, step, form)


def _step(request: Request, db: Session, user: User, dispute_id: int, step: str, form):
    dispute = repo.get_dispute(db, user, dispute_id)
    try:
        _STEPS[step](db, dispute, user, form)
    except AppError as exc:
        db.rollback()
        dispute = repo.get_dispute(db, user, dispute_id)
        errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}
        return _detail(request, db, user, dispute, errors=errors, refusal=exc.message, form=step,
                       status_code=exc.status_code)
    return RedirectResponse(clocks.link(dispute), status_code=303)


@router.get("/disputes/{dispute_id}/agreement.pdf")
def agreement_pdf(dispute_id: int, db: DbSession, user=Reader):
    pdf = service.print_agreement(db, user=user, dispute_id=dispute_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="agreement-{dispute_id}.pdf"'})
