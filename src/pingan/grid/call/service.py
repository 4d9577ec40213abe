"""Handed-call steps: receive a non-police 110 call from the station (``receive_call``, what the cases module
calls), accept, handle, feed back (to the caller and the station), close, call back the day after, or return it
to the station with a reason. The same phone or standard address again within 30 days is flagged on both sides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed
from pingan.core.schemas import invalid_request
from pingan.grid import clocks, timeline
from pingan.grid import repository as repo
from pingan.grid.call.transitions import next_status
from pingan.grid.models import CallStatus, HandedCall, Member, MemberKind, MemberStatus
from pingan.grid.settings import get_grid_settings
from pingan.grid.vocabulary import Action, Clock, Topic
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import matching
from pingan.platform.places import service as places
from pingan.platform.places.models import Address
from pingan.platform.records import Record
from pingan.platform.users.models import Role, User

# What the handing side wants to hear when a call goes back to it: fn(db, call), in the same transaction.
# The cases module registers here once it lands; until then the station hears it through its notices.
ReturnHandler = Callable[[Session, HandedCall], None]
_return_handlers: list[ReturnHandler] = []


def on_returned(handler: ReturnHandler) -> ReturnHandler:
    if handler not in _return_handlers:
        _return_handlers.append(handler)
    return handler


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _station(db: Session, actor: User, code: str) -> OrgUnit:
    try:
        station = org_service.get_unit(db, code)
    except NotFound:
        raise _invalid("station_code", "station.unknown", "派出所不存在 / no such station") from None
    if station.kind is not UnitKind.STATION:
        raise _invalid("station_code", "station.not_station", "须为派出所代码 / must be a police station")
    access.ensure_unit_visible(db, actor, station.id, "station", "派出所")
    return station


def _place(db: Session, actor: User, address_code: str | None, address_text: str | None,
           grid_code: str | None) -> tuple[OrgUnit, Address | None]:
    """The grid of the call's address (picked, matched from the text) or the grid named."""
    address = None
    if address_code:
        address = places.resolve(db, address_code)
    elif address_text:
        best = matching.match(db, actor, address_text, limit=1)
        if best and best[0].score >= get_grid_settings().address_match_score:
            address = best[0].address
    if grid_code:
        grid = repo.grid_by_code(db, grid_code)
        if grid is None:
            raise _invalid("grid_code", "grid.unknown", "没有这个网格 / no such grid")
        return grid, address
    if address is None:
        raise _invalid("address_text", "address.no_grid",
                       "无法确定该地址所属网格，请选择标准地址或网格 / pick a standard address or a grid")
    return address.grid, address


def grid_worker(db: Session, grid_id: int) -> User | None:
    """The grid's worker who signs in: its active grid-worker member first, else a grid-worker user of the grid."""
    member = db.scalar(select(Member).where(Member.grid_id == grid_id, Member.kind == MemberKind.GRID_WORKER,
                                            Member.status == MemberStatus.ACTIVE, Member.user_id.is_not(None))
                       .order_by(Member.id).limit(1))
    if member is not None:
        return db.get(User, member.user_id)
    return db.scalar(select(User).where(User.role == Role.GRID_WORKER, User.unit_id == grid_id, User.is_active)
                     .order_by(User.id).limit(1))


def receive_call(db: Session, *, call_no: str, phone: str, summary: str, station_code: str, actor: User,
                 address_code: str | None = None, address_text: str | None = None, grid_code: str | None = None,
                 is_complex: bool = False) -> HandedCall:
    """Hand a non-police 110 call to the grid of its address; handing the same call again returns it."""
    station = _station(db, actor, station_code)
    existing = repo.call_by_no(db, call_no)
    if existing is not None:
        if existing.status is CallStatus.RETURNED or existing.station_id != station.id:
            raise Conflict("call.already_handed", "该警情已分流过 / the call was handed over before")
        return existing
    grid, address = _place(db, actor, address_code, address_text, grid_code)
    now = clock.now()
    window = dt.timedelta(days=get_grid_settings().repeat_window_days)
    earlier = repo.earlier_call(db, phone=phone, address_id=address.id if address else None, since=now - window)
    call = HandedCall(call_no=call_no, phone=phone, summary=summary, address_id=address.id if address else None,
                      address_text=address_text or (address.text if address else None), grid_id=grid.id,
                      station_id=station.id, status=CallStatus.RECEIVED, is_complex=is_complex, received_at=now,
                      handed_by_id=actor.id, repeat_of_id=earlier.id if earlier else None,
                      is_repeat=earlier is not None)
    db.add(call)
    db.flush()
    if address is not None:
        places.mentioned(db, address=address, record=Record("grid", "call", call.id), unit_id=grid.id, at=now,
                         link=clocks.link(call))
    worker = grid_worker(db, grid.id)
    timeline.add(db, call, "received", actor, summary[:200], {"call_no": call_no, "station": station.code})
    if earlier is not None:
        _flag_repeat(db, call, earlier, actor)
    clocks.start_call_clocks(db, call, worker)
    notify.publish(db, topic=Topic.CALL_RECEIVED, unit_id=grid.id, user_id=worker.id if worker else None,
                   link=clocks.link(call), title=f"分流警情：{call_no} {summary[:40]}",
                   payload={"call_id": call.id, "call_no": call_no, "repeat": call.is_repeat})
    audit.record(db, actor=actor, action=Action.CALL_RECEIVED, entity=call, unit_id=grid.id,
                 data={"call_no": call_no, "station": station.code, "grid": grid.code,
                       "repeat_of": call.repeat_of_id})
    return call


def _flag_repeat(db: Session, call: HandedCall, earlier: HandedCall, actor: User) -> None:
    same = "同一号码" if earlier.phone == call.phone else "同一地址"
    timeline.add(db, call, "repeat", actor, f"{same}30日内再次来电（警情 {earlier.call_no}）",
                 {"repeat_of": earlier.id})
    timeline.add(db, earlier, "repeat_linked", actor, f"{same}再次来电（警情 {call.call_no}）", {"call": call.id})
    for unit_id in dict.fromkeys((call.station_id, call.grid_id)):
        notify.publish(db, topic=Topic.CALL_REPEATED, unit_id=unit_id, link=clocks.link(call),
                       title=f"重复来电：{call.call_no}（{same}，前次 {earlier.call_no}）",
                       payload={"call_id": call.id, "repeat_of": earlier.id, "call_no": call.call_no})


def _step(db: Session, call: HandedCall, event: str, action: Action, actor: User, note: str | None,
          data: dict | None = None) -> None:
    timeline.add(db, call, {"accept": "accepted", "handle": "handled", "feedback": "fed_back", "close": "closed",
                            "call_back": "called_back", "return": "returned"}[event], actor, note, data)
    audit.record(db, actor=actor, action=action, entity=call, unit_id=call.grid_id, note=note or None, data=data)


def accept(db: Session, *, call: HandedCall, note: str, actor: User) -> HandedCall:
    call.status = next_status(call.status, "accept")
    call.accepted_at = clock.now()
    clocks.met(db, call, Clock.CALL_ACCEPT)
    _step(db, call, "accept", Action.CALL_ACCEPTED, actor, note)
    return call


def handle(db: Session, *, call: HandedCall, handling: str, actor: User) -> HandedCall:
    call.status = next_status(call.status, "handle")
    call.handled_at, call.handling = clock.now(), handling
    _step(db, call, "handle", Action.CALL_HANDLED, actor, handling)
    return call


def feedback(db: Session, *, call: HandedCall, text: str, actor: User) -> HandedCall:
    """Feedback to the caller, and to the station that handed the call over."""
    call.status = next_status(call.status, "feedback")
    call.fed_back_at, call.feedback = clock.now(), text
    deadline = clocks.met(db, call, Clock.CALL_FEEDBACK)
    call.feedback_on_time = deadline is None or call.fed_back_at <= deadline.due_at
    notify.publish(db, topic=Topic.CALL_FED_BACK, unit_id=call.station_id, link=clocks.link(call),
                   title=f"分流警情已反馈：{call.call_no}", body=text[:200],
                   payload={"call_id": call.id, "call_no": call.call_no, "on_time": call.feedback_on_time})
    _step(db, call, "feedback", Action.CALL_FED_BACK, actor, text, {"on_time": call.feedback_on_time})
    return call


def close(db: Session, *, call: HandedCall, note: str, actor: User) -> HandedCall:
    """Closing starts the call-back clock: the community officer calls the caller back the next day."""
    call.status = next_status(call.status, "close")
    call.closed_at = clock.now()
    clocks.stop_all(db, call)
    clocks.start_call_back(db, call, repo.officer_of(db, call.grid))
    _step(db, call, "close", Action.CALL_CLOSED, actor, note)
    return call


def call_back(db: Session, *, call: HandedCall, note: str, satisfied: bool, actor: User) -> HandedCall:
    call.status = next_status(call.status, "call_back")
    call.called_back_at, call.call_back_note = clock.now(), note
    clocks.met(db, call, Clock.CALL_BACK)
    _step(db, call, "call_back", Action.CALL_CALLED_BACK, actor, note, {"satisfied": satisfied})
    return call


def return_call(db: Session, *, call: HandedCall, reason: str, actor: User) -> HandedCall:
    """Police work after all: the call goes back to its station with the reason (notice and handlers)."""
    call.status = next_status(call.status, "return")
    call.returned_at, call.return_reason = clock.now(), reason
    clocks.stop_all(db, call)
    notify.publish(db, topic=Topic.CALL_RETURNED, unit_id=call.station_id, link=clocks.link(call),
                   title=f"网格退回警情：{call.call_no}", body=reason[:200],
                   payload={"call_id": call.id, "call_no": call.call_no, "reason": reason})
    for handler in _return_handlers:
        handler(db, call)
    _step(db, call, "return", Action.CALL_RETURNED, actor, reason)
    return call


def by_call_no(db: Session, call_no: str) -> HandedCall | None:
    """The handed call of a 110 call number, for the handing module (no jurisdiction: it handed it)."""
    return repo.call_by_no(db, call_no)


def view(db: Session, *, user: User, call_id: int) -> HandedCall:
    call = repo.get_call(db, user, call_id)
    audit.record(db, actor=user, action=Action.CALL_VIEWED, entity=call, unit_id=call.grid_id)
    return call
