"""The grid worker's phone entry forms for the work that counts towards the targets: information collection at
a standard address (and one collected record with its versions), a publicity event with photos, a joint patrol
planned, then walked on its own page (start, check in at the grid's points, end). ``static/grid.js`` sends them
through the API from the phone's offline queue, one idempotency key each; without the script (or when the API
refuses) the form posts here, and a refusal comes back with the message at each faulty field, nothing saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed
from pingan.grid import repository as repo
from pingan.grid import vocabulary
from pingan.grid.collection import service as collection
from pingan.grid.models import Patrol, PatrolStatus
from pingan.grid.patrol import service as patrols
from pingan.grid.patrol import transitions as patrol_table
from pingan.grid.permissions import Reader, Reporter
from pingan.grid.publicity import service as publicity
from pingan.grid.report import photos
from pingan.grid.schemas import CollectionIn, PatrolIn, PublicityIn, parse
from pingan.grid.settings import get_grid_settings
from pingan.platform.places import repository as places
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import MESSAGES, page

router = APIRouter(prefix="/grid")


def _text(form, name: str) -> str:
    return str(form.get(name) or "").strip()


def _errors(exc: AppError, field: str) -> dict:
    """Each faulty field's message; a refusal that names no field is shown at ``field``."""
    if isinstance(exc, ValidationFailed) and exc.details:
        return field_errors(exc.details, messages=MESSAGES)
    return {field: exc.message}


def _local_time(value: str) -> str | None:
    """A phone's ``datetime-local`` value (no zone: the worker's own clock, China time) as an aware ISO time."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=clock.LOCAL_TZ).isoformat()
    except ValueError:
        return value  # the schema names it as a bad time


def _default_grid(user: User, grids) -> str:
    if user.unit is not None and user.unit.kind.value == "grid":
        return user.unit.code
    return grids[0].code if grids else ""


# ---- information collection ---------------------------------------------------------------------------------

def _collection_form(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    return page(request, "grid/collection_new.html", {
        "values": values, "errors": errors, "fields": vocabulary.COLLECTION_FIELDS,
        "address": places.by_code(db, values["address_code"]) if values.get("address_code") else None,
    }, status_code=status_code)


@router.get("/collections/new")
def collection_form(request: Request, db: DbSession, user=Reporter):
    return _collection_form(request, db, user, {"kind": "floating_population"}, {})


def collection_data(form) -> tuple[dict, dict]:
    """The form as a CollectionIn body (the chosen kind's fields only) and what was typed, to show again."""
    values = {k: _text(form, k) for k in ("kind", "address_text", "address_code", "name", "id_number",
                                          "idempotency_key")}
    body: dict = {k: v for k, v in values.items() if v}
    data = {}
    for code, _label in vocabulary.COLLECTION_FIELDS.get(values["kind"], ()):
        values[f"data.{code}"] = _text(form, f"data.{code}")
        if values[f"data.{code}"]:
            data[code] = values[f"data.{code}"]
    body["data"] = data
    return body, values


@router.post("/collections")
async def collect(request: Request, db: DbSession, user=Reporter):
    form = await request.form()
    return await run_in_threadpool(_collect, request, db, user, form)


def _collect(request: Request, db: Session, user: User, form):
    body, values = collection_data(form)
    try:
        record, _ = collection.collect(db, data=parse(CollectionIn, body), actor=user)
    except AppError as exc:
        db.rollback()
        return _collection_form(request, db, user, values, _errors(exc, "address_code"), exc.status_code)
    return RedirectResponse(f"/grid/collections/{record.id}", status_code=303)


@router.get("/collections/{collection_id}")
def collection_detail(collection_id: int, request: Request, db: DbSession, user=Reader):
    record = collection.view(db, user=user, collection_id=collection_id)
    return page(request, "grid/collection.html", {"c": record, "field_labels": vocabulary.COLLECTION_FIELD_LABELS})


# ---- publicity ------------------------------------------------------------------------------------------------

def _publicity_form(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    return page(request, "grid/publicity_new.html", {
        "values": values, "errors": errors, "grids": repo.visible_grids(db, user),
        "address": places.by_code(db, values["address_code"]) if values.get("address_code") else None,
        **photos.page_limits(),
    }, status_code=status_code)


@router.get("/publicity/new")
def publicity_form(request: Request, db: DbSession, user=Reporter):
    grids = repo.visible_grids(db, user)
    return _publicity_form(request, db, user, {"grid_code": _default_grid(user, grids), "topic": "anti_fraud",
                                               "held_at": clock.format_local(clock.now(), "%Y-%m-%dT%H:%M")}, {})


@router.post("/publicity")
async def record_publicity(request: Request, db: DbSession, user=Reporter):
    form = await request.form()
    limit = get_grid_settings().photo_max_bytes
    uploads = [await f.read(limit + 1) for f in form.getlist("photos") if isinstance(f, UploadFile) and f.filename]
    return await run_in_threadpool(_record_publicity, request, db, user, form, uploads)


def _record_publicity(request: Request, db: Session, user: User, form, uploads: list[bytes]):
    values = {k: _text(form, k) for k in ("grid_code", "topic", "title", "place", "address_code", "held_at",
                                          "audience", "materials", "idempotency_key")}
    body = {k: v for k, v in values.items() if v}
    body["held_at"] = _local_time(values["held_at"])
    try:
        event = publicity.record(db, data=parse(PublicityIn, body), actor=user)
        db.flush()
        for photo in uploads:
            publicity.add_photo(db, event=event, data=photo, actor=user, field="photos")
    except AppError as exc:
        db.rollback()
        return _publicity_form(request, db, user, values, _errors(exc, "photos"), exc.status_code)
    return RedirectResponse(f"/grid/grids/{event.grid.code}#publicity-{event.id}", status_code=303)


# ---- joint patrols --------------------------------------------------------------------------------------------

def _patrol_form(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    grids = repo.visible_grids(db, user)
    officers = {o.id: o for o in (repo.officer_of(db, g) for g in grids) if o is not None}
    return page(request, "grid/patrol_new.html", {
        "values": values, "errors": errors, "grids": grids, "members": repo.members(db, user),
        "officers": list(officers.values()),
    }, status_code=status_code)


@router.get("/patrols/new")
def patrol_form(request: Request, db: DbSession, user=Reporter):
    grids = repo.visible_grids(db, user)
    mine = repo.member_of_user(db, user)
    return _patrol_form(request, db, user, {"grid_code": _default_grid(user, grids), "title": "警网联动巡逻",
                                            "member_ids": [str(mine.id)] if mine else [], "police_usernames": []}, {})


@router.post("/patrols")
async def plan_patrol(request: Request, db: DbSession, user=Reporter):
    form = await request.form()
    return await run_in_threadpool(_plan_patrol, request, db, user, form)


def _plan_patrol(request: Request, db: Session, user: User, form):
    values: dict = {k: _text(form, k) for k in ("grid_code", "title", "note", "idempotency_key")}
    values["member_ids"] = [str(v) for v in form.getlist("member_ids")]
    values["police_usernames"] = [str(v) for v in form.getlist("police_usernames")]
    body = {k: v for k, v in values.items() if v}
    try:
        patrol = patrols.plan(db, data=parse(PatrolIn, body), actor=user)
        db.flush()
    except AppError as exc:
        db.rollback()
        return _patrol_form(request, db, user, values, _errors(exc, "title"), exc.status_code)
    return RedirectResponse(f"/grid/patrols/{patrol.id}", status_code=303)


def _patrol_page(request: Request, db: Session, user: User, patrol: Patrol, *, refusal: str | None = None,
                 status_code: int = 200):
    done = {c.checkpoint_id for c in patrol.check_ins}
    return page(request, "grid/patrol.html", {
        "p": patrol, "points": repo.checkpoints(db, user, patrol.grid_id), "checked": done,
        "findings": repo.findings(db, patrol), "refusal": refusal,
        "can": {e: patrol_table.allowed(patrol.status, e) for e in ("start", "check_in", "end")},
        "under_way": patrol.status is PatrolStatus.UNDER_WAY,
    }, status_code=status_code)


@router.get("/patrols/{patrol_id}")
def patrol_detail(patrol_id: int, request: Request, db: DbSession, user=Reader):
    return _patrol_page(request, db, user, repo.get_patrol(db, user, patrol_id))


_PATROL_STEPS = {
    "start": lambda db, p, u, f: patrols.start(db, patrol=p, actor=u),
    "check-in": lambda db, p, u, f: patrols.check_in(db, patrol=p, token=_text(f, "token"), actor=u),
    "end": lambda db, p, u, f: patrols.end(db, patrol=p, actor=u),
}


async def _patrol_step(request: Request, db: Session, user: User, patrol_id: int, step: str):
    form = await request.form()
    return await run_in_threadpool(_run_patrol_step, request, db, user, patrol_id, step, form)


def _run_patrol_step(request: Request, db: Session, user: User, patrol_id: int, step: str, form):
    patrol = repo.get_patrol(db, user, patrol_id)
    try:
        _PATROL_STEPS[step](db, patrol, user, form)
    except AppError as exc:
        db.rollback()
        reason = exc.details[0].message if isinstance(exc, ValidationFailed) and exc.details else exc.message
        return _patrol_page(request, db, user, repo.get_patrol(db, user, patrol_id), refusal=reason,
                            status_code=exc.status_code)
    return RedirectResponse(f"/grid/patrols/{patrol.id}", status_code=303)


@router.post("/patrols/{patrol_id}/start")
async def start_patrol(patrol_id: int, request: Request, db: DbSession, user=Reporter):
    return await _patrol_step(request, db, user, patrol_id, "start")


@router.post("/patrols/{patrol_id}/check-in")
async def check_in(patrol_id: int, request: Request, db: DbSession, user=Reporter):
    return await _patrol_step(request, db, user, patrol_id, "check-in")


@router.post("/patrols/{patrol_id}/end")
async def end_patrol(patrol_id: int, request: Request, db: DbSession, user=Reporter):
    return await _patrol_step(request, db, user, patrol_id, "end")


# ---- offline --------------------------------------------------------------------------------------------------

SERVICE_WORKER = Path(__file__).resolve().parents[3] / "static" / "grid-sw.js"


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker of the grid pages, from /grid/ so that its scope is /grid/ (a worker served from
    /static/ could not control them). Public like any script: it holds no record; a browser re-reads it at
    each visit (no-cache) so a new version takes over."""
    return Response(SERVICE_WORKER.read_bytes(), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/grid/"})
