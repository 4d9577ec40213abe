"""村级代办点 pages: the register of the stations' village service points (village, agent, the standard
address through the shared picker, the services it takes online, status) and one point to edit or suspend."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.core.errors import AppError, ValidationFailed
from pingan.core.identity import mask_phone
from pingan.onewindow import repository as repo
from pingan.onewindow.models import ServicePointStatus
from pingan.onewindow.permissions import Reader, Writer
from pingan.onewindow.point import service as points
from pingan.onewindow.point import transitions as table
from pingan.onewindow.schemas import ServicePointIn, parse
from pingan.onewindow.vocabulary import POINT_STATUS_LABELS, POINT_STEP_LABELS
from pingan.platform import access
from pingan.platform.places import repository as places_repo
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/onewindow/points")
FIELDS = ("community_code", "name", "agent_name", "agent_phone", "address", "address_code")


def _villages(db: Session, user: User):
    visible = access.visible_unit_ids(db, user)
    return [c for c in repo.communities(db) if visible is None or c.id in visible]


def _common(db: Session, user: User, values: dict, errors: dict) -> dict:
    chosen = places_repo.by_code(db, values["address_code"]) if values.get("address_code") else None
    return {"values": values, "errors": errors, "address": chosen, "villages": _villages(db, user),
            "online": [c for c in repo.catalogue(db) if c.online], "point_labels": POINT_STATUS_LABELS,
            "point_steps": POINT_STEP_LABELS}


def _list(request: Request, db: Session, user: User, *, status=None, values=None, errors=None,
          status_code: int = 200):
    rows = [{"p": p, "phone": mask_phone(p.agent_phone)} for p in repo.points(db, user, status=status)]
    return page(request, "onewindow/points.html", {"rows": rows, "status": status,
                                                   **_common(db, user, values or {"services": []}, errors or {})},
                status_code=status_code)


@router.get("")
def point_list(request: Request, db: DbSession, user=Reader, status: ServicePointStatus | None = Query(None)):
    return _list(request, db, user, status=status)


def _values(form) -> dict:
    values = {k: str(form.get(k) or "").strip() for k in FIELDS}
    values["services"] = [str(v) for v in form.getlist("services")]
    return values


def _body(values: dict) -> dict:
    return {**{k: values[k] for k in FIELDS if values[k]}, "services": values["services"]}


@router.post("")
async def point_register(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_register, request, db, user, _values(form))


def _register(request: Request, db: Session, user: User, values: dict):
    try:
        point = points.register(db, data=parse(ServicePointIn, _body(values)), actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return _list(request, db, user, values=values, errors=field_errors(exc.details), status_code=422)
    return RedirectResponse(f"/onewindow/points/{point.id}", status_code=303)


def _detail(request: Request, db: Session, user: User, point_id: int, *, values=None, errors=None,
            refusal: str | None = None, status_code: int = 200):
    point = repo.get_point(db, user, point_id)
    values = values or {"community_code": point.community.code, "name": point.name,
                        "agent_name": point.agent_name, "agent_phone": point.agent_phone or "",
                        "address": point.address_text, "address_code": point.address.code if point.address else "",
                        "services": point.services}
    return page(request, "onewindow/point.html", {
        "p": point, "steps": [e for e in table.EVENTS if table.allowed(point.status, e)], "refusal": refusal,
        **_common(db, user, values, errors or {})}, status_code=status_code)


@router.get("/{point_id}")
def point_detail(point_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, point_id)


@router.post("/{point_id}")
async def point_update(point_id: int, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_update, request, db, user, point_id, _values(form))


def _update(request: Request, db: Session, user: User, point_id: int, values: dict):
    point = repo.get_point(db, user, point_id)
    try:
        points.update(db, point=point, data=parse(ServicePointIn, _body(values)), actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return _detail(request, db, user, point_id, values=values, errors=field_errors(exc.details),
                       status_code=422)
    return RedirectResponse(f"/onewindow/points/{point_id}", status_code=303)


@router.post("/{point_id}/{step}")
async def point_step(point_id: int, step: str, request: Request, db: DbSession, user=Writer):
    return await run_in_threadpool(_step, request, db, user, point_id, step)


def _step(request: Request, db: Session, user: User, point_id: int, step: str):
    point = repo.get_point(db, user, point_id)
    if step not in table.EVENTS:
        return _detail(request, db, user, point_id, refusal="没有这个步骤 / no such step", status_code=404)
    try:
        points.step(db, point=point, event=step, actor=user)
    except AppError as exc:
        db.rollback()
        return _detail(request, db, user, point_id, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse(f"/onewindow/points/{point_id}", status_code=303)
