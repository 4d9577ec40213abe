"""Report and handed-call pages: the phone report form (category fields from their definitions, photos, address),
the detail of each with its clocks, timeline and the forms of the steps the table allows. A refused step
re-renders the page with the reason and changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from pingan.core.errors import AppError, ValidationFailed
from pingan.grid import clocks, timeline
from pingan.grid import repository as repo
from pingan.grid.call import service as calls
from pingan.grid.call import transitions as call_table
from pingan.grid.models import HandedCall, Report
from pingan.grid.patrol import service as patrols
from pingan.grid.permissions import CallWorker, Officer, Reader, Reporter, can_handle, can_work_calls
from pingan.grid.report import categories, photos
from pingan.grid.report import service as reports
from pingan.grid.report import transitions as report_table
from pingan.grid.schemas import (
    CallBackIn,
    FeedbackIn,
    HandleIn,
    HandoverIn,
    LinkIn,
    ReportIn,
    ReturnIn,
    StepIn,
    parse,
)
from pingan.grid.settings import get_grid_settings
from pingan.grid.video import service as video
from pingan.platform.places import repository as places
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import MESSAGES, page

router = APIRouter(prefix="/grid")
REPORT_FIELDS = ("grid_code", "category", "description", "address_code", "address_text", "latitude", "longitude",
                 "idempotency_key")


def _form_page(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    patrol = repo.get_patrol(db, user, int(values["patrol_id"])) if values.get("patrol_id") else None
    return page(request, "grid/report_new.html", {
        "values": values, "errors": errors, "grids": repo.visible_grids(db, user), "patrol": patrol,
        "address": places.by_code(db, values["address_code"]) if values.get("address_code") else None,
        "definitions": list(categories.definitions().values()),
        **photos.page_limits(),
    }, status_code=status_code)


@router.get("/reports/new")
def report_form(request: Request, db: DbSession, user=Reporter, patrol: Annotated[int | None, Query(ge=1)] = None):
    """The report form; ``?patrol=`` makes it a finding of that patrol (its grid preset)."""
    grids = repo.visible_grids(db, user)
    default = user.unit.code if user.unit is not None and user.unit.kind.value == "grid" else ""
    values = {"grid_code": default or (grids[0].code if grids else ""), "category": "safety_hazard"}
    if patrol is not None:
        values.update(patrol_id=str(patrol), grid_code=repo.get_patrol(db, user, patrol).grid.code)
    return _form_page(request, db, user, values, {})


def report_data(form) -> tuple[dict, dict]:
    """The form as a ReportIn body (the chosen category's fields only) and what was typed, to show again."""
    values: dict = {k: str(form.get(k) or "").strip() for k in REPORT_FIELDS}
    data: dict = {k: v for k, v in values.items() if v}
    fields: dict = {}
    definition = categories.definitions().get(values["category"])
    for a in definition.attributes if definition else ():
        items = [str(v).strip() for v in form.getlist(f"fields.{a.code}") if str(v).strip()]
        values[f"fields.{a.code}"] = items
        if items:
            fields[a.code] = items if a.datatype == "multivaluelist" else items[0]
    data["fields"] = fields
    return data, values


@router.post("/reports")
async def submit(request: Request, db: DbSession, user=Reporter):
    form = await request.form()
    limit = get_grid_settings().photo_max_bytes
    uploads = [await f.read(limit + 1) for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    return await run_in_threadpool(_submit, request, db, user, form, uploads)


def _submit(request: Request, db: Session, user: User, form, uploads: list[bytes]):
    data, values = report_data(form)
    patrol_id = str(form.get("patrol_id") or "")
    values["patrol_id"] = patrol_id if patrol_id.isdigit() else ""
    try:
        if values["patrol_id"]:
            report = patrols.finding(db, patrol=repo.get_patrol(db, user, int(patrol_id)),
                                     data=parse(ReportIn, data), actor=user)
        else:
            report, _ = reports.submit(db, data=parse(ReportIn, data), actor=user)
        for photo in uploads:
            reports.add_photo(db, report=report, data=photo, actor=user, field="photos")
    except AppError as exc:
        db.rollback()
        errors = field_errors(exc.details, messages=MESSAGES) if exc.details else {"photos": exc.message}
        return _form_page(request, db, user, values, errors, status_code=exc.status_code)
    return RedirectResponse(clocks.link(report), status_code=303)


def _report_page(request: Request, db: Session, user: User, report: Report, *, errors: dict | None = None,
                 refusal: str | None = None, status_code: int = 200):
    return page(request, "grid/report.html", {
        "r": report, "clocks": clocks.all_clocks(db, report), "timeline": timeline.of(db, report),
        "definition": categories.definitions()[report.category],
        "duplicates": reports.possible_duplicates(db, report), "video_calls": video.calls_of(db, report),
        "can": {e: can_handle(user) and report_table.allowed(report.status, e) for e in report_table.EVENTS},
        "errors": errors or {}, "refusal": refusal,
    }, status_code=status_code)


@router.get("/reports/{report_id}")
def report_detail(report_id: int, request: Request, db: DbSession, user=Reader):
    return _report_page(request, db, user, reports.view(db, user=user, report_id=report_id))


@router.get("/reports/{report_id}/photos/{photo_id}")
def report_photo(report_id: int, photo_id: int, db: DbSession, user=Reader):
    found = reports.photo(db, user=user, report_id=report_id, photo_id=photo_id)
    return Response(found.data, media_type=found.content_type)


def _text(form, name: str) -> str:
    return str(form.get(name) or "").strip()


def _handover_body(form) -> dict:
    body = {k: _text(form, k) for k in ("target", "note", "department", "mediation_category")}
    parties = []
    for i in range(2):
        party = {k: _text(form, f"parties[{i}].{k}") for k in ("name", "phone", "id_number")}
        if any(party.values()):
            parties.append({k: v for k, v in party.items() if v})
    body = {k: v for k, v in body.items() if v}
    body["parties"] = parties
    return body


_REPORT_STEPS = {
    "accept": lambda db, r, u, f: reports.accept(db, report=r, note=parse(StepIn, {"note": _text(f, "note")}).note,
                                                 actor=u),
    "handle": lambda db, r, u, f: reports.handle(db, report=r, actor=u,
                                                 handling=parse(HandleIn, {"handling": _text(f, "handling")}).handling),
    "handover": lambda db, r, u, f: reports.handover(db, report=r, data=parse(HandoverIn, _handover_body(f)), actor=u),
    "feedback": lambda db, r, u, f: reports.feedback(
        db, report=r, actor=u, text=parse(FeedbackIn, {"feedback": _text(f, "feedback")}).feedback),
    "close": lambda db, r, u, f: reports.close(db, report=r, note=parse(StepIn, {"note": _text(f, "note")}).note,
                                               actor=u),
    "link": lambda db, r, u, f: reports.link(db, report=r, actor=u,
                                             original_id=parse(LinkIn, {"original_id": _text(f, "original_id")})
                                             .original_id),
}


@router.post("/reports/{report_id}/{step}")
async def report_step(report_id: int, step: str, request: Request, db: DbSession, user=Officer):
    if step not in _REPORT_STEPS:
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_report_step, request, db, user, report_id, step, form)


def _report_step(request: Request, db: Session, user: User, report_id: int, step: str, form):
    return _run_step(request, db, user, form, load=lambda: repo.get_report(db, user, report_id),
                     run=_REPORT_STEPS[step], render=_report_page)


def _run_step(request: Request, db: Session, user: User, form, *, load, run, render):
    """One step from a form: done → back to the record; refused → the record again, with the reason, unchanged."""
    record = load()
    try:
        run(db, record, user, form)
    except AppError as exc:
        db.rollback()
        errors = field_errors(exc.details, messages=MESSAGES) if isinstance(exc, ValidationFailed) else {}
        return render(request, db, user, load(), errors=errors, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse(clocks.link(record), status_code=303)


def _call_page(request: Request, db: Session, user: User, call: HandedCall, *, errors: dict | None = None,
               refusal: str | None = None, status_code: int = 200):
    return page(request, "grid/call.html", {
        "c": call, "clocks": clocks.all_clocks(db, call), "timeline": timeline.of(db, call),
        "can": {e: can_work_calls(user) and call_table.allowed(call.status, e) for e in call_table.EVENTS},
        "errors": errors or {}, "refusal": refusal,
    }, status_code=status_code)


@router.get("/calls/{call_id}")
def call_detail(call_id: int, request: Request, db: DbSession, user=Reader):
    return _call_page(request, db, user, calls.view(db, user=user, call_id=call_id))


_CALL_STEPS = {
    "accept": lambda db, c, u, f: calls.accept(db, call=c, note=parse(StepIn, {"note": _text(f, "note")}).note,
                                               actor=u),
    "handle": lambda db, c, u, f: calls.handle(db, call=c, actor=u,
                                               handling=parse(HandleIn, {"handling": _text(f, "handling")}).handling),
    "feedback": lambda db, c, u, f: calls.feedback(db, call=c, actor=u,
                                                   text=parse(FeedbackIn, {"feedback": _text(f, "feedback")}).feedback),
    "close": lambda db, c, u, f: calls.close(db, call=c, note=parse(StepIn, {"note": _text(f, "note")}).note,
                                             actor=u),
    "call-back": lambda db, c, u, f: calls.call_back(
        db, call=c, actor=u, **parse(CallBackIn, {"note": _text(f, "note"),
                                                  "satisfied": _text(f, "satisfied") != "no"}).model_dump()),
    "return": lambda db, c, u, f: calls.return_call(db, call=c, actor=u,
                                                    reason=parse(ReturnIn, {"reason": _text(f, "reason")}).reason),
}


@router.post("/calls/{call_id}/{step}")
async def call_step(call_id: int, step: str, request: Request, db: DbSession, user=CallWorker):
    if step not in _CALL_STEPS:
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_call_step, request, db, user, call_id, step, form)


def _call_step(request: Request, db: Session, user: User, call_id: int, step: str, form):
    return _run_step(request, db, user, form, load=lambda: repo.get_call(db, user, call_id), run=_CALL_STEPS[step],
                     render=_call_page)
