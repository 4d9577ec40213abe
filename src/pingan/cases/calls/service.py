"""110 call steps: record a call (a repeat when the same phone or standard address called within 30 days; the
caller's phone goes to the people register, so the call is in the file of whoever has that phone) and dispose
of it: a case, a mediation dispute (through mediation's service), handed to the grid, false, or a
repeat. A call is disposed of once. A grid report handed to the police comes in as a call (platform.handover),
and what the station did with it goes back onto the report."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.cases import repository as repo
from pingan.cases.case import service as case_service
from pingan.cases.models import Call, CallCategory, Case, Disposition
from pingan.cases.schemas import CallIn, DisposeIn
from pingan.cases.settings import get_cases_settings
from pingan.cases.vocabulary import Action
from pingan.core import clock
from pingan.core.errors import Conflict
from pingan.grid.call import service as grid_calls
from pingan.mediation import service as mediation
from pingan.platform import handover
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.places import service as places
from pingan.platform.places.models import Address
from pingan.platform.records import Record
from pingan.platform.users.models import User


def link(call: Call) -> str:
    return f"/cases/calls/{call.id}"


def dispute_categories() -> dict[str, str]:
    """The mediation room's dispute types, for the disposition form."""
    return mediation.categories()


def record(db: Session, *, data: CallIn, actor: User) -> Call:
    unit = case_service.station(db, actor, data.station_code)
    if repo.call_by_no(db, data.call_no) is not None:
        raise Conflict("call.duplicate", "该警情编号已登记 / this call number is already recorded")
    now = clock.now()
    received = data.received_at or now
    if received > now:
        raise case_service.invalid("received_at", "date.future", "接警时间不能晚于现在 / a call cannot come later")
    address = places.resolve(db, data.address_code) if data.address_code else None
    return _store(db, Call(call_no=data.call_no, station_id=unit.id, received_at=received,
                           caller_phone=data.caller_phone, address_text=data.address_text, category=data.category,
                           summary=data.summary, created_by_id=actor.id), address, actor)


def _store(db: Session, call: Call, address: Address | None, actor: User) -> Call:
    """A new call with its repeat check (same phone or standard address within the window), address mention
    and audit."""
    window = dt.timedelta(days=get_cases_settings().repeat_call_days)
    earlier = repo.earlier_call(db, phone=call.caller_phone, address_id=address.id if address else None,
                                since=call.received_at - window, before=call.received_at)
    call.address_id, call.repeat_of_id = (address.id if address else None), (earlier.id if earlier else None)
    db.add(call)
    db.flush()
    record = Record("cases", "call", call.id)
    if address is not None:
        places.mentioned(db, address=address, record=record, unit_id=call.station_id, at=call.received_at,
                         link=link(call))
    if call.caller_phone:
        people.seen(db, id_number=None, name="", phone=call.caller_phone, role=PersonRole.CALLER, record=record,
                    unit=call.station_id, at=call.received_at, link=link(call), actor=actor, field="caller_phone")
    audit.record(db, actor=actor, action=Action.CALL_RECORDED, entity=call, unit_id=call.station_id,
                 data={"call_no": call.call_no, "category": call.category.value, "repeat_of": call.repeat_of_id,
                       "grid_report": call.grid_report_id})
    return call


# What a grid report's category is as a 110 call (the station disposes of it as of any other call).
_GRID_CATEGORIES = {"dispute": CallCategory.DISPUTE, "fraud_lead": CallCategory.FRAUD,
                    "suspicious_person": CallCategory.PUBLIC_ORDER, "rental_house": CallCategory.PUBLIC_ORDER,
                    "wildlife": CallCategory.CRIMINAL}


@handover.takes(handover.GRID_REPORT_CALL)
def take_grid_report(db: Session, *, report_id: int, station_id: int, category: str, summary: str,
                     address_id: int | None, address_text: str | None, actor: User) -> str:
    """A grid report the community officer hands to the police: a call at the station (number ``WG`` and the
    report's id), waiting to be disposed of like any other. Once per report: the same report again is that call."""
    existing = repo.call_of_grid_report(db, report_id)
    if existing is not None:
        return existing.call_no
    station = db.get(OrgUnit, station_id)
    call = Call(call_no=f"WG{report_id:08d}", station_id=station.id, received_at=clock.now(),
                address_text=address_text, category=_GRID_CATEGORIES.get(category, CallCategory.OTHER),
                summary=summary, created_by_id=actor.id, grid_report_id=report_id)
    return _store(db, call, db.get(Address, address_id) if address_id else None, actor).call_no


def dispose(db: Session, *, call: Call, data: DisposeIn, actor: User) -> Call:
    """What was done with the call; a case or dispute is created in the same transaction."""
    if call.disposition is not None:
        raise Conflict("call.disposed", "该警情已处置 / the call has been disposed of")
    if data.disposition is Disposition.CASE:
        case: Case = case_service.register(db, data=data.case, actor=actor, call_no=call.call_no)
        call.case_id = case.id
    elif data.disposition is Disposition.DISPUTE:
        body = {"source": "call_110", "summary": call.summary, "call_no": call.call_no,
                "station_code": call.station.code, "place": call.address_text,
                "address_code": call.address.code if call.address else None, **data.dispute}
        call.dispute_id = mediation.take_in_from(db, body=body, actor=actor).id
    elif data.disposition is Disposition.GRID:
        # Non-police work goes to the grid of the call's address, which can hand it back (below).
        grid_calls.receive_call(db, call_no=call.call_no, phone=call.caller_phone or "", summary=call.summary,
                                station_code=call.station.code, actor=actor,
                                address_code=call.address.code if call.address else None,
                                address_text=None if call.address else call.address_text, grid_code=data.grid_code)
    elif data.disposition is Disposition.REPEAT and call.repeat_of_id is None:
        raise Conflict("call.not_repeat", "30日内没有同一电话或地址的警情 / no earlier call to repeat")
    call.disposition, call.disposed_at, call.disposed_by_id = data.disposition, clock.now(), actor.id
    call.disposition_note = data.note or None
    audit.record(db, actor=actor, action=Action.CALL_DISPOSED, entity=call, unit_id=call.station_id,
                 data={"disposition": data.disposition.value, "case_id": call.case_id, "dispute_id": call.dispute_id})
    db.flush()
    if call.grid_report_id is not None:
        # The grid hears what became of its report (its officer then feeds back to the reporter).
        handover.hand_over(db, handover.GRID_REPORT_OUTCOME, report_id=call.grid_report_id, call_no=call.call_no,
                           disposition=data.disposition.value, case_number=_case_number(db, call),
                           dispute_id=call.dispute_id, note=data.note, actor=actor)
    return call


def _case_number(db: Session, call: Call) -> str | None:
    return db.get(Case, call.case_id).number if call.case_id is not None else None


@grid_calls.on_returned
def _returned_by_grid(db: Session, handed) -> None:
    """A call the grid hands back is police work after all: it waits at the station to be disposed of again,
    with the grid's reason."""
    call = repo.call_by_no(db, handed.call_no)
    if call is None or call.disposition is not Disposition.GRID:
        return
    call.disposition = call.disposed_at = call.disposed_by_id = None
    call.disposition_note = f"网格退回：{handed.return_reason}"[:2000]
    audit.record(db, actor=None, action=Action.CALL_RETURNED, entity=call, unit_id=call.station_id,
                 data={"reason": handed.return_reason})
