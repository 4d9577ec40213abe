"""The pages a resident uses without an account: the kiosk (take a ticket for a service), the TV board
(numbers and windows, never names), the rating pad (a signed link per item) and the phone-first citizen
portal (online items). Every form is checked
(CSRF, each field) and every address is throttled."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from pingan.core.errors import AppError, TooManyRequests, ValidationFailed
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.schemas import ApplicationIn, RatingIn, parse
from pingan.platform.auth.throttle import LoginThrottle
from pingan.web.deps import DbSession, check_csrf
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/onewindow")

# A kiosk or pad is one address taking a ticket or a rating every few seconds at most; more is a script.
_throttle = LoginThrottle(per_account=30, per_address=120, window=dt.timedelta(minutes=10))


def _throttled(request: Request, what: str) -> None:
    address = request.client.host if request.client else "unknown"
    if _throttle.blocked(address, what):
        raise TooManyRequests("request.throttled", "操作过于频繁，请稍后再试 / too many requests, try later")
    _throttle.failed(address, what)


@router.get("/kiosk/{station_code}")
def kiosk(station_code: str, request: Request, db: DbSession):
    station = queue.public_station(db, station_code)
    return page(request, "onewindow/kiosk.html", {"station": station, "catalogue": repo.catalogue(db),
                                                  "ticket": None})


@router.post("/kiosk/{station_code}")
async def kiosk_take(station_code: str, request: Request, db: DbSession):
    form = await request.form()
    await check_csrf(request)
    _throttled(request, "kiosk")
    service_code = str(form.get("service_code") or "").strip()[:48]
    return await run_in_threadpool(_take, request, db, station_code, service_code)


def _take(request: Request, db: Session, station_code: str, service_code: str):
    station = queue.public_station(db, station_code)
    ticket = queue.take(db, station=station, service_code=service_code)
    return page(request, "onewindow/kiosk.html", {"station": station, "catalogue": repo.catalogue(db),
                                                  "ticket": ticket, "ahead": repo.waiting_ahead(db, ticket)})


@router.get("/board/{station_code}")
def board(station_code: str, request: Request, db: DbSession):
    station = queue.public_station(db, station_code)
    tickets = queue.board(db, station)
    return page(request, "onewindow/board.html", {
        "station": station, "serving": [t for t in tickets if t.called_at is not None],
        "waiting": [t for t in tickets if t.called_at is None]})


@router.get("/pad/{token}")
def pad(token: str, request: Request, db: DbSession):
    item = ratings.item_for_pad(db, token)
    return _pad(request, db, item, token)


def _pad(request: Request, db: Session, item, token: str, *, refusal: str | None = None, status_code: int = 200):
    entry = repo.catalogue_by_code(db, [item.item_code]).get(item.item_code)
    return page(request, "onewindow/pad.html", {"item": item, "entry": entry, "token": token, "refusal": refusal},
                status_code=status_code)


@router.post("/pad/{token}")
async def pad_rate(token: str, request: Request, db: DbSession):
    form = await request.form()
    await check_csrf(request)
    _throttled(request, "pad")
    grade = str(form.get("grade") or "")
    comment = str(form.get("comment") or "").strip()
    return await run_in_threadpool(_rate, request, db, token, grade, comment)


def _rate(request: Request, db: Session, token: str, grade: str, comment: str):
    item = ratings.item_for_pad(db, token)
    try:
        body = parse(RatingIn, {"grade": grade, **({"comment": comment} if comment else {})})
        ratings.rate(db, item=item, data=body, actor=None)
    except AppError as exc:
        db.rollback()
        item = ratings.item_for_pad(db, token)
        return _pad(request, db, item, token, refusal=exc.message, status_code=exc.status_code)
    return _pad(request, db, item, token)


def _portal(request: Request, db: Session, *, values: dict, errors: dict, done=None, status_code: int = 200):
    return page(request, "onewindow/portal.html", {
        "catalogue": [c for c in repo.catalogue(db) if c.online], "stations": queue.stations(db),
        "values": values, "errors": errors, "done": done}, status_code=status_code)


@router.get("/portal")
def portal(request: Request, db: DbSession):
    return _portal(request, db, values={}, errors={})


@router.post("/portal")
async def portal_apply(request: Request, db: DbSession):
    form = await request.form()
    await check_csrf(request)
    _throttled(request, "portal")
    return await run_in_threadpool(_portal_apply, request, db, form)


def _portal_apply(request: Request, db: Session, form):
    values = {k: str(form.get(k) or "").strip() for k in ("name", "id_number", "phone", "station_code")}
    values["items"] = [str(v) for v in form.getlist("items")]
    data = {"applicant": {"name": values["name"], "id_number": values["id_number"],
                          **({"phone": values["phone"]} if values["phone"] else {})},
            "channel": "online", "station_code": values["station_code"], "items": values["items"]}
    try:
        application = service.create(db, data=parse(ApplicationIn, data), actor=None)
    except ValidationFailed as exc:
        db.rollback()
        return _portal(request, db, values=values, errors=field_errors(exc.details), status_code=422)
    names = {c.code: c.name for c in repo.catalogue(db)}
    done = {"id": application.id, "due_at": service.due_at(application),
            "items": [{"name": names[i.item_code], "due_at": i.due_at} for i in application.items]}
    return _portal(request, db, values={}, errors={}, done=done)
