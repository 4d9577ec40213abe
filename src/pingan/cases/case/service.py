"""Case steps: register a case (numbered ``{station}-{year}-{seq}``) with its legal clocks, take each step of
the status table, change the filing track or extend a public-order case with approval, and add the people on
the case through the people register. Every step is on the case's timeline and in the audit trail."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.case.transitions import EVENT_NAMES, next_status
from pingan.cases.models import (
    Case,
    CaseEvent,
    CaseKind,
    CasePerson,
    CaseStatus,
    FilingTrack,
    PersonKind,
    SuspectStatus,
)
from pingan.cases.schemas import CaseIn, PersonIn, PersonStatusIn, StepIn
from pingan.cases.settings import get_cases_settings
from pingan.cases.vocabulary import Action, Clock
from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed, not_found
from pingan.core.schemas import invalid_request
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.records import Record
from pingan.platform.users.models import User

STEP_ACTIONS = {"file": Action.CASE_FILED, "not_file": Action.CASE_NOT_FILED, "investigate": Action.CASE_INVESTIGATED,
                "solve": Action.CASE_SOLVED, "transfer": Action.CASE_TRANSFERRED, "close": Action.CASE_CLOSED,
                "withdraw": Action.CASE_WITHDRAWN}
# Steps that must give their reason.
_REASONED = frozenset({"not_file", "withdraw"})
_PERSON_ROLES = {PersonKind.SUSPECT: PersonRole.SUSPECT, PersonKind.VICTIM: PersonRole.VICTIM,
                 PersonKind.WITNESS: PersonRole.WITNESS}


def invalid(field: str, code: str, message: str) -> ValidationFailed:
    return invalid_request([ErrorDetail(field, code, message)])


def event(db: Session, case: Case, kind: str, actor: User | None, note: str | None = None,
          data: dict | None = None) -> None:
    case.events.append(CaseEvent(at=clock.now(), kind=kind, note=note or None, data=data,
                                 actor_name=actor.display_name if actor else "system"))


def station(db: Session, actor: User, code: str, *, field: str = "station_code") -> OrgUnit:
    """The police station of ``code`` in the actor's jurisdiction: 422 when unknown, 404 when another's."""
    try:
        unit = org_service.get_unit(db, code)
    except NotFound:
        raise invalid(field, "station.unknown", "派出所不存在 / no such station") from None
    if unit.kind is not UnitKind.STATION:
        raise invalid(field, "station.not_station", "须为派出所代码 / must be a police station")
    visible = access.visible_unit_ids(db, actor)
    inside = actor.unit is not None and actor.unit.path.startswith(unit.path)  # a community officer's station
    if visible is not None and unit.id not in visible and not inside:
        raise not_found("unit", "单位")
    return unit


def _community(db: Session, unit: OrgUnit, code: str | None) -> OrgUnit | None:
    if not code:
        return None
    found = next((u for u in org_service.subtree(db, unit) if u.code == code and u.kind is UnitKind.COMMUNITY), None)
    if found is None:
        raise invalid("community_code", "community.not_in_station",
                      "该社区不属于所选派出所 / the community is not in the station's area")
    return found


def _assignee(db: Session, username: str | None) -> User | None:
    if not username:
        return None
    try:
        return auth.get_user(db, username)
    except NotFound:
        raise invalid("assignee_username", "user.unknown", "没有这个用户 / no such user") from None


def register(db: Session, *, data: CaseIn, actor: User, call_no: str | None = None) -> Case:
    """受案: the case is numbered and received; its filing clock (and a public-order case's 30 days) start."""
    unit = station(db, actor, data.station_code)
    community = _community(db, unit, data.community_code)
    if community is None and actor.unit is not None and actor.unit.kind is UnitKind.COMMUNITY \
            and actor.unit.path.startswith(unit.path):
        community = actor.unit  # the community officer's own case stays in their sight
    now = clock.now()
    if data.occurred_at > now:
        raise invalid("occurred_at", "date.future", "案发时间不能晚于现在 / the case cannot happen in the future")
    year = clock.local(now).year
    seq = repo.next_seq(db, unit.id, year)
    case = Case(number=f"{unit.code}-{year}-{seq:04d}", station_id=unit.id, year=year, seq=seq,
                community_id=community.id if community else None, kind=data.kind, category=data.category,
                status=CaseStatus.RECEIVED, title=data.title, summary=data.summary, occurred_at=data.occurred_at,
                received_at=now, small=data.small, assignee_id=(a := _assignee(db, data.assignee_username)) and a.id,
                created_by_id=actor.id)
    db.add(case)
    db.flush()
    event(db, case, "received", actor, data.title, {"call_no": call_no} if call_no else None)
    clocks.start_intake(db, case)
    audit.record(db, actor=actor, action=Action.CASE_CREATED, entity=case, unit_id=unit.id,
                 data={"number": case.number, "kind": data.kind.value, "category": data.category.value,
                       "call_no": call_no})
    return case


def step(db: Session, *, case: Case, name: str, data: StepIn, actor: User) -> Case:
    """One step of the status table; a refused step is a 409 and changes nothing."""
    status = next_status(case.status, name)
    if name in _REASONED and not data.note:
        raise invalid("note", "required", "请填写理由 / give the reason")
    now = clock.now()
    case.status = status
    if name == "file":
        case.filed_at = now
    elif name == "solve":
        case.solved_at = now
    elif name == "transfer":
        case.transferred_at = now
    elif name == "close":
        case.closed_at = now
    elif name == "withdraw":
        case.withdrawn_at = now
    _clocks_after(db, case, name)
    event(db, case, EVENT_NAMES[name], actor, data.note)
    audit.record(db, actor=actor, action=STEP_ACTIONS[name], entity=case, unit_id=case.station_id,
                 note=data.note or None, data={"status": status.value})
    db.flush()
    return case


def _clocks_after(db: Session, case: Case, name: str) -> None:
    if name in ("file", "not_file"):
        clocks.stop(db, case, Clock.FILING)
    if name == "solve":
        clocks.stop(db, case, Clock.SMALL_CASE)
        if case.kind is CaseKind.ADMINISTRATIVE:
            clocks.stop(db, case, Clock.PUBLIC_ORDER)
    if name in ("close", "withdraw"):
        clocks.stop_all(db, case, met=name == "close")


def retrack(db: Session, *, case: Case, track: FilingTrack, data: StepIn, actor: User) -> Case:
    """The filing decision needs longer: 7 days to check clues, 30 for a complex case (approval named)."""
    if case.status is not CaseStatus.RECEIVED:
        raise Conflict("case.decided", "立案决定已作出 / the filing decision has been made")
    if track is FilingTrack.COMPLEX and not data.approver:
        raise invalid("approver", "required", "重大复杂案件延长须经批准 / a complex case needs the approval")
    order = list(FilingTrack)
    if order.index(track) <= order.index(case.filing_track):
        raise Conflict("case.track", "只能延长，不能缩短审查期限 / the limit can only grow")
    case.filing_track = track
    deadline = clocks.restart(db, case, Clock.FILING, clocks.filing_days(track))
    event(db, case, "retracked", actor, data.note, {"track": track.value, "approver": data.approver,
                                                   "due_at": deadline.due_at.isoformat()})
    audit.record(db, actor=actor, action=Action.CASE_RETRACKED, entity=case, unit_id=case.station_id,
                 data={"track": track.value, "approver": data.approver})
    return case


def extend(db: Session, *, case: Case, data: StepIn, actor: User) -> Case:
    """A public-order case's 30 days extended once by 30, with the higher bureau's approval."""
    if case.kind is not CaseKind.ADMINISTRATIVE:
        raise Conflict("case.not_public_order", "只有治安案件可以延长办案期限 / only a public-order case is extended")
    if case.extended:
        raise Conflict("case.extended", "办案期限已延长过一次 / the limit was already extended")
    if case.status in (CaseStatus.SOLVED, CaseStatus.TRANSFERRED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN,
                       CaseStatus.NOT_FILED):
        raise Conflict("case.decided", "案件已办结 / the case is decided")
    if not data.approver:
        raise invalid("approver", "required", "延长须经上级公安机关批准 / an extension needs the approval")
    s = get_cases_settings()
    case.extended = True
    deadline = clocks.restart(db, case, Clock.PUBLIC_ORDER, s.public_order_days + s.public_order_extension_days)
    event(db, case, "extended", actor, data.note, {"approver": data.approver, "due_at": deadline.due_at.isoformat()})
    audit.record(db, actor=actor, action=Action.CASE_EXTENDED, entity=case, unit_id=case.station_id,
                 data={"approver": data.approver})
    return case


def add_person(db: Session, *, case: Case, data: PersonIn, actor: User) -> CasePerson:
    """A suspect, victim or witness on the case, in the people register in the same transaction."""
    now = clock.now()
    status = data.suspect_status or (SuspectStatus.AT_LARGE if data.kind is PersonKind.SUSPECT else None)
    person = CasePerson(case_id=case.id, kind=data.kind, name=data.name, id_number=data.id_number, phone=data.phone,
                        suspect_status=status, loss=data.loss, note=data.note or None, added_at=now)
    case.persons.append(person)
    db.flush()
    if data.id_number:
        people.seen(db, id_number=data.id_number, name=data.name, role=_PERSON_ROLES[data.kind],
                    record=Record("cases", "case", case.id), unit=case.community_id or case.station_id, at=now,
                    phone=data.phone, link=clocks.case_link(case), actor=actor)
    event(db, case, "person", actor, f"{data.name}", {"kind": data.kind.value, "person_id": person.id})
    audit.record(db, actor=actor, action=Action.PERSON_ADDED, entity=case, unit_id=case.station_id,
                 data={"kind": data.kind.value, "person_id": person.id})
    return person


def set_suspect_status(db: Session, *, case: Case, person_id: int, data: PersonStatusIn, actor: User) -> CasePerson:
    person = next((p for p in case.persons if p.id == person_id), None)
    if person is None:
        raise not_found("person", "涉案人员")
    if person.kind is not PersonKind.SUSPECT:
        raise Conflict("person.not_suspect", "只有嫌疑人有在案状态 / only a suspect has a status")
    before = person.suspect_status
    person.suspect_status = data.suspect_status
    event(db, case, "person.updated", actor, data.note or person.name,
          {"person_id": person.id, "from": before.value if before else None, "to": data.suspect_status.value})
    audit.record(db, actor=actor, action=Action.PERSON_UPDATED, entity=case, unit_id=case.station_id,
                 data={"person_id": person.id, "suspect_status": data.suspect_status.value})
    return person


def view(db: Session, *, user: User, case_id: int) -> Case:
    """A case with its people for a person to read: the read is in the audit trail."""
    case = repo.get_case(db, user, case_id)
    audit.record(db, actor=user, action=Action.CASE_VIEWED, entity=case, unit_id=case.station_id,
                 data={"persons": len(case.persons)})
    return case


def age_years(case: Case) -> int:
    """Whole years since the case happened (decades for a cold homicide)."""
    then, today = clock.local(case.occurred_at).date(), clock.today_local()
    return today.year - then.year - ((today.month, today.day) < (then.month, then.day))
