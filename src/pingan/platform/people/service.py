"""People steps: record appearances (one, or a batch on a hot path), open a person's file with a reason
(audited, masked until an audited reveal), and ask which records repeat a record's people and places.

The contract for modules (docs/register.md): call `seen` in the same transaction as the module's own change;
it validates the ID number, writes the person and the appearance, links repeats and checks watch lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.db import insert_rows
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.core.identity import InvalidIdentity, normalize_phone, parse_resident_id
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit
from pingan.platform.people import repository as repo
from pingan.platform.people.models import Appearance, Person, PersonRole
from pingan.platform.people.permissions import FILE_READERS
from pingan.platform.people.settings import get_people_settings
from pingan.platform.places import repository as places_repo
from pingan.platform.places.models import Mention
from pingan.platform.records import Record, Sighting
from pingan.platform.users.models import User
from pingan.platform.watch import service as watch

_PERSON = Person.__table__
_APPEARANCE = Appearance.__table__


def _invalid(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed("request.invalid", "请求内容不合法 / invalid request", [ErrorDetail(field, code, message)])


def valid_id_number(value: str, *, field: str = "id_number") -> str:
    """The normalised resident ID, or 422 naming ``field`` with the identity check's own code."""
    try:
        return parse_resident_id(value).number
    except InvalidIdentity as exc:
        raise _invalid(field, exc.code, exc.message) from None


def _valid_phone(phone: str | None, field: str) -> str | None:
    if not phone:
        return None
    try:
        return normalize_phone(phone)
    except InvalidIdentity as exc:
        raise _invalid(field.rsplit(".", 1)[0] + ".phone" if "." in field else "phone", exc.code,
                       exc.message) from None


def seen(db: Session, *, id_number: str | None, name: str, role: PersonRole, record: Record,
         unit: OrgUnit | int | None, at: dt.datetime | None = None, phone: str | None = None,
         link: str | None = None, actor: User | None = None, field: str = "id_number") -> Appearance:
    """Record that the person appeared in ``record`` (in the caller's transaction; a repeat call returns the
    first appearance). Links the person's previous repeat-counting record and checks the watch lists.

    A party known by a phone alone (``id_number`` None) is recorded by the phone: no person and no file, no
    watch-list check (lists hold ID numbers), but found by the phone for repeats."""
    number = valid_id_number(id_number, field=field) if id_number else None
    phone = _valid_phone(phone, field)
    if number is None and phone is None:
        raise _invalid(field, "id_number.missing", "请填写身份证号或手机号 / give an ID number or a phone")
    at = at or clock.now()
    record_id = str(record.id)
    existing = repo.appearance(db, id_number=number, phone=phone, module=record.module, kind=record.kind,
                               record_id=record_id, role=role.value)
    if existing is not None:
        return existing
    if number is not None:
        # Two intakes of one new person at once must not collide: the person's row is skipped if it is there.
        insert_rows(db, _PERSON, [{"id_number": number, "name": name, "first_seen_at": at}], skip_existing=True)
    settings = get_people_settings()
    earlier = None
    if record.kind_code in settings.repeat_kind_set:
        earlier = repo.latest_match(db, id_numbers={number} if number else set(), phones={phone} if phone else set(),
                                    kinds=settings.repeat_kind_set,
                                    since=at - dt.timedelta(days=settings.repeat_window_days),
                                    record=(record.module, record.kind, record_id))
    unit_id = unit.id if isinstance(unit, OrgUnit) else unit
    appearance = Appearance(id_number=number, name=name, phone=phone, role=role, module=record.module,
                            record_kind=record.kind, record_id=record_id, unit_id=unit_id,
                            entered_by_id=actor.id if actor else None, link=link, at=at,
                            repeat_of_id=earlier.appearance.id if earlier else None,
                            repeat_by=earlier.by if earlier else None)
    db.add(appearance)
    db.flush()
    if number is not None:
        watch.check(db, [Sighting(number, name, role.value, record.module, record.kind, record_id, unit_id, at,
                                  phone, link, actor.id if actor else None)])
    return appearance


def earlier_record(db: Session, *, kind: str, id_numbers: set[str], phones: set[str], since: dt.datetime
                   ) -> repo.Match | None:
    """The latest record of ``kind`` (``mediation.dispute``) since ``since`` with one of these people, in any
    jurisdiction (the caller decides what its users may learn of it): by ID number first, else by phone.

    How a phone alone weighs: it links (a party who gave only a phone is not lost), but a phone may be shared
    by a family or a shop, so an ID number match always wins over a more recent phone match and the match says
    ``by="phone"``."""
    return repo.latest_match(db, id_numbers=id_numbers, phones={p for p in map(_normal_phone, phones) if p},
                             kinds=frozenset({kind}), since=since)


def _normal_phone(phone: str | None) -> str | None:
    try:
        return normalize_phone(phone) if phone else None
    except InvalidIdentity:
        return None


def seen_many(db: Session, sightings: Sequence[Sighting], *, listed: set[str] | None = None) -> None:
    """`seen` for a batch on a hot path (screenings): the callers have validated the ID numbers; two
    multi-row inserts that skip what is already there (a retried batch changes nothing) and one watch-list
    look-up, none if the caller has looked up already which ID numbers are ``listed`` (`watch.listed`).
    No repeat links: the kinds written this way do not count as repeats."""
    if not sightings:
        return
    people = {s.id_number: {"id_number": s.id_number, "name": s.name, "first_seen_at": s.at} for s in sightings}
    insert_rows(db, _PERSON, list(people.values()), skip_existing=True)
    insert_rows(db, _APPEARANCE, [
        {"id_number": s.id_number, "name": s.name, "phone": s.phone, "role": s.role, "module": s.module,
         "record_kind": s.kind, "record_id": s.record_id, "unit_id": s.unit_id, "entered_by_id": s.entered_by_id,
         "link": s.link, "at": s.at} for s in sightings], skip_existing=True)
    watch.check(db, sightings if listed is None else [s for s in sightings if s.id_number in listed])


@dataclass(frozen=True)
class Fact:
    """One line a module adds to the person's file (租安心: the residence registration and the permit date)."""

    module: str
    label: str
    value: str
    link: str | None = None


# fn(db, user, id_number) -> the module's facts about the person, in the user's scope.
FactSource = Callable[[Session, User, str], list[Fact]]
_FACT_SOURCES: list[FactSource] = []


def register_facts(source: FactSource) -> FactSource:
    """A module adds lines to every person's file (called once, when the module loads)."""
    _FACT_SOURCES.append(source)
    return source


@dataclass(frozen=True)
class PersonFile:
    id_number: str
    name: str
    appearances: list[repo.TimelineItem]
    phones: list[str]
    revealed: bool
    facts: tuple[Fact, ...] = ()
    # Records where someone gave one of the person's phones and no ID number: perhaps them, perhaps not.
    by_phone: tuple[repo.TimelineItem, ...] = ()


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    minimum = get_people_settings().reason_min_chars
    if len(text) < minimum:
        raise _invalid("reason", "reason.too_short",
                       f"请填写查询事由（至少{minimum}个字）/ give the reason for the look-up, "
                       f"at least {minimum} characters")
    if len(text) > 200:
        raise _invalid("reason", "reason.too_long", "查询事由最多200字 / the reason is at most 200 characters")
    return text


def open_file(db: Session, *, user: User, id_number: str, reason: str | None, reveal: bool = False) -> PersonFile:
    """The person's appearances in the user's jurisdiction, newest first. A reason is required and audited;
    ``reveal`` (full ID number and phones) is a separate audited action. None in scope: 404."""
    access.require_role(user, *FILE_READERS)
    text = _reason(reason)
    number = valid_id_number(id_number)
    appearances = repo.timeline(db, user, number, limit=get_people_settings().file_limit)
    person = repo.person(db, number)
    if not appearances or person is None:
        raise not_found("person", "人员")
    audit.record(db, actor=user, action="people.person.viewed", entity=person, note=text,
                 data={"appearances": len(appearances)})
    if reveal:
        audit.record(db, actor=user, action="people.person.revealed", entity=person, note=text)
    phones = list(dict.fromkeys(a.phone for a in appearances if a.phone))
    facts = [fact for source in _FACT_SOURCES for fact in source(db, user, number)]
    by_phone = repo.phone_only(db, user, phones, limit=get_people_settings().file_limit)
    return PersonFile(number, person.name, appearances, phones, reveal, tuple(facts), tuple(by_phone))


@dataclass(frozen=True)
class Repeat:
    """Another record within the window that shares a person (``id_number``) or the address (``address``)."""

    module: str
    kind: str
    record_id: str
    at: dt.datetime
    link: str | None
    unit: str | None
    id_number: str | None = None
    name: str | None = None
    address_id: int | None = None
    phone: str | None = None
    # "id_number", "phone" (the phone alone: perhaps the same person) or "address".
    by: str = "id_number"


def repeats_of(db: Session, *, user: User, record: Record) -> list[Repeat]:
    """Records within the repeat window (before or after) sharing a person or the address with ``record``,
    in the user's jurisdiction; the record itself must be in it (else 404). Audited: it links people."""
    access.require_role(user, *FILE_READERS)
    record_id = str(record.id)
    mine = repo.of_record(db, user, record.module, record.kind, record_id)
    places = places_repo.mentions_of_record(db, user, record.module, record.kind, record_id)
    if not mine and not places:
        raise not_found("record", "记录")
    settings = get_people_settings()
    window = dt.timedelta(days=settings.repeat_window_days)
    at = min([a.at for a in mine] + [m.at for m in places])
    found: list[Repeat] = []
    if mine:
        numbers = {a.id_number for a in mine if a.id_number}
        phones = {a.phone for a in mine if a.phone}
        for a in repo.near(db, user, sorted(numbers), sorted(phones), since=at - window, until=at + window,
                           kinds=settings.repeat_kind_set):
            if (a.module, a.record_kind, a.record_id) != (record.module, record.kind, record_id):
                by = "id_number" if a.id_number and a.id_number in numbers else "phone"
                found.append(Repeat(a.module, a.record_kind, a.record_id, a.at, a.link,
                                    a.unit.name if a.unit else None, id_number=a.id_number, name=a.name,
                                    phone=a.phone, by=by))
    for m in _address_repeats(db, user, places, at, window):
        if (m.module, m.record_kind, m.record_id) != (record.module, record.kind, record_id):
            found.append(Repeat(m.module, m.record_kind, m.record_id, m.at, m.link, None, address_id=m.address_id,
                                by="address"))
    audit.record(db, actor=user, action="people.repeats.viewed", entity_type=f"{record.module}_{record.kind}",
                 entity_id=record_id, data={"repeats": len(found)})
    return sorted(found, key=lambda r: r.at, reverse=True)


def _address_repeats(db: Session, user: User, places: list[Mention], at: dt.datetime, window: dt.timedelta
                     ) -> list[Mention]:
    if not places:
        return []
    return places_repo.mentions_near(db, user, sorted({m.address_id for m in places}), since=at - window,
                                     until=at + window)
