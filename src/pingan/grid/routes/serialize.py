"""Reports, handed calls and categories as JSON for the API (shaped as ReportOut, CallOut, CategoryOut)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.grid import clocks, timeline
from pingan.grid.models import HandedCall, Member, Report
from pingan.grid.report import categories
from pingan.grid.report import service as reports
from pingan.grid.vocabulary import CLOCK_LABELS


def _iso(value):
    return value.isoformat() if value is not None else None


def _deadlines(db: Session, record) -> list[dict]:
    return [{"kind": c.kind, "label": CLOCK_LABELS.get(c.kind, c.kind), "due_at": _iso(c.due_at),
             "status": c.status.value, "assignee_id": c.assignee_id, "ended_at": _iso(c.ended_at)}
            for c in clocks.all_clocks(db, record)]


def _timeline(db: Session, record) -> list[dict]:
    return [{"at": _iso(e.at), "kind": e.kind, "actor": e.actor_name, "note": e.note} for e in timeline.of(db, record)]


def report_out(db: Session, report: Report) -> dict:
    return {
        "id": report.id, "status": report.status.value, "category": report.category.value,
        "grid_code": report.grid.code, "description": report.description, "fields": report.fields or {},
        "address_code": report.address.code if report.address else None, "address_text": report.address_text,
        "latitude": report.latitude, "longitude": report.longitude, "occurred_at": _iso(report.occurred_at),
        "submitted_at": _iso(report.submitted_at), "is_complex": report.is_complex,
        "accepted_at": _iso(report.accepted_at), "handled_at": _iso(report.handled_at), "handling": report.handling,
        "handover_to": report.handover_to.value if report.handover_to else None, "handover_ref": report.handover_ref,
        "fed_back_at": _iso(report.fed_back_at), "feedback": report.feedback, "closed_at": _iso(report.closed_at),
        "duplicate_of": report.duplicate_of_id,
        "possible_duplicates": [{"id": r.id, "submitted_at": _iso(r.submitted_at), "status": r.status.value,
                                 "description": r.description[:200]}
                                for r in reports.possible_duplicates(db, report)],
        "photos": [{"id": p.id, "content_type": p.content_type, "size": p.size,
                    "url": f"/api/v1/grid/reports/{report.id}/photos/{p.id}"} for p in report.photos],
        "deadlines": _deadlines(db, report), "timeline": _timeline(db, report),
    }


def call_out(db: Session, call: HandedCall) -> dict:
    return {
        "id": call.id, "call_no": call.call_no, "status": call.status.value, "phone": call.phone,
        "summary": call.summary, "grid_code": call.grid.code, "station_code": call.station.code,
        "address_code": call.address.code if call.address else None, "address_text": call.address_text,
        "is_complex": call.is_complex, "received_at": _iso(call.received_at), "accepted_at": _iso(call.accepted_at),
        "handled_at": _iso(call.handled_at), "handling": call.handling, "fed_back_at": _iso(call.fed_back_at),
        "feedback": call.feedback, "feedback_on_time": call.feedback_on_time, "closed_at": _iso(call.closed_at),
        "called_back_at": _iso(call.called_back_at), "returned_at": _iso(call.returned_at),
        "return_reason": call.return_reason, "is_repeat": call.is_repeat, "repeat_of": call.repeat_of_id,
        "deadlines": _deadlines(db, call), "timeline": _timeline(db, call),
    }


def categories_out() -> list[dict]:
    return [{"code": d.category.value, "name": d.name, "description": d.description, "complex": d.complex,
             "attributes": [{"code": a.code, "datatype": a.datatype, "required": a.required, "order": a.order,
                             "description": a.description, "values": [{"key": k, "name": n} for k, n in a.values]}
                            for a in d.attributes]}
            for d in categories.definitions().values()]


def member_out(member: Member) -> dict:
    return {"id": member.id, "grid_code": member.grid.code, "name": member.name, "kind": member.kind.value,
            "phone": member.phone, "status": member.status.value}


def collection_out(record) -> dict:
    return {"id": record.id, "kind": record.kind.value, "address_code": record.address.code,
            "grid_code": record.grid.code, "subject": record.subject, "name": record.name, "data": record.data,
            "version": record.version, "needs_review": record.needs_review, "review_note": record.review_note,
            "verified": record.verified_at is not None,
            "versions": [{"version": v.version, "base_version": v.base_version, "name": v.name, "data": v.data,
                          "at": _iso(v.at)} for v in record.versions]}


def patrol_out(patrol, findings: list[int]) -> dict:
    return {"id": patrol.id, "grid_code": patrol.grid.code, "title": patrol.title, "status": patrol.status.value,
            "planned_at": _iso(patrol.planned_at), "started_at": _iso(patrol.started_at),
            "ended_at": _iso(patrol.ended_at), "verified": patrol.verified_at is not None,
            "people": [p.name for p in patrol.people],
            "check_ins": [{"point": c.checkpoint.name, "at": _iso(c.at)} for c in patrol.check_ins],
            "findings": findings}


def checkpoint_out(point, grid_code: str, qr_svg: str) -> dict:
    return {"id": point.id, "grid_code": grid_code, "name": point.name,
            "address_code": point.address.code if point.address else None, "token": point.token, "qr_svg": qr_svg}


def publicity_out(event) -> dict:
    return {"id": event.id, "grid_code": event.grid.code, "topic": event.topic.value, "title": event.title,
            "place": event.place, "held_at": _iso(event.held_at), "audience": event.audience,
            "materials": event.materials, "verified": event.verified_at is not None, "photos": len(event.photos)}


def progress_out(bars) -> list[dict]:
    return [{"kind": b.kind.value, "label": b.label, "target": b.target, "done": b.done, "percent": b.percent}
            for b in bars]


def figures_out(f) -> dict:
    return {"year": f.year, "reports": f.reports, "by_category": f.by_category, "by_grid": f.by_grid,
            "by_month": f.by_month, "reports_fed_back": f.reports_fed_back, "calls": f.calls,
            "calls_fed_back": f.calls_fed_back, "calls_on_time": f.calls_on_time, "on_time_rate": f.on_time_rate,
            "calls_returned": f.calls_returned, "repeat_calls": f.repeat_calls, "calls_by_month": f.calls_by_month,
            "verified": f.verified, "targets": f.targets}


def video_out(call) -> dict:
    return {"id": call.id, "report_id": call.report_id, "status": call.status.value, "caller_id": call.caller_id,
            "callee_id": call.callee_id, "rang_at": _iso(call.rang_at), "answered_at": _iso(call.answered_at),
            "ended_at": _iso(call.ended_at), "seconds": call.seconds,
            "snapshot_url": f"/api/v1/grid/reports/{call.report_id}/photos/{call.snapshot_id}"
            if call.snapshot_id else None}
