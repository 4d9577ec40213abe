"""Applications: one visit or submission bundling several catalogue items; each item accepted once its
materials are complete (what is on the person's file is reused), with its legal clock; the one-time notice
of everything missing; each item's steps through the status table; the resident told when an item is ready."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, NotFound, PermissionDenied, ValidationFailed, not_found
from pingan.core.schemas import invalid_request
from pingan.onewindow import clocks
from pingan.onewindow import repository as repo
from pingan.onewindow.application import notice_pdf
from pingan.onewindow.application.transitions import next_status
from pingan.onewindow.models import (
    Application,
    ApplicationItem,
    CatalogueItem,
    Channel,
    Handover,
    ItemStatus,
    Material,
    Notice,
    Ticket,
)
from pingan.onewindow.point import service as points
from pingan.onewindow.schemas import ApplicationIn, StepIn
from pingan.onewindow.vocabulary import ITEM_ACTIONS, Action, Topic
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.records import Record
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def station_for(db: Session, actor: User | None, code: str, field: str = "station_code") -> OrgUnit:
    """The station by code (422 if none), which must lie in the actor's jurisdiction (404 otherwise); a
    resident on the citizen portal (no actor) may apply at any station."""
    try:
        station = org_service.get_unit(db, code)
    except NotFound:
        raise _invalid(field, "station.unknown", "派出所不存在 / no such station") from None
    if station.kind is not UnitKind.STATION:
        raise _invalid(field, "station.not_station", "须为派出所代码 / must be a police station")
    if actor is not None:
        access.ensure_unit_visible(db, actor, station.id, "unit", "单位")
    return station


def _entries(db: Session, data: ApplicationIn) -> list[CatalogueItem]:
    known = repo.catalogue_by_code(db, data.items)
    faults = []
    for i, code in enumerate(data.items):
        if code not in known:
            faults.append(ErrorDetail(f"items[{i}]", "item.unknown", f"事项目录中没有 {code} / unknown item"))
        elif data.items.index(code) != i:
            faults.append(ErrorDetail(f"items[{i}]", "item.duplicate", "同一事项只需申请一次 / listed twice"))
        elif data.channel in (Channel.ONLINE, Channel.PARTNER) and not known[code].online:
            faults.append(ErrorDetail(f"items[{i}]", "item.not_online",
                                      f"{known[code].name}不支持网上办理 / not available online"))
    if faults:
        raise invalid_request(faults)
    return [known[code] for code in data.items]


def _ticket(db: Session, actor: User | None, ticket_id: int | None, station: OrgUnit) -> Ticket | None:
    if ticket_id is None or actor is None:
        return None
    ticket = repo.get_ticket(db, actor, ticket_id)
    if ticket.station_id != station.id:
        raise _invalid("ticket_id", "ticket.other_station", "号票不属于该派出所 / the ticket is another station's")
    return ticket


def _visit(application: Application, at: dt.datetime) -> None:
    """Count the resident's trip to a window: a second errand on the same day is the same visit."""
    day = clock.local(at).date().isoformat()
    if day not in application.visit_days:
        application.visit_days = [*application.visit_days, day]
        application.visits = len(application.visit_days)


def _accept(db: Session, item: ApplicationItem, entry: CatalogueItem, at: dt.datetime) -> None:
    item.status, item.accepted_at, item.missing = ItemStatus.ACCEPTED, at, []
    item.due_at = clocks.start_item(db, item, entry).due_at


def due_at(application: Application) -> dt.datetime | None:
    """The application's combined due date: the latest due date of the items still owed or done."""
    dues = [i.due_at for i in application.items if i.due_at is not None and i.status is not ItemStatus.REJECTED]
    return max(dues) if dues else None


def create(db: Session, *, data: ApplicationIn, actor: User | None, by_key: bool = False) -> Application:
    """Take one application for several items; items with all materials are accepted and their clocks start,
    the others wait for the materials listed on one written notice. No actor: the resident on the citizen
    portal, online items only. ``by_key``: the caller used an API key
    (only a partner app's key may submit on the partner channel, for a resident it verified)."""
    if data.channel is Channel.PARTNER and not by_key:
        raise PermissionDenied("application.partner_key_required",
                               "政务App渠道须以合作方API密钥提交 / the partner channel needs the partner's API key")
    if data.channel is Channel.PARTNER and not data.verification_ref:
        raise _invalid("verification_ref", "required",
                       "须提供实名核验凭证编号 / give the reference of the resident's real-name check")
    if actor is None and data.channel is not Channel.ONLINE:
        raise _invalid("channel", "not_allowed", "网上申请须选择网上办 / the portal applies online")
    station = station_for(db, actor, data.station_code)
    entries = _entries(db, data)
    point = (points.for_application(db, data.service_point_code, station, entries)
             if data.channel is Channel.VILLAGE_AGENT else None)
    community = point.community if point else None
    bureaus = {b.code: b.id for b in repo.bureaus(db).values()}
    ticket = _ticket(db, actor, data.ticket_id, station)
    applicant = data.applicant
    number = people.valid_id_number(applicant.id_number, field="applicant.id_number")
    on_file = repo.materials_on_file(db, number)
    needed = {m["code"] for e in entries for m in e.materials}
    brought = set(data.materials) if data.materials is not None else needed - on_file
    unknown = sorted(brought - needed)
    if unknown:
        raise _invalid("materials", "material.not_needed", f"所选事项不需要材料 {unknown[0]} / not needed")
    now = clock.now()
    application = Application(station_id=station.id, community_id=community.id if community else None,
                              service_point_id=point.id if point else None,
                              channel=data.channel, applicant_name=applicant.name, applicant_id_number=number,
                              applicant_phone=applicant.phone, submitted_at=now, visits=0, visit_days=[],
                              ticket_id=ticket.id if ticket else None, created_by_id=actor.id if actor else None,
                              verification_ref=data.verification_ref if data.channel is Channel.PARTNER else None)
    if data.channel is Channel.WINDOW:
        _visit(application, now)
    db.add(application)
    db.flush()
    people.seen(db, id_number=number, name=applicant.name, role=PersonRole.APPLICANT,
                record=Record("onewindow", "application", application.id), unit=community or station, at=now,
                phone=applicant.phone, link=f"/onewindow/applications/{application.id}", actor=actor,
                field="applicant.id_number")
    missing_all, reused_all, filed = [], [], set()
    for entry in entries:
        codes = [m["code"] for m in entry.materials]
        reused = [c for c in codes if c in on_file and c not in brought]
        missing = [c for c in codes if c not in brought and c not in on_file]
        item = ApplicationItem(station_id=station.id, item_code=entry.code, status=ItemStatus.AWAITING_MATERIALS,
                               missing=missing, reused=reused, bureau_id=bureaus.get(entry.bureau))
        application.items.append(item)
        db.flush()
        if not missing:
            _accept(db, item, entry, now)
        names = {m["code"]: m["name"] for m in entry.materials}
        missing_all += [{"item": entry.code, "item_name": entry.name, "code": c, "name": names[c]} for c in missing]
        reused_all += [{"item": entry.code, "item_name": entry.name, "code": c, "name": names[c]} for c in reused]
        for code in codes:
            if code in brought and code not in on_file and code not in filed:
                db.add(Material(id_number=number, code=code, item_id=item.id, received_at=now))
                filed.add(code)
    if missing_all:
        notice = Notice(application_id=application.id, issued_at=now, missing=missing_all, reused=reused_all,
                        issued_by_id=actor.id if actor else None)
        application.notices.append(notice)
        db.flush()
        audit.record(db, actor=actor, action=Action.NOTICE_ISSUED, entity=notice, unit_id=station.id,
                     data={"missing": len(missing_all), "reused": len(reused_all)})
    audit.record(db, actor=actor, action=Action.APPLICATION_CREATED, entity=application,
                 data={"channel": data.channel.value, "items": [e.code for e in entries],
                       "service_point": point.code if point else None,
                       "reused": len(reused_all), "missing": len(missing_all)})
    return application


def _complete(db: Session, item: ApplicationItem, now: dt.datetime) -> None:
    item.completed_at = now
    item.within_limit = item.due_at is None or now <= item.due_at
    clocks.stop_item(db, item)


def _issue_on_spot(item: ApplicationItem, entry: CatalogueItem) -> None:
    station_code = item.application.station.code
    if not entry.on_the_spot or (entry.spot_stations and station_code not in entry.spot_stations):
        raise Conflict("item.not_on_the_spot", f"{entry.name}不能在本所当场办结 / not issued on the spot here")


def step(db: Session, *, item: ApplicationItem, event: str, data: StepIn, actor: User) -> ApplicationItem:
    """One step of an item (supplied, start, ready, collect, post, issue_on_spot, reject)."""
    if event not in ITEM_ACTIONS:
        raise not_found("step", "步骤")
    status = next_status(item.status, event)
    entry = repo.catalogue_by_code(db, [item.item_code])[item.item_code]
    application = item.application
    now = clock.now()
    if event == "reject" and not data.reason:
        raise _invalid("reason", "required", "不予受理须说明理由 / give the reason")
    if event == "post" and not data.tracking_no:
        raise _invalid("tracking_no", "required", "邮寄须填写运单号 / give the tracking number")
    if event == "issue_on_spot":
        _issue_on_spot(item, entry)
    if event == "supplied":
        for code in item.missing:
            if code not in repo.materials_on_file(db, application.applicant_id_number):
                db.add(Material(id_number=application.applicant_id_number, code=code, item_id=item.id,
                                received_at=now))
        db.flush()
        _visit(application, now)
        _accept(db, item, entry, now)
    elif event == "ready":
        item.ready_at = now
        _tell_ready(db, application, item, entry)
    elif event in ("collect", "post", "issue_on_spot"):
        item.handover = {"collect": Handover.COLLECTED, "post": Handover.POSTED}.get(event)
        item.tracking_no = data.tracking_no if event == "post" else None
        if event == "collect":
            _visit(application, now)
        _complete(db, item, now)
    elif event == "reject":
        item.reject_reason = data.reason
        item.completed_at = now
        clocks.stop_item(db, item, met=False)
    item.status = status
    audit.record(db, actor=actor, action=ITEM_ACTIONS[event], entity=application, unit_id=item.station_id,
                 note=data.reason, data={"item": item.item_code, "item_id": item.id,
                                         "tracking_no": item.tracking_no if event == "post" else None})
    db.flush()
    return item


def _tell_ready(db: Session, application: Application, item: ApplicationItem, entry: CatalogueItem) -> None:
    """The resident is told through the outbox (an SMS gateway is a webhook on this topic)."""
    notify.publish(db, topic=Topic.ITEM_READIED, unit_id=item.station_id, link=clocks.item_link(item),
                   title=f"{entry.name}已办好，请到{application.station.name}领取",
                   body=f"{application.applicant_name}您好，您申请的{entry.name}已办好。",
                   payload={"application_id": application.id, "item_id": item.id, "item": entry.code,
                            "phone": application.applicant_phone, "station": application.station.code})


def view(db: Session, *, user: User, application_id: int) -> Application:
    """An application with the applicant's full ID for a clerk to read: the read is in the audit trail."""
    application = repo.get_application(db, user, application_id)
    audit.record(db, actor=user, action=Action.APPLICATION_VIEWED, entity=application)
    return application


def print_notice(db: Session, *, user: User, application_id: int, notice_id: int) -> bytes:
    application = repo.get_application(db, user, application_id)
    notice = next((n for n in application.notices if n.id == notice_id), None)
    if notice is None:
        raise not_found("notice", "告知书")
    pdf = notice_pdf.render_notice(application, notice)
    audit.record(db, actor=user, action=Action.NOTICE_PRINTED, entity=notice, unit_id=application.station_id)
    return pdf
