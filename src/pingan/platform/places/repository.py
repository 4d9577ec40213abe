"""Standard-address queries: addresses in a user's jurisdiction, the candidates of a parsed address, the
road keys the matcher looks through, and earlier records at an address."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pingan.core.errors import not_found
from pingan.platform import access
from pingan.platform.places.models import Address, Mention
from pingan.platform.users.models import User


def in_scope(db: Session, user: User) -> ColumnElement:
    """An address belongs to its grid: a user sees those of the grids in their jurisdiction (bank users none)."""
    return access.unit_condition(db, user, Address.grid_id)


def get_address(db: Session, user: User, code: str) -> Address:
    address = db.scalar(select(Address).where(Address.code == code, in_scope(db, user)))
    if address is None:
        raise not_found("address", "标准地址")
    return address


def by_code(db: Session, code: str) -> Address | None:
    return db.scalar(select(Address).where(Address.code == code))


def by_codes(db: Session, codes: list[str]) -> dict[str, Address]:
    found: dict[str, Address] = {}
    for start in range(0, len(codes), 500):
        for address in db.scalars(select(Address).where(Address.code.in_(codes[start:start + 500]))):
            found[address.code] = address
    return found


def positions(db: Session, grid_ids: set[int]) -> dict[tuple, str]:
    """(grid, road key, number, building, unit, room) → code, for the grids an import touches."""
    out: dict[tuple, str] = {}
    ids = sorted(grid_ids)
    for start in range(0, len(ids), 500):
        stmt = select(Address.grid_id, Address.road_key, Address.number, Address.building, Address.unit_no,
                      Address.room, Address.code).where(Address.grid_id.in_(ids[start:start + 500]))
        for *position, code in db.execute(stmt):
            out[tuple(position)] = code
    return out


def browse(db: Session, user: User, *, grid_id: int | None = None, road: str | None = None,
           limit: int = 200, offset: int = 0) -> list[Address]:
    """Addresses in tree order (grid, road, number, building, unit, room)."""
    stmt = select(Address).where(in_scope(db, user))
    if grid_id is not None:
        stmt = stmt.where(Address.grid_id == grid_id)
    if road:
        stmt = stmt.where(Address.road.contains(road))
    order = (Address.grid_id, Address.road_key, func.length(Address.number), Address.number,
             func.length(Address.building), Address.building, func.length(Address.unit_no), Address.unit_no,
             func.length(Address.room), Address.room)
    return list(db.scalars(stmt.order_by(*order).limit(limit).offset(offset)))


def stamp(db: Session) -> tuple:
    """Changes when an address is added or edited. Two queries: a lone max() is one index look-up, while two
    aggregates in one statement make SQLite scan the table."""
    return db.scalar(select(func.max(Address.id))), db.scalar(select(func.max(Address.updated_at)))


def road_keys(db: Session) -> list[str]:
    return list(db.scalars(select(Address.road_key).where(Address.is_active).distinct()))


def candidates(db: Session, user: User, keys: list[str], number: str, *, limit: int = 400) -> list[Address]:
    """Active addresses in scope on these roads; with ``number``, only that house's addresses."""
    stmt = select(Address).where(Address.road_key.in_(keys), Address.is_active, in_scope(db, user))
    if number:
        stmt = stmt.where(Address.number == number)
    return list(db.scalars(stmt.limit(limit)))


def mention_of(db: Session, address_id: int, module: str, kind: str, record_id: str) -> Mention | None:
    return db.scalar(select(Mention).where(Mention.address_id == address_id, Mention.module == module,
                                           Mention.record_kind == kind, Mention.record_id == record_id))


def latest_mention(db: Session, address_id: int, *, since: dt.datetime, other_than: tuple[str, str, str]
                   ) -> Mention | None:
    module, kind, record_id = other_than
    stmt = (select(Mention).where(Mention.address_id == address_id, Mention.at >= since,
                                  ~((Mention.module == module) & (Mention.record_kind == kind)
                                    & (Mention.record_id == record_id)))
            .order_by(Mention.at.desc(), Mention.id.desc()).limit(1))
    return db.scalar(stmt)


def _mention_scope(db: Session, user: User) -> ColumnElement:
    return access.unit_condition(db, user, Mention.unit_id, include_unassigned=access.sees_everything(user))


def mentions_of_record(db: Session, user: User, module: str, kind: str, record_id: str) -> list[Mention]:
    return list(db.scalars(select(Mention).where(Mention.module == module, Mention.record_kind == kind,
                                                 Mention.record_id == record_id, _mention_scope(db, user))))


def mentions_near(db: Session, user: User, address_ids: list[int], *, since: dt.datetime, until: dt.datetime
                  ) -> list[Mention]:
    stmt = (select(Mention).where(Mention.address_id.in_(address_ids), Mention.at >= since, Mention.at <= until,
                                  _mention_scope(db, user))
            .order_by(Mention.at.desc()))
    return list(db.scalars(stmt))
