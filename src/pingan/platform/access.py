"""Jurisdiction scoping: the one helper every list query and record load goes through.

A bureau user sees everything, a station user its subtree, a bank user only its bank (or branch).
Records outside scope are reported as missing (404), never as forbidden, so existence is not revealed.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from pingan.core.errors import PermissionDenied, not_found
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.users.models import Role, User

# Roles whose jurisdiction is their unit's subtree; a bureau-level unit means the whole county. A landlord has
# no jurisdiction: the rental module shows them their own properties only.
_UNIT_ROLES = frozenset(Role) - {Role.TELLER, Role.BANK_SYSTEM, Role.LANDLORD}


def sees_everything(user: User) -> bool:
    if user.role is Role.ADMIN:
        return True
    return user.role in _UNIT_ROLES and user.unit is not None and user.unit.kind is UnitKind.BUREAU


def visible_unit_ids(db: Session, user: User) -> list[int] | None:
    """Unit ids in the user's jurisdiction; ``None`` means no restriction; ``[]`` means none."""
    if sees_everything(user):
        return None
    if user.role not in _UNIT_ROLES or user.unit is None:
        return []
    return list(db.scalars(select(OrgUnit.id).where(OrgUnit.path.startswith(user.unit.path))))


def unit_condition(db: Session, user: User, column, *, include_unassigned: bool = False) -> ColumnElement:
    ids = visible_unit_ids(db, user)
    if ids is None:
        return true()
    if not ids:
        return false()
    cond = column.in_(ids)
    return or_(cond, column.is_(None)) if include_unassigned else cond


def scope_units(db: Session, stmt: Select, user: User, column, *, include_unassigned: bool = False) -> Select:
    return stmt.where(unit_condition(db, user, column, include_unassigned=include_unassigned))


def scope(
    db: Session,
    stmt: Select,
    user: User,
    *,
    unit_column=None,
    bank_column=None,
    branch_column=None,
) -> Select:
    """Restrict a query to what ``user`` may see, given the record's station, bank and branch columns."""
    if user.is_bank_user:
        if user.branch_id is not None and branch_column is not None:
            return stmt.where(branch_column == user.branch_id)
        if user.bank_id is not None and bank_column is not None:
            return stmt.where(bank_column == user.bank_id)
        return stmt.where(false())
    if unit_column is None:
        return stmt if sees_everything(user) else stmt.where(false())
    return scope_units(db, stmt, user, unit_column)


def ensure_unit_visible(db: Session, user: User, unit_id: int | None, what: str = "record", zh: str = "记录"):
    """Raise NotFound unless ``unit_id`` lies in the user's jurisdiction."""
    ids = visible_unit_ids(db, user)
    if ids is None:
        return
    if unit_id is None or unit_id not in ids:
        raise not_found(what, zh)


def require_role(user: User, *roles: Role) -> None:
    if user.role is Role.ADMIN or user.role in roles:
        return
    raise PermissionDenied("auth.role", "您的角色无权执行此操作 / your role may not do this")
