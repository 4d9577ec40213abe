"""Watch queries: lists, the active entries of some ID numbers, the hits a user may read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session

from pingan.core.errors import not_found
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import Role, User
from pingan.platform.watch.models import ListKind, WatchEntry, WatchHit, WatchList


def select_list(code: str):
    return select(WatchList).where(WatchList.code == code)


def get_list(db: Session, code: str) -> WatchList:
    found = db.scalar(select_list(code))
    if found is None:
        raise not_found("watch_list", "布控名单")
    return found


def select_lists_with_prefix(prefix: str):
    return select(WatchList.id).where(WatchList.code.startswith(prefix))


def entry_by_id(db: Session, watch_list: WatchList, entry_id: int) -> WatchEntry | None:
    return db.scalar(select(WatchEntry).where(WatchEntry.list_id == watch_list.id, WatchEntry.id == entry_id))


def owned_by(db: Session, user: User) -> list[WatchList]:
    """The lists whose owner the user is (their role, their unit or a unit above it)."""
    stmt = select(WatchList).order_by(WatchList.code)
    if user.role is not Role.ADMIN:
        stmt = stmt.where(WatchList.owner_role == user.role, _user_within(user, WatchList.owner_unit_id))
    return list(db.scalars(stmt))


def _user_within(user: User, column):
    """The owner unit is the user's unit or one above it: the owner group is the role in the unit's subtree."""
    if user.unit is None:
        return false()
    codes = [c for c in user.unit.path.split("/") if c]
    prefixes = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return column.in_(select(OrgUnit.id).where(OrgUnit.path.in_(prefixes)))


def entry(db: Session, watch_list: WatchList, id_number: str) -> WatchEntry | None:
    return db.scalar(select(WatchEntry).where(WatchEntry.list_id == watch_list.id,
                                              WatchEntry.id_number == id_number))


def entries(db: Session, watch_list: WatchList, *, now: dt.datetime, limit: int = 500) -> list[WatchEntry]:
    stmt = (select(WatchEntry).where(WatchEntry.list_id == watch_list.id, _active(now))
            .order_by(WatchEntry.listed_at.desc()).limit(limit))
    return list(db.scalars(stmt))


def _active(now: dt.datetime):
    return (WatchEntry.removed_at.is_(None)) & or_(WatchEntry.expires_at.is_(None), WatchEntry.expires_at > now)


def listed_numbers(db: Session, id_numbers: list[str], *, now: dt.datetime) -> set[str]:
    """Those of these ID numbers with an entry in force: one look-up on the ID-number index, no rows loaded."""
    if not id_numbers:
        return set()
    return set(db.scalars(select(WatchEntry.id_number).where(WatchEntry.id_number.in_(id_numbers), _active(now))))


def active_entries(db: Session, id_numbers: list[str], *, now: dt.datetime,
                   kind=None) -> list[tuple[WatchEntry, WatchList]]:
    """Entries in force for these ID numbers: one indexed look-up for a whole batch of appearances."""
    if not id_numbers:
        return []
    stmt = (select(WatchEntry, WatchList).join(WatchList, WatchList.id == WatchEntry.list_id)
            .where(WatchEntry.id_number.in_(id_numbers), _active(now)))
    if kind is not None:
        stmt = stmt.where(WatchList.kind == kind)
    return [(e, w) for e, w in db.execute(stmt)]


def protected_changes(db: Session, *, since: dt.datetime | None) -> list[WatchEntry]:
    """Entries of protected lists: those not removed (``since`` None), or those listed or removed since then."""
    stmt = (select(WatchEntry).join(WatchList, WatchList.id == WatchEntry.list_id)
            .where(WatchList.kind == ListKind.PROTECTED))
    if since is None:
        stmt = stmt.where(WatchEntry.removed_at.is_(None))
    else:
        stmt = stmt.where(or_(WatchEntry.listed_at > since, WatchEntry.removed_at > since))
    return list(db.scalars(stmt.order_by(WatchEntry.id)))


def hit_exists(db: Session, entry_id: int, module: str, kind: str, record_id: str, owner_unit_id: int) -> bool:
    return db.scalar(select(WatchHit.id).where(
        WatchHit.entry_id == entry_id, WatchHit.module == module, WatchHit.record_kind == kind,
        WatchHit.record_id == record_id, WatchHit.owner_unit_id == owner_unit_id)) is not None


def in_scope(user: User):
    """Hits a user may read: those told to their role in their unit or below, never one they entered."""
    own = WatchHit.entered_by_id.is_(None) | (WatchHit.entered_by_id != user.id)
    if user.role is Role.ADMIN:
        return own
    return own & (WatchHit.owner_role == user.role) & _user_within(user, WatchHit.owner_unit_id)


def hits_for(db: Session, user: User, *, limit: int = 100, before_id: int | None = None) -> list[WatchHit]:
    stmt = select(WatchHit).where(in_scope(user))
    if before_id is not None:
        stmt = stmt.where(WatchHit.id < before_id)
    return list(db.scalars(stmt.order_by(WatchHit.id.desc()).limit(limit)))


def get_hit(db: Session, user: User, hit_id: int) -> WatchHit:
    hit = db.scalar(select(WatchHit).where(WatchHit.id == hit_id, in_scope(user)))
    if hit is None:
        raise not_found("watch_hit", "比中记录")
    return hit


def recipients(db: Session, unit_id: int, role: Role, *, exclude_id: int | None) -> list[User]:
    """Active users of ``role`` in the unit or below it, but not ``exclude_id`` (the entering user)."""
    path = select(OrgUnit.path).where(OrgUnit.id == unit_id).scalar_subquery()
    stmt = (select(User).join(OrgUnit, OrgUnit.id == User.unit_id)
            .where(User.role == role, User.is_active, OrgUnit.path.startswith(path)).order_by(User.id))
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    return list(db.scalars(stmt))
