"""The window clerk's desk: call the next ticket, take one application for several items, see each item's
due date and move it on; the printed notice and the rating pad link; the figures with their Excel export.
A refused step re-renders the page with the reason and changes nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed
from pingan.core.identity import mask_id_number, mask_phone
from pingan.onewindow import figures
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service
from pingan.onewindow.models import ServicePointStatus
from pingan.onewindow.permissions import Reader, Writer
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.routes.serialize import application_out
from pingan.onewindow.schemas import ApplicationIn, StepIn, parse
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/onewindow")


def _desk(request: Request, db: Session, user: User, *, values: dict | None = None, errors: dict | None = None,
          called=None, status_code: int = 200):
    recent = [{"a": a, "id_number": mask_id_number(a.applicant_id_number), "phone": mask_phone(a.applicant_phone),
               "due_at": service.due_at(a)} for a in repo.recent_applications(db, user, limit=20)]
    station = user.unit if user.unit is not None else None
    return page(request, "onewindow/desk.html", {
        "catalogue": repo.catalogue(db), "recent": recent, "values": values or {}, "errors": errors or {},
        "called": called, "station": station,
        "service_points": repo.points(db, user, status=ServicePointStatus.ACTIVE),
        "board": queue.board(db, station) if station is not None else []}, status_code=status_code)


@router.get("")
def desk(request: Request, db: DbSession, user=Writer):
    return _desk(request, db, user)


@router.post("/call")
async def call(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    window = str(form.get("window") or "").strip()[:32] or "1号窗"
    return await run_in_threadpool(_call, request, db, user, window)


def _call(request: Request, db: Session, user: User, window: str):
    called = queue.call_next(db, station=user.unit, window=window, actor=user)
    return _desk(request, db, user, values={"window": window, "ticket_id": called.id if called else ""},
                 called=called or "none")


def application_data(form) -> tuple[dict, dict]:
    values = {k: str(form.get(k) or "").strip()
              for k in ("name", "id_number", "phone", "channel", "ticket_id", "service_point_code")}
    values["items"] = [str(v) for v in form.getlist("items")]
    values["missing"] = [str(v) for v in form.getlist("missing")]
    data: dict = {"applicant": {"name": values["name"], "id_number": values["id_number"]},
                  "channel": values["channel"] or "window", "station_code": form.get("station_code") or "",
                  "items": values["items"]}
    if values["phone"]:
        data["applicant"]["phone"] = values["phone"]
    if values["ticket_id"]:
        data["ticket_id"] = values["ticket_id"]
    if values["service_point_code"] and data["channel"] == "village_agent":
        data["service_point_code"] = values["service_point_code"]
    return data, values


@router.post("/applications")
async def take(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_take, request, db, user, form)


def _take(request: Request, db: Session, user: User, form):
    data, values = application_data(form)
    try:
        body = parse(ApplicationIn, data)
        if values["missing"]:
            # The clerk ticks what the resident did not bring; everything else of the items was brought.
            needed = {m["code"] for c in repo.catalogue(db) if c.code in body.items for m in c.materials}
            body.materials = sorted(needed - set(values["missing"]))
        application = service.create(db, data=body, actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return _desk(request, db, user, values=values, errors=field_errors(exc.details), status_code=422)
    return RedirectResponse(f"/onewindow/applications/{application.id}", status_code=303)


def _detail(request: Request, db: Session, user: User, application_id: int, refusal: str | None = None,
            status_code: int = 200):
    application = service.view(db, user=user, application_id=application_id)
    out = application_out(db, application)
    pads = {i.id: ratings.pad_token(i.id) for i in application.items}
    return page(request, "onewindow/detail.html", {"a": out, "pads": pads, "refusal": refusal,
                                                   "masked_id": mask_id_number(application.applicant_id_number)},
                status_code=status_code)


@router.get("/applications/{application_id}")
def detail(application_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, application_id)


@router.get("/applications/{application_id}/notices/{notice_id}.pdf")
def notice_pdf(application_id: int, notice_id: int, db: DbSession, user=Reader) -> Response:
    """The one-time notice of missing materials, printable (the print is audited)."""
    pdf = service.print_notice(db, user=user, application_id=application_id, notice_id=notice_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="notice-{notice_id}.pdf"'})


@router.post("/applications/{application_id}/items/{item_id}/{step}")
async def step(application_id: int, item_id: int, step: str, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_step, request, db, user, application_id, item_id, step, form)


def _step(request: Request, db: Session, user: User, application_id: int, item_id: int, step: str, form):
    item = repo.get_item(db, user, item_id, application_id=application_id)
    body = {k: str(form.get(k)).strip() for k in ("reason", "tracking_no") if form.get(k)}
    try:
        service.step(db, item=item, event=step, data=parse(StepIn, body), actor=user)
    except AppError as exc:
        db.rollback()
        return _detail(request, db, user, application_id, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse(f"/onewindow/applications/{application_id}", status_code=303)


@router.get("/figures")
def figures_page(request: Request, db: DbSession, user=Reader,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                 month: Annotated[int | None, Query(ge=1, le=12)] = None):
    f = figures.compute(db, user, year or clock.today_local().year, month)
    return page(request, "onewindow/figures.html", {"f": f, "chart": figures.chart_data(f)})


@router.get("/figures.xlsx")
def figures_export(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    f = figures.compute(db, user, year or clock.today_local().year)
    return Response(figures.workbook(f),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="onewindow-{f.year}.xlsx"'})
