"""Applications, items, tickets and rectifications as JSON for the API (shaped as the *Out schemas)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core.identity import mask_id_number, mask_phone
from pingan.onewindow import clocks
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service
from pingan.onewindow.application import transitions as item_table
from pingan.onewindow.models import (
    Application,
    ApplicationItem,
    CatalogueItem,
    Rectification,
    ServicePoint,
    Ticket,
)
from pingan.onewindow.partner import service as partners
from pingan.onewindow.queue import service as queue
from pingan.onewindow.vocabulary import (
    DEPARTMENT_LABELS,
    GRADE_LABELS,
    ITEM_STATUS_LABELS,
    RECTIFICATION_STATUS_LABELS,
)
from pingan.platform.deadlines import service as deadlines


def catalogue_out(entry: CatalogueItem) -> dict:
    return {"code": entry.code, "name": entry.name, "department": entry.department,
            "department_label": DEPARTMENT_LABELS[entry.department], "materials": entry.materials,
            "fee_yuan": entry.fee_fen / 100, "limit_days": entry.limit_days, "limit_kind": entry.limit_kind,
            "on_the_spot": entry.on_the_spot, "spot_stations": entry.spot_stations, "online": entry.online,
            "windows": entry.windows}


def _materials(entry: CatalogueItem | None, codes: list[str]) -> list[dict]:
    names = {m["code"]: m["name"] for m in entry.materials} if entry else {}
    return [{"code": c, "name": names.get(c, c)} for c in codes]


def item_out(db: Session, item: ApplicationItem, entry: CatalogueItem | None) -> dict:
    deadline = next(iter(sorted(clocks.clocks_of(db, item), key=lambda c: c.id, reverse=True)), None)
    rating = item.rating
    rectification = repo.rectification_of(db, rating) if rating is not None else None
    return {
        "id": item.id, "code": item.item_code, "name": entry.name if entry else item.item_code,
        "status": item.status.value, "status_label": ITEM_STATUS_LABELS[item.status],
        "accepted_at": item.accepted_at, "ready_at": item.ready_at, "completed_at": item.completed_at,
        "within_limit": item.within_limit, "handover": item.handover.value if item.handover else None,
        "tracking_no": item.tracking_no, "reject_reason": item.reject_reason,
        "missing": _materials(entry, item.missing), "reused": _materials(entry, item.reused),
        "deadline": None if deadline is None or entry is None else {
            "kind": deadline.kind, "due_at": deadline.due_at, "warn_at": deadline.warn_at,
            "status": deadline.status.value, "limit_days": entry.limit_days, "limit_kind": entry.limit_kind},
        "rating": None if rating is None else {
            "id": rating.id, "grade": rating.grade, "grade_label": GRADE_LABELS[rating.grade],
            "comment": rating.comment, "rated_at": rating.rated_at, "counts": rating.counts,
            "rectification_id": rectification.id if rectification else None,
            "rectification_status": rectification.status.value if rectification else None},
        "steps": [e for e in item_table.EVENTS if item_table.allowed(item.status, e)],
    }


def application_out(db: Session, application: Application) -> dict:
    entries = repo.catalogue_by_code(db, [i.item_code for i in application.items])
    return {
        "id": application.id, "channel": application.channel, "station_code": application.station.code,
        "community_code": application.community.code if application.community else None,
        "service_point_code": application.service_point.code if application.service_point else None,
        "applicant": {"name": application.applicant_name, "id_number": application.applicant_id_number,
                      "phone": application.applicant_phone},
        "submitted_at": application.submitted_at, "due_at": service.due_at(application),
        "visits": application.visits,
        "items": [item_out(db, i, entries.get(i.item_code)) for i in application.items],
        "notices": [{"id": n.id, "issued_at": n.issued_at, "missing": n.missing, "reused": n.reused,
                     "pdf": f"/onewindow/applications/{application.id}/notices/{n.id}.pdf"}
                    for n in application.notices],
    }


def rectification_out(db: Session, rectification: Rectification) -> dict:
    running = deadlines.clocks_for(db, clocks.RECTIFICATION_OWNER, rectification.id)
    return {
        "id": rectification.id, "status": rectification.status.value,
        "status_label": RECTIFICATION_STATUS_LABELS[rectification.status],
        "unit_code": rectification.unit.code,
        "item_id": rectification.rating.item_id, "grade": rectification.rating.grade,
        "opened_at": rectification.opened_at, "due_at": running[-1].due_at if running else None,
        "call_back_at": rectification.call_back_at, "call_back_note": rectification.call_back_note,
        "closed_at": rectification.closed_at, "close_note": rectification.close_note,
        "appeal_reason": rectification.appeal_reason, "review_note": rectification.review_note,
    }


def ticket_out(db: Session, ticket: Ticket) -> dict:
    return {"id": ticket.id, "number": ticket.number, "station_code": ticket.station.code,
            "service_code": ticket.service_code, "status": ticket.status.value, "taken_at": ticket.taken_at,
            "called_at": ticket.called_at, "window": ticket.window, "finished_at": ticket.finished_at,
            "waiting_seconds": queue.waiting_seconds(ticket), "serving_seconds": queue.serving_seconds(ticket),
            "ahead": repo.waiting_ahead(db, ticket) if ticket.called_at is None else 0}


def partner_item_out(db: Session, item: ApplicationItem) -> dict:
    entry = repo.catalogue_by_code(db, [item.item_code]).get(item.item_code)
    application = item.application
    return {"id": item.id, "application_id": item.application_id, "code": item.item_code,
            "name": entry.name if entry else item.item_code, "status": item.status.value,
            "status_label": ITEM_STATUS_LABELS[item.status], "station_code": application.station.code,
            "applicant_name": application.applicant_name,
            "applicant_id_number": mask_id_number(application.applicant_id_number),
            "applicant_phone": mask_phone(application.applicant_phone), "accepted_at": item.accepted_at,
            "due_at": item.due_at,
            "steps": [e for e in partners.STEPS if item_table.allowed(item.status, e)]}


def point_out(point: ServicePoint) -> dict:
    return {"id": point.id, "code": point.code, "station_code": point.station.code,
            "community_code": point.community.code, "community_name": point.community.name, "name": point.name,
            "agent_name": point.agent_name, "agent_phone": point.agent_phone, "address": point.address_text,
            "address_code": point.address.code if point.address else None, "services": point.services,
            "status": point.status.value}
