"""Mediation business rules: take in a dispute, hold sessions, record the community officer's follow-up and
the return visit, close; each step through the status table, with its clocks, timeline, audit and notices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import ErrorDetail, NotFound, ValidationFailed, not_found
from pingan.core.schemas import invalid_request, parse
from pingan.mediation import agreement_pdf, clocks
from pingan.mediation import repository as repo
from pingan.mediation.models import (
    Agreement,
    Dispute,
    DisputeEvent,
    DisputeStatus,
    FollowUp,
    FollowUpKind,
    MediationSession,
    Mediator,
    Outcome,
    Party,
    Room,
)
from pingan.mediation.schemas import AgreementIn, DisputeIn, FollowUpIn, SessionIn
from pingan.mediation.settings import get_mediation_settings
from pingan.mediation.transitions import next_status
from pingan.mediation.vocabulary import (
    CATEGORY_LABELS,
    FOLLOW_UP_ACTIONS,
    FOLLOW_UP_CLOCKS,
    SESSION_ACTIONS,
    Action,
    Clock,
    Topic,
)
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.places import service as places
from pingan.platform.records import Record
from pingan.platform.users.models import User


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def _event(db: Session, dispute: Dispute, kind: str, actor: User | None, note: str | None = None,
           data: dict | None = None) -> None:
    db.add(DisputeEvent(dispute_id=dispute.id, at=clock.now(), kind=kind, note=note or None, data=data,
                        actor_name=actor.display_name if actor else "system"))


def _station(db: Session, actor: User, data: DisputeIn) -> tuple[OrgUnit, OrgUnit | None]:
    try:
        station = org_service.get_unit(db, data.station_code)
    except NotFound:
        raise _invalid("station_code", "station.unknown", "派出所不存在 / no such station") from None
    if station.kind is not UnitKind.STATION:
        raise _invalid("station_code", "station.not_station", "须为派出所代码 / must be a police station")
    community = None
    if data.community_code:
        community = next((u for u in org_service.subtree(db, station)
                          if u.code == data.community_code and u.kind is UnitKind.COMMUNITY), None)
        if community is None:
            raise _invalid("community_code", "community.not_in_station",
                           "该社区不属于所选派出所 / the community is not in the station's area")
    visible = access.visible_unit_ids(db, actor)
    if visible is not None and station.id not in visible and (community is None or community.id not in visible):
        raise not_found("unit", "单位")
    return station, community


def _address(db: Session, code: str, station: OrgUnit):
    """The picked standard address, which must lie in the station's area."""
    address = places.resolve(db, code)
    if not address.grid.path.startswith(station.path):
        raise _invalid("address_code", "address.not_in_station",
                       "该标准地址不在所选派出所辖区 / the address is not in the station's area")
    return address


def take_in(db: Session, *, data: DisputeIn, actor: User) -> Dispute:
    """Register a dispute with its parties (each in the people register, by ID number or by phone), start its
    same-day and closing clocks, link it to an earlier dispute of the same parties (the register's look-up)."""
    station, community = _station(db, actor, data)
    room = db.get(Room, data.room_id) if data.room_id is not None else None
    if data.room_id is not None and (room is None or room.station_id != station.id):
        raise _invalid("room_id", "room.unknown", "该派出所没有这个调解室 / no such room at the station")
    chosen = [db.get(Mediator, i) for i in dict.fromkeys(data.mediator_ids)]
    for i, mediator in enumerate(chosen):
        if mediator is None or mediator.station_id != station.id:
            raise _invalid(f"mediator_ids[{i}]", "mediator.unknown", "调解员不存在 / no such mediator at the station")
    address = _address(db, data.address_code, station) if data.address_code else None
    now = clock.now()
    window = dt.timedelta(days=get_mediation_settings().secondary_window_days)
    # The register's look-up: a party's ID number, else a phone (a party who gave only a phone counts too).
    match = people.earlier_record(db, kind="mediation.dispute", since=now - window,
                                  id_numbers={p.id_number for p in data.parties if p.id_number},
                                  phones={p.phone for p in data.parties if p.phone})
    earlier = db.get(Dispute, int(match.appearance.record_id)) if match is not None else None
    dispute = Dispute(
        station_id=station.id, community_id=community.id if community else None, source=data.source,
        category=data.category, status=DisputeStatus.PENDING, summary=data.summary,
        place=data.place or (address.text if address else None), address=address,
        call_no=data.call_no, room=room, scheduled_at=data.scheduled_at, received_at=now,
        created_by_id=actor.id, mediators=[m for m in chosen if m is not None],
        parties=[Party(position=i, name=p.name, id_number=p.id_number, phone=p.phone, address=p.address)
                 for i, p in enumerate(data.parties)],
        secondary_of_id=earlier.id if earlier else None, is_secondary=earlier is not None,
    )
    db.add(dispute)
    db.flush()
    for i, party in enumerate(data.parties):  # every party has an ID number or a phone (DisputeIn)
        people.seen(db, id_number=party.id_number, name=party.name, role=PersonRole.PARTY,
                    record=Record("mediation", "dispute", dispute.id), unit=community or station, at=now,
                    phone=party.phone, link=clocks.link(dispute), actor=actor, field=f"parties[{i}].id_number")
    if address is not None:
        places.mentioned(db, address=address, record=Record("mediation", "dispute", dispute.id),
                         unit_id=(community or station).id, at=now, link=clocks.link(dispute))
    _event(db, dispute, "intake", actor, data.summary[:200], {"source": data.source.value})
    if earlier is not None:
        _link_secondary(db, dispute, earlier, actor)
    clocks.start_intake_clocks(db, dispute)
    audit.record(db, actor=actor, action=Action.DISPUTE_CREATED, entity=dispute,
                 data={"source": data.source.value, "category": data.category.value,
                       "parties": len(data.parties), "secondary_of": dispute.secondary_of_id})
    return dispute


def take_in_from(db: Session, *, body: dict, actor: User) -> Dispute:
    """`take_in` for another module's hand-over (a 110 call disposed of as a dispute): the body as the API
    takes it, checked here, so its 422s name the dispute's own fields."""
    return take_in(db, data=parse(DisputeIn, body), actor=actor)


def categories() -> dict[str, str]:
    """The dispute types `take_in_from` accepts, with their Chinese names (another module's hand-over form)."""
    return {k.value: label for k, label in CATEGORY_LABELS.items()}


def linked_secondary_of(dispute: Dispute) -> int | None:
    """The earlier dispute's id as the dispute's readers may see it: only when both lie at the same station.
    Another station's dispute is flagged but never named (its id would point into another jurisdiction)."""
    earlier = dispute.secondary_of
    return earlier.id if earlier is not None and earlier.station_id == dispute.station_id else None


def _link_secondary(db: Session, dispute: Dispute, earlier: Dispute, actor: User) -> None:
    if earlier.station_id == dispute.station_id:
        this_side, that_side = f"与纠纷 #{earlier.id} 当事人相同", f"当事人再次发生纠纷 #{dispute.id}"
        ids = {"secondary_of": earlier.id}, {"dispute_id": dispute.id}
    else:
        this_side, that_side = "与其他派出所受理的纠纷当事人相同", "当事人在其他派出所再次发生纠纷"
        ids = {}, {}
    _event(db, dispute, "secondary", actor, f"{this_side}，标记为次生纠纷", ids[0])
    _event(db, earlier, "secondary_linked", actor, that_side, ids[1])
    notify.publish(db, topic=Topic.DISPUTE_RECURRED, unit_id=dispute.station_id, link=clocks.link(dispute),
                   title=f"次生纠纷：#{dispute.id} {this_side}",
                   payload={"dispute_id": dispute.id, **ids[0]})


def _open_session(dispute: Dispute) -> MediationSession | None:
    return next((s for s in reversed(dispute.sessions) if s.outcome is None), None)


def _session_begins(db: Session, dispute: Dispute, actor: User, room_id: int | None) -> MediationSession:
    """What every session's start means: the same-day clock (first session) and any follow-up are met."""
    now = clock.now()
    room = db.get(Room, room_id) if room_id is not None else dispute.room
    if room_id is not None and (room is None or room.station_id != dispute.station_id):
        raise _invalid("room_id", "room.unknown", "该派出所没有这个调解室 / no such room at the station")
    if dispute.first_session_at is None:
        dispute.first_session_at = now
        clocks.stop(db, dispute, Clock.SAME_DAY)
    clocks.stop(db, dispute, Clock.FOLLOW_UP)
    session = MediationSession(dispute_id=dispute.id, room_id=room.id if room else None, started_at=now,
                               recorded_by_id=actor.id)
    dispute.sessions.append(session)
    db.flush()
    return session


def start_session(db: Session, *, dispute: Dispute, actor: User, room_id: int | None = None) -> MediationSession:
    dispute.status = next_status(dispute.status, "start")
    session = _session_begins(db, dispute, actor, room_id)
    _event(db, dispute, "session.started", actor, session.room.name if session.room else None)
    audit.record(db, actor=actor, action=Action.SESSION_STARTED, entity=dispute, data={"session": session.id})
    return session


def _check_agreement(dispute: Dispute, agreement: AgreementIn) -> None:
    if agreement.performance_due_on < clock.today_local():
        raise _invalid("agreement.performance_due_on", "date.past", "履行期限不能早于今天 / the deadline has passed")
    signed = {s.name for s in agreement.signatures if s.role == "party"}
    missing = [p.name for p in dispute.parties if p.name not in signed]
    if missing:
        raise _invalid("agreement.signatures", "agreement.unsigned_party",
                       f"当事人未签名：{'、'.join(missing)} / not signed by every party")
    if not any(s.role == "mediator" for s in agreement.signatures):
        raise _invalid("agreement.signatures", "agreement.mediator_signature",
                       "调解员须签名 / the mediator must sign")


def record_session(db: Session, *, dispute: Dispute, data: SessionIn, actor: User) -> MediationSession:
    """Record a session's outcome: settled (with its agreement), unsettled or parties absent."""
    status = next_status(dispute.status, data.outcome.value)
    if data.agreement is not None:
        _check_agreement(dispute, data.agreement)
    session = _open_session(dispute) or _session_begins(db, dispute, actor, data.room_id)
    now = clock.now()
    session.ended_at, session.outcome, session.note = now, data.outcome, data.note or None
    dispute.status = status
    if data.outcome is Outcome.SETTLED:
        a = data.agreement
        dispute.settled_at = now
        dispute.agreement = Agreement(session_id=session.id, facts=a.facts,
                         responsibilities=a.responsibilities, obligations=a.obligations,
                         performance_method=a.performance_method, performance_place=a.performance_place,
                         performance_due_on=a.performance_due_on, signed_on=clock.today_local(),
                         signatures=[{**s.model_dump(), "signed_at": now.isoformat()} for s in a.signatures])
        clocks.start_after_settlement(db, dispute, a.performance_due_on)
    else:
        clocks.start_follow_up(db, dispute)
    _event(db, dispute, f"session.{data.outcome.value}", actor, data.note, {"session": session.id})
    audit.record(db, actor=actor, action=SESSION_ACTIONS[data.outcome], entity=dispute,
                 note=data.note or None, data={"session": session.id})
    db.flush()
    return session


def record_follow_up(db: Session, *, dispute: Dispute, data: FollowUpIn, actor: User) -> FollowUp:
    """The community officer's follow-up of an unsettled dispute, or the return visit after a settlement."""
    kind = data.kind or (FollowUpKind.RETURN_VISIT if dispute.status is DisputeStatus.SETTLED
                         else FollowUpKind.FOLLOW_UP)
    status = next_status(dispute.status, kind.value)
    deadline = clocks.stop(db, dispute, FOLLOW_UP_CLOCKS[kind])
    now = clock.now()
    on_time = deadline is None or now <= deadline.due_at
    performed = data.agreement_performed if kind is FollowUpKind.RETURN_VISIT else None
    if performed and dispute.agreement is not None and dispute.agreement.performed_on is None:
        dispute.agreement.performed_on = clock.today_local()
        clocks.stop(db, dispute, Clock.PERFORMANCE)
    dispute.status = status
    follow_up = FollowUp(dispute_id=dispute.id, kind=kind, at=now, note=data.note, on_time=on_time,
                         agreement_performed=performed, by_id=actor.id)
    dispute.follow_ups.append(follow_up)
    _event(db, dispute, kind.value, actor, data.note, {"on_time": on_time, "agreement_performed": performed})
    audit.record(db, actor=actor, action=FOLLOW_UP_ACTIONS[kind], entity=dispute, note=data.note,
                 data={"on_time": on_time, "agreement_performed": performed})
    db.flush()
    return follow_up


def close(db: Session, *, dispute: Dispute, reason: str, actor: User) -> Dispute:
    dispute.status = next_status(dispute.status, "close")
    dispute.closed_at, dispute.close_reason = clock.now(), reason
    clocks.stop_all(db, dispute)
    _event(db, dispute, "closed", actor, reason)
    audit.record(db, actor=actor, action=Action.DISPUTE_CLOSED, entity=dispute, note=reason)
    return dispute


def view(db: Session, *, user: User, dispute_id: int) -> Dispute:
    """A dispute with its parties for a person to read: the read is in the audit trail."""
    dispute = repo.get_dispute(db, user, dispute_id)
    audit.record(db, actor=user, action=Action.DISPUTE_VIEWED, entity=dispute,
                 data={"parties": len(dispute.parties)})
    return dispute


def add_room(db: Session, *, station: OrgUnit, name: str, actor: User | None) -> Room:
    room = Room(station_id=station.id, name=name)
    db.add(room)
    audit.record(db, actor=actor, action=Action.ROOM_CREATED, entity=room)
    return room


def add_mediator(db: Session, *, station: OrgUnit, name: str, kind, actor: User | None,
                 user: User | None = None) -> Mediator:
    mediator = Mediator(station_id=station.id, name=name, kind=kind, user_id=user.id if user else None)
    db.add(mediator)
    audit.record(db, actor=actor, action=Action.MEDIATOR_CREATED, entity=mediator)
    return mediator


def print_agreement(db: Session, *, user: User, dispute_id: int) -> bytes:
    """The agreement as a PDF; printing shows the parties' ID numbers, so it is audited like a view."""
    dispute = repo.get_dispute(db, user, dispute_id)
    pdf = agreement_pdf.render_agreement(dispute)
    audit.record(db, actor=user, action=Action.AGREEMENT_PRINTED, entity=dispute)
    return pdf
