"""The one-window API: the catalogue; applications bundling items and each item's steps (the printed
one-time notice is a page, linked from the answer); queue tickets (take, call, finish, the board); ratings
and rectifications; figures. Scoped to the caller's station (another station's record → 404)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from pingan.core import clock
from pingan.core.schemas import ERROR_RESPONSES
from pingan.onewindow import figures
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service
from pingan.onewindow.models import ItemStatus, ServicePointStatus
from pingan.onewindow.partner import service as partners
from pingan.onewindow.permissions import Partner, Reader, Reviewer, Writer
from pingan.onewindow.point import service as points
from pingan.onewindow.queue import service as queue
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.routes.serialize import (
    application_out,
    catalogue_out,
    item_out,
    partner_item_out,
    point_out,
    rectification_out,
    ticket_out,
)
from pingan.onewindow.schemas import (
    ApplicationIn,
    ApplicationOut,
    CallIn,
    CatalogueItemOut,
    FiguresOut,
    ItemOut,
    PartnerItemOut,
    RatingIn,
    RectificationOut,
    RectificationStepIn,
    ServicePointIn,
    ServicePointOut,
    StepIn,
    TicketIn,
    TicketOut,
)
from pingan.onewindow.vocabulary import ACTION_LABELS, CHANNEL_LABELS, CLOCK_LABELS
from pingan.web.deps import DbSession
from pingan.web.routes import audit as audit_page

audit_page.register_labels(
    actions=ACTION_LABELS,
    entities={"onewindow_application": "一窗通办申请", "onewindow_notice": "一次性告知书",
              "onewindow_ticket": "号票", "onewindow_rating": "好差评", "onewindow_rectification": "差评整改",
              "onewindow_catalogue_item": "事项目录"},
    fields={"channel": "渠道", "items": "事项", "item": "事项", "reused": "调用在档材料", "missing": "缺少材料",
            "grade": "评价等级", "window": "窗口", "service": "事项", "tracking_no": "运单号"},
    values={"channel": {k.value: v for k, v in CHANNEL_LABELS.items()}, "kind": CLOCK_LABELS},
)

router = APIRouter(prefix="/api/v1/onewindow", tags=["onewindow"], responses=ERROR_RESPONSES)

ItemStep = Literal["supplied", "start", "ready", "collect", "post", "issue_on_spot", "reject"]
RectificationStep = Literal["call_back", "close", "appeal"]
ReviewStep = Literal["uphold", "dismiss"]


@router.get("/catalogue", response_model=list[CatalogueItemOut], summary="The service catalogue")
def get_catalogue(db: DbSession, user=Reader) -> list[dict]:
    return [catalogue_out(c) for c in repo.catalogue(db)]


@router.post("/applications", status_code=201, response_model=ApplicationOut,
             summary="Take one application for several items; each item with its deadline")
def create_application(body: ApplicationIn, request: Request, db: DbSession, user=Writer) -> dict:
    by_key = request.headers.get("authorization", "").lower().startswith("bearer ")
    return application_out(db, service.create(db, data=body, actor=user, by_key=by_key))


@router.get("/applications/{application_id}", response_model=ApplicationOut,
            summary="An application with its items, deadlines and notices (read is audited)")
def get_application(application_id: int, db: DbSession, user=Reader) -> dict:
    return application_out(db, service.view(db, user=user, application_id=application_id))


@router.post("/applications/{application_id}/items/{item_id}/{step}", response_model=ItemOut,
             summary="One step of an item; a step out of order is 409")
def item_step(application_id: int, item_id: int, step: ItemStep, db: DbSession, user=Writer,
              body: StepIn | None = None) -> dict:
    item = repo.get_item(db, user, item_id, application_id=application_id)
    service.step(db, item=item, event=step, data=body or StepIn(), actor=user)
    return item_out(db, item, repo.catalogue_by_code(db, [item.item_code]).get(item.item_code))


@router.post("/items/{item_id}/rating", status_code=201, response_model=ItemOut,
             summary="Rate a completed item once (1–5); 1 or 2 opens a rectification")
def rate_item(item_id: int, body: RatingIn, db: DbSession, user=Writer) -> dict:
    item = repo.get_item(db, user, item_id)
    ratings.rate(db, item=item, data=body, actor=user)
    return item_out(db, item, repo.catalogue_by_code(db, [item.item_code]).get(item.item_code))


@router.get("/rectifications/{rectification_id}", response_model=RectificationOut, summary="A rectification")
def get_rectification(rectification_id: int, db: DbSession, user=Reader) -> dict:
    return rectification_out(db, repo.get_rectification(db, user, rectification_id))


@router.post("/rectifications/{rectification_id}/review/{step}", response_model=RectificationOut,
             summary="Review an appeal: uphold (the rating is annulled) or dismiss")
def review_rectification(rectification_id: int, step: ReviewStep, body: RectificationStepIn, db: DbSession,
                         user=Reviewer) -> dict:
    rectification = repo.get_rectification(db, user, rectification_id)
    return rectification_out(db, ratings.step(db, rectification=rectification, event=step, note=body.note,
                                              actor=user))


@router.post("/rectifications/{rectification_id}/{step}", response_model=RectificationOut,
             summary="call_back, close (only after the call-back, else 409) or appeal")
def rectification_step(rectification_id: int, step: RectificationStep, body: RectificationStepIn,
                       db: DbSession, user=Writer) -> dict:
    rectification = repo.get_rectification(db, user, rectification_id)
    return rectification_out(db, ratings.step(db, rectification=rectification, event=step, note=body.note,
                                              actor=user))


@router.post("/tickets", status_code=201, response_model=TicketOut, summary="Take a queue ticket for a service")
def take_ticket(body: TicketIn, db: DbSession, user=Writer) -> dict:
    station = service.station_for(db, user, body.station_code)
    return ticket_out(db, queue.take(db, station=station, service_code=body.service_code, actor=user))


@router.post("/tickets/call", response_model=TicketOut | None,
             summary="Call the longest-waiting ticket of the clerk's station to a window (null: nobody waits)")
def call_ticket(body: CallIn, db: DbSession, user=Writer) -> dict | None:
    ticket = queue.call_next(db, station=user.unit, window=body.window, actor=user)
    return ticket_out(db, ticket) if ticket else None


@router.post("/tickets/{ticket_id}/finish", response_model=TicketOut, summary="The visitor leaves the window")
def finish_ticket(ticket_id: int, db: DbSession, user=Writer) -> dict:
    return ticket_out(db, queue.finish(db, ticket=repo.get_ticket(db, user, ticket_id), actor=user))


@router.get("/tickets/board", response_model=list[TicketOut], summary="The station's waiting and serving tickets")
def ticket_board(db: DbSession, user=Reader,
                 station_code: Annotated[str, Query(min_length=1, max_length=32)] = "") -> list[dict]:
    station = service.station_for(db, user, station_code, field="station_code")
    return [ticket_out(db, t) for t in queue.board(db, station)]


@router.get("/figures", response_model=FiguresOut,
            summary="Applications by item, channel and station; within the limit; one visit; waiting; ratings")
def get_figures(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                month: Annotated[int | None, Query(ge=1, le=12, description="rank the windows of this month")] = None,
                ) -> dict:
    return figures.as_dict(figures.compute(db, user, year or clock.today_local().year, month))


@router.get("/partner/items", response_model=list[PartnerItemOut],
            summary="A partner desk's items: only those routed to its bureau (the read is audited)")
def partner_items(db: DbSession, user=Partner, status: ItemStatus | None = None) -> list[dict]:
    _, items = partners.items(db, user=user, status=status)
    return [partner_item_out(db, i) for i in items]


PartnerStep = Literal["start", "ready", "collect", "post", "reject"]


@router.post("/partner/items/{item_id}/{step}", response_model=PartnerItemOut,
             summary="A step of an item of the partner's bureau (another's is 404; out of order 409)")
def partner_step(item_id: int, step: PartnerStep, db: DbSession, user=Partner, body: StepIn | None = None) -> dict:
    return partner_item_out(db, partners.step(db, user=user, item_id=item_id, event=step, data=body or StepIn()))


@router.get("/points", response_model=list[ServicePointOut], summary="The village service points of your stations")
def list_points(db: DbSession, user=Reader, status: ServicePointStatus | None = None) -> list[dict]:
    return [point_out(p) for p in repo.points(db, user, status=status)]


@router.post("/points", status_code=201, response_model=ServicePointOut, summary="Register a village service point")
def register_point(body: ServicePointIn, db: DbSession, user=Writer) -> dict:
    return point_out(points.register(db, data=body, actor=user))


@router.post("/points/{point_id}", response_model=ServicePointOut,
             summary="Change a point's name, agent, address or services (its village stays)")
def update_point(point_id: int, body: ServicePointIn, db: DbSession, user=Writer) -> dict:
    return point_out(points.update(db, point=repo.get_point(db, user, point_id), data=body, actor=user))


@router.post("/points/{point_id}/{step}", response_model=ServicePointOut,
             summary="suspend, resume or close a point (a closed point stays closed; out of order 409)")
def point_step(point_id: int, step: Literal["suspend", "resume", "close"], db: DbSession, user=Writer) -> dict:
    return point_out(points.step(db, point=repo.get_point(db, user, point_id), event=step, actor=user))
