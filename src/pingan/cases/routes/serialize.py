"""Cases records as JSON for the API (shaped as the ``*Out`` schemas): a case's people in full (the read is
audited by the caller), its timeline and deadlines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases.case import service as case_service
from pingan.cases.models import Call, Case, FraudPayee, FraudReport, Fugitive, SeizedItem, TaskForce
from pingan.cases.seizure import service as seizure_service
from pingan.platform.org.models import Bank


def _deadlines(db: Session, owner_type: str, owner_id: int) -> list[dict]:
    return [{"kind": c.kind, "due_at": c.due_at, "warn_at": c.warn_at, "status": c.status.value,
             "ended_at": c.ended_at} for c in clocks.clocks_of(db, owner_type, owner_id)]


def call_out(call: Call) -> dict:
    return {"id": call.id, "call_no": call.call_no, "station_code": call.station.code, "received_at": call.received_at,
            "caller_phone": call.caller_phone, "address_code": None if call.address_id is None else call.address.code,
            "address_text": call.address_text, "category": call.category, "summary": call.summary,
            "repeat": call.repeat_of_id is not None, "repeat_of": call.repeat_of_id,
            "disposition": call.disposition, "disposed_at": call.disposed_at,
            "disposition_note": call.disposition_note, "case_id": call.case_id, "dispute_id": call.dispute_id}


def case_out(db: Session, case: Case) -> dict:
    return {
        "id": case.id, "number": case.number, "kind": case.kind, "category": case.category, "status": case.status,
        "title": case.title, "summary": case.summary, "station_code": case.station.code,
        "occurred_at": case.occurred_at, "received_at": case.received_at, "filing_track": case.filing_track.value,
        "extended": case.extended, "small": case.small, "filed_at": case.filed_at, "solved_at": case.solved_at,
        "closed_at": case.closed_at, "age_years": case_service.age_years(case),
        "persons": [{"id": p.id, "kind": p.kind, "name": p.name, "id_number": p.id_number, "phone": p.phone,
                     "suspect_status": p.suspect_status, "loss": p.loss, "note": p.note} for p in case.persons],
        "events": [{"at": e.at, "kind": e.kind, "actor": e.actor_name, "note": e.note} for e in case.events],
        "deadlines": _deadlines(db, clocks.CASE, case.id),
    }


def fugitive_out(f: Fugitive) -> dict:
    return {"id": f.id, "case_id": f.case_id, "case_number": f.case.number,
            "case_age_years": case_service.age_years(f.case), "name": f.name, "id_number": f.id_number,
            "wanted_since": f.wanted_since, "danger": f.danger, "last_known_places": f.last_known_places,
            "status": f.status, "ended_at": f.ended_at, "caught_place": f.caught_place}


def item_out(db: Session, item: SeizedItem) -> dict:
    item_clocks = clocks.clocks_of(db, clocks.ITEM, item.id)
    return {"id": item.id, "case_id": item.case_id, "description": item.description, "quantity": item.quantity,
            "unit": item.unit, "value": item.value, "held_at": item.held_at, "status": item.status,
            "overdue": seizure_service.overdue(item, item_clocks),
            "movements": [{"seq": m.seq, "kind": m.kind, "at": m.at, "from_name": m.from_name, "to_name": m.to_name,
                           "from_signed": m.from_signed, "to_signed": m.to_signed, "reason": m.reason,
                           "approver": m.approver, "due_back_at": m.due_back_at, "disposal": m.disposal}
                          for m in item.movements],
            "deadlines": [{"kind": c.kind, "due_at": c.due_at, "warn_at": c.warn_at, "status": c.status.value,
                           "ended_at": c.ended_at} for c in item_clocks]}


def payee_out(db: Session, p: FraudPayee) -> dict:
    bank = db.get(Bank, p.bank_id) if p.bank_id is not None else None
    return {"id": p.id, "account_no": p.account_no, "bank_code": bank.code if bank else None, "name": p.name,
            "status": p.status, "stop_requests": p.stop_requests, "stop_until": p.stop_until,
            "bank_answer": p.bank_answer, "frozen_until": p.frozen_until, "freeze_renewals": p.freeze_renewals,
            "deadlines": _deadlines(db, clocks.PAYEE, p.id)}


def report_out(db: Session, r: FraudReport) -> dict:
    return {"id": r.id, "case_id": r.case_id, "case_number": r.case.number, "victim_name": r.victim_name,
            "victim_id_number": r.victim_id_number, "loss": r.loss, "contact_method": r.contact_method,
            "typology": r.typology, "high_loss": r.high_loss, "counter_remittance": r.counter_remittance,
            "alert_id": r.alert_id,
            "missed_screenings": r.missed_screenings, "payees": [payee_out(db, p) for p in r.payees],
            "phones": r.phones}


def task_force_out(force: TaskForce) -> dict:
    return {"id": force.id, "name": force.name, "station_code": force.station.code, "lead_id": force.lead_id,
            "member_ids": force.member_ids, "case_ids": force.case_ids,
            "tasks": [{"id": t.id, "title": t.title, "status": t.status, "assignee_id": t.assignee_id,
                       "due_at": t.due_at, "done_at": t.done_at, "result": t.result} for t in force.tasks]}
