"""People queries: a person, their appearances in a user's jurisdiction, an earlier record of theirs (by ID
number, else by phone), appearances known by a phone alone, the people of one record."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from pingan.platform import access
from pingan.platform.org.models import OrgUnit
from pingan.platform.people.models import Appearance, Person, PersonRole
from pingan.platform.users.models import User


def in_scope(db: Session, user: User) -> ColumnElement:
    """An appearance belongs to its record's unit: the bureau sees all, a station its area, banks nothing."""
    return access.unit_condition(db, user, Appearance.unit_id, include_unassigned=access.sees_everything(user))


def person(db: Session, id_number: str) -> Person | None:
    return db.scalar(select(Person).where(Person.id_number == id_number))


def appearance(db: Session, *, id_number: str | None, phone: str | None, module: str, kind: str, record_id: str,
               role: str) -> Appearance | None:
    """The appearance of this person (by ID number, or by phone for one known by a phone alone) in the record."""
    who = (Appearance.id_number == id_number) if id_number else (
        Appearance.id_number.is_(None) & (Appearance.phone == phone))
    return db.scalar(select(Appearance).where(
        Appearance.module == module, Appearance.record_kind == kind, Appearance.record_id == record_id,
        Appearance.role == role, who).limit(1))


class TimelineItem(NamedTuple):
    module: str
    record_kind: str
    record_id: str
    role: PersonRole
    unit_name: str | None
    at: dt.datetime
    link: str | None
    phone: str | None
    repeat_of_id: int | None
    repeat_by: str | None


def timeline(db: Session, user: User, id_number: str, *, limit: int) -> list[TimelineItem]:
    """The person's appearances in scope, newest first, as plain rows: a file of a thousand is read without
    building an ORM object per appearance."""
    stmt = (select(Appearance.module, Appearance.record_kind, Appearance.record_id, Appearance.role, OrgUnit.name,
                   Appearance.at, Appearance.link, Appearance.phone, Appearance.repeat_of_id, Appearance.repeat_by)
            .outerjoin(OrgUnit, OrgUnit.id == Appearance.unit_id)
            .where(Appearance.id_number == id_number, in_scope(db, user))
            .order_by(Appearance.at.desc(), Appearance.id.desc()).limit(limit))
    return [TimelineItem(*row) for row in db.execute(stmt)]


class Match(NamedTuple):
    appearance: Appearance
    by: str  # "id_number" or "phone"


def _kinds(kinds: frozenset[str]) -> ColumnElement | None:
    pairs = [tuple(k.split(".", 1)) for k in kinds if "." in k]
    if not pairs:
        return None
    return or_(*[(Appearance.module == m) & (Appearance.record_kind == k) for m, k in pairs])


def latest_match(db: Session, *, id_numbers: set[str], phones: set[str], kinds: frozenset[str], since: dt.datetime,
                 record: tuple[str, str, str] | None = None) -> Match | None:
    """The latest appearance since ``since`` in another record of these kinds: one of these ID numbers first;
    only if none, one of these phones (whoever it was recorded for: a phone alone is the weaker link)."""
    kind_match = _kinds(kinds)
    if kind_match is None:
        return None
    for by, column, values in (("id_number", Appearance.id_number, id_numbers), ("phone", Appearance.phone, phones)):
        if not values:
            continue
        stmt = select(Appearance).where(column.in_(sorted(values)), Appearance.at >= since, kind_match)
        if record is not None:
            module, kind, record_id = record
            stmt = stmt.where(~((Appearance.module == module) & (Appearance.record_kind == kind)
                                & (Appearance.record_id == record_id)))
        found = db.scalar(stmt.order_by(Appearance.at.desc(), Appearance.id.desc()).limit(1))
        if found is not None:
            return Match(found, by)
    return None


def phone_only(db: Session, user: User, phones: list[str], *, limit: int) -> list[TimelineItem]:
    """Appearances known by one of these phones alone (no ID number given), in scope, newest first."""
    if not phones:
        return []
    stmt = (select(Appearance.module, Appearance.record_kind, Appearance.record_id, Appearance.role, OrgUnit.name,
                   Appearance.at, Appearance.link, Appearance.phone, Appearance.repeat_of_id, Appearance.repeat_by)
            .outerjoin(OrgUnit, OrgUnit.id == Appearance.unit_id)
            .where(Appearance.phone.in_(phones), Appearance.id_number.is_(None), in_scope(db, user))
            .order_by(Appearance.at.desc(), Appearance.id.desc()).limit(limit))
    return [TimelineItem(*row) for row in db.execute(stmt)]


def of_record(db: Session, user: User, module: str, kind: str, record_id: str) -> list[Appearance]:
    stmt = select(Appearance).where(Appearance.module == module, Appearance.record_kind == kind,
                                    Appearance.record_id == record_id, in_scope(db, user))
    return list(db.scalars(stmt))


def near(db: Session, user: User, id_numbers: list[str], phones: list[str], *, since: dt.datetime,
         until: dt.datetime, kinds: frozenset[str]) -> list[Appearance]:
    """Appearances of these people (by ID number or by phone) between the two times in repeat-counting records,
    in the user's scope."""
    who = [c.in_(v) for c, v in ((Appearance.id_number, id_numbers), (Appearance.phone, phones)) if v]
    if not who:
        return []
    stmt = (select(Appearance).where(or_(*who), Appearance.at >= since, Appearance.at <= until, in_scope(db, user))
            .options(selectinload(Appearance.unit)).order_by(Appearance.at.desc()))
    return [a for a in db.scalars(stmt) if f"{a.module}.{a.record_kind}" in kinds]
