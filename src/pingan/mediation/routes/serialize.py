"""Disputes and figures as JSON for the API (shaped as DisputeOut, FiguresOut): parties in full (the read is
audited by the caller), clocks, sessions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.mediation import clocks, figures, service
from pingan.mediation.models import Dispute
from pingan.platform.deadlines import service as deadlines


def _iso(value):
    return value.isoformat() if value is not None else None


def dispute_out(db: Session, dispute: Dispute) -> dict:
    agreement = dispute.agreement
    return {
        "id": dispute.id, "status": dispute.status.value, "source": dispute.source.value,
        "category": dispute.category.value, "summary": dispute.summary, "place": dispute.place,
        "address": {"code": dispute.address.code, "text": dispute.address.text} if dispute.address else None,
        "call_no": dispute.call_no, "station_code": dispute.station.code,
        "community_code": dispute.community.code if dispute.community else None,
        "room": {"id": dispute.room.id, "name": dispute.room.name} if dispute.room else None,
        "mediators": [{"id": m.id, "name": m.name, "kind": m.kind.value} for m in dispute.mediators],
        "received_at": _iso(dispute.received_at), "scheduled_at": _iso(dispute.scheduled_at),
        "first_session_at": _iso(dispute.first_session_at), "settled_at": _iso(dispute.settled_at),
        "closed_at": _iso(dispute.closed_at), "close_reason": dispute.close_reason,
        "secondary": {"is_secondary": dispute.is_secondary, "secondary_of": service.linked_secondary_of(dispute)},
        "parties": [{"name": p.name, "id_number": p.id_number, "phone": p.phone, "address": p.address}
                    for p in dispute.parties],
        "sessions": [{"id": s.id, "started_at": _iso(s.started_at), "ended_at": _iso(s.ended_at),
                      "outcome": s.outcome.value if s.outcome else None, "note": s.note,
                      "room_id": s.room_id} for s in dispute.sessions],
        "follow_ups": [{"id": f.id, "kind": f.kind.value, "at": _iso(f.at), "note": f.note, "on_time": f.on_time,
                        "agreement_performed": f.agreement_performed} for f in dispute.follow_ups],
        "agreement": None if agreement is None else {
            "facts": agreement.facts, "responsibilities": agreement.responsibilities,
            "obligations": agreement.obligations, "performance_method": agreement.performance_method,
            "performance_place": agreement.performance_place,
            "performance_due_on": agreement.performance_due_on.isoformat(),
            "performed_on": _iso(agreement.performed_on), "signatures": agreement.signatures,
            "signed_on": agreement.signed_on.isoformat(), "pdf": f"{clocks.link(dispute)}/agreement.pdf"},
        "deadlines": [{"kind": c.kind, "due_at": _iso(c.due_at), "warn_at": _iso(c.warn_at),
                       "status": c.status.value, "assignee_id": c.assignee_id, "ended_at": _iso(c.ended_at)}
                      for c in deadlines.clocks_for(db, clocks.OWNER, dispute.id)],
    }


def figures_out(f: figures.Figures) -> dict:
    return {"year": f.year, "total": f.total, "total_last_year": f.total_last_year, "yoy": f.yoy,
            "calls": f.calls, "settlement_rate": f.settlement_rate, "same_day_rate": f.same_day_rate,
            "follow_ups": f.follow_ups, "follow_ups_on_time": f.follow_ups_on_time, "secondary": f.secondary,
            "months": [{"month": m.month, "disputes": m.disputes, "disputes_last_year": m.disputes_last_year,
                        "calls": m.calls, "calls_last_year": m.calls_last_year} for m in f.months]}
