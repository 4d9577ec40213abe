"""Fugitive steps: register a fugitive on a case (in the people register and on the fugitives watch list),
and end the record: caught (the suspect is detained and the case moves on to solved), dead or revoked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.case import service as case_service
from pingan.cases.case.transitions import allowed
from pingan.cases.fugitive import register
from pingan.cases.models import Fugitive, FugitiveStatus, PersonKind, SuspectStatus
from pingan.cases.schemas import FugitiveEndIn, FugitiveIn, PersonIn, StepIn
from pingan.cases.vocabulary import Action
from pingan.core import clock
from pingan.core.errors import Conflict
from pingan.platform.audit import service as audit
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.records import Record
from pingan.platform.users.models import User

ENDINGS = {"arrest": FugitiveStatus.CAUGHT, "dead": FugitiveStatus.DEAD, "revoke": FugitiveStatus.REVOKED}


def link(fugitive: Fugitive) -> str:
    return f"/cases/fugitives/{fugitive.id}"


def register_fugitive(db: Session, *, data: FugitiveIn, actor: User) -> Fugitive:
    case = repo.get_case(db, actor, data.case_id)
    if data.wanted_since > clock.today_local():
        raise case_service.invalid("wanted_since", "date.future", "上网追逃日期不能晚于今天 / cannot be in the future")
    if any(f.case_id == case.id for f in repo.at_large_with(db, data.id_number)):
        raise Conflict("fugitive.registered", "该人员已作为本案在逃人员登记 / already registered on this case")
    now = clock.now()
    fugitive = Fugitive(case_id=case.id, station_id=case.station_id, name=data.name, id_number=data.id_number,
                        wanted_since=data.wanted_since, danger=data.danger, last_known_places=data.last_known_places,
                        status=FugitiveStatus.AT_LARGE, registered_at=now, note=data.note or None, case=case)
    db.add(fugitive)
    db.flush()
    if not any(p.id_number == data.id_number and p.kind is PersonKind.SUSPECT for p in case.persons):
        case_service.add_person(db, case=case, actor=actor, data=PersonIn(
            kind=PersonKind.SUSPECT, name=data.name, id_number=data.id_number, suspect_status=SuspectStatus.AT_LARGE))
    people.seen(db, id_number=data.id_number, name=data.name, role=PersonRole.FUGITIVE,
                record=Record("cases", "fugitive", fugitive.id), unit=case.station_id, at=now, link=link(fugitive),
                actor=actor)
    register.watch_for(db, fugitive, actor=actor)
    case_service.event(db, case, "fugitive", actor, data.name, {"fugitive_id": fugitive.id})
    audit.record(db, actor=actor, action=Action.FUGITIVE_REGISTERED, entity=fugitive, unit_id=case.station_id,
                 data={"case": case.number, "danger": data.danger.value})
    return fugitive


def end(db: Session, *, fugitive: Fugitive, how: str, data: FugitiveEndIn, actor: User) -> Fugitive:
    """Caught, dead or revoked: off the watch list; an arrest detains the suspect and solves the case."""
    if fugitive.status is not FugitiveStatus.AT_LARGE:
        raise Conflict("fugitive.ended", "该在逃人员已销案 / the fugitive record is closed")
    fugitive.status, fugitive.ended_at = ENDINGS[how], clock.now()
    fugitive.caught_place = data.place or None
    register.stop_watching(db, fugitive, actor=actor)
    case = fugitive.case
    if how == "arrest":
        for person in case.persons:
            if person.id_number == fugitive.id_number and person.kind is PersonKind.SUSPECT:
                person.suspect_status = SuspectStatus.DETAINED
        case_service.event(db, case, "fugitive.caught", actor, data.place or fugitive.name,
                           {"fugitive_id": fugitive.id})
        if allowed(case.status, "investigate"):
            case_service.step(db, case=case, name="investigate", data=StepIn(note="抓获在逃人员"), actor=actor)
        if allowed(case.status, "solve"):
            case_service.step(db, case=case, name="solve", data=StepIn(note=f"抓获在逃人员{fugitive.name}"),
                              actor=actor)
    audit.record(db, actor=actor, action=Action.FUGITIVE_ENDED, entity=fugitive, unit_id=fugitive.station_id,
                 data={"status": fugitive.status.value, "case": case.number, "link": clocks.case_link(case)})
    return fugitive
