"""People queries: a person, their appearances in a user's jurisdiction, an earlier record of theirs, the
people of one record."""

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


def appearance(db: Session, *, id_number: str, module: str, kind: str, record_id: str, role: str
               ) -> Appearance | None:
    return db.scalar(select(Appearance).where(
        Appearance.module == module, Appearance.record_kind == kind, Appearance.record_id == record_id,
        Appearance.id_number == id_number, Appearance.role == role))


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


def timeline(db: Session, user: User, id_number: str, *, limit: int) -> list[TimelineItem]:
    """The person's appearances in scope, newest first, as plain rows: a file of a thousand is read without
    building an ORM object per appearance."""
    stmt = (select(Appearance.module, Appearance.record_kind, Appearance.record_id, Appearance.role, OrgUnit.name,
                   Appearance.at, Appearance.link, Appearance.phone, Appearance.repeat_of_id)
            .outerjoin(OrgUnit, OrgUnit.id == Appearance.unit_id)
            .where(Appearance.id_number == id_number, in_scope(db, user))
            .order_by(Appearance.at.desc(), Appearance.id.desc()).limit(limit))
    return [TimelineItem(*row) for row in db.execute(stmt)]


def latest_other(db: Session, id_number: str, *, kinds: frozenset[str], since: dt.datetime,
                 record: tuple[str, str, str]) -> Appearance | None:
    """The person's latest appearance since ``since`` in another record of a repeat-counting kind."""
    pairs = [tuple(k.split(".", 1)) for k in kinds if "." in k]
    if not pairs:
        return None
    module, kind, record_id = record
    kind_match = [(Appearance.module == m) & (Appearance.record_kind == k) for m, k in pairs]
    stmt = (select(Appearance)
            .where(Appearance.id_number == id_number, Appearance.at >= since,
                   ~((Appearance.module == module) & (Appearance.record_kind == kind)
                     & (Appearance.record_id == record_id)))
            .where(or_(*kind_match))
            .order_by(Appearance.at.desc(), Appearance.id.desc()).limit(1))
    return db.scalar(stmt)


def of_record(db: Session, user: User, module: str, kind: str, record_id: str) -> list[Appearance]:
    stmt = select(Appearance).where(Appearance.module == module, Appearance.record_kind == kind,
                                    Appearance.record_id == record_id, in_scope(db, user))
    return list(db.scalars(stmt))


def near(db: Session, user: User, id_numbers: list[str], *, since: dt.datetime, until: dt.datetime,
         kinds: frozenset[str]) -> list[Appearance]:
    """Appearances of these people between the two times in repeat-counting records, in the user's scope."""
    stmt = (select(Appearance).where(Appearance.id_number.in_(id_numbers), Appearance.at >= since,
                                     Appearance.at <= until, in_scope(db, user))
            .options(selectinload(Appearance.unit)).order_by(Appearance.at.desc()))
    return [a for a in db.scalars(stmt) if f"{a.module}.{a.record_kind}" in kinds]
