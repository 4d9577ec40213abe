"""Rental queries: properties in a user's scope (a landlord their own, a grid worker their grid, a community
officer the community, a station and the bureau by the tree), units by code, tenancies, inspections."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from pingan.core import clock
from pingan.core.errors import not_found
from pingan.platform import access
from pingan.platform.users.models import Role, User
from pingan.rental.models import Hazard, Keeper, Property, RentalUnit, Tenancy, UnitCode


def in_scope(db: Session, user: User) -> ColumnElement:
    """A landlord (manager, agent) sees the properties they keep while the mandate is in force; everyone else
    by the org tree of the grid."""
    if user.role is Role.LANDLORD:
        return Property.id.in_(select(Keeper.property_id).where(
            Keeper.user_id == user.id, Keeper.withdrawn_at.is_(None),
            or_(Keeper.until.is_(None), Keeper.until >= clock.today_local())))
    return access.unit_condition(db, user, Property.grid_id)


def _loaded():
    return select(Property).options(selectinload(Property.units).selectinload(RentalUnit.tenancies),
                                    selectinload(Property.units).selectinload(RentalUnit.codes),
                                    selectinload(Property.keepers), selectinload(Property.address))


def get_property(db: Session, user: User, property_id: int) -> Property:
    """The property, if it lies in the user's scope; NotFound (404) otherwise."""
    found = db.scalar(_loaded().where(Property.id == property_id, in_scope(db, user)))
    if found is None:
        raise not_found("property", "出租房")
    return found


def properties(db: Session, user: User, *, limit: int = 500) -> list[Property]:
    stmt = _loaded().where(in_scope(db, user)).order_by(Property.id).limit(limit)
    return list(db.scalars(stmt))


def get_tenancy(db: Session, user: User, tenancy_id: int) -> Tenancy:
    stmt = (select(Tenancy).join(Property, Property.id == Tenancy.property_id)
            .where(Tenancy.id == tenancy_id, in_scope(db, user)))
    found = db.scalar(stmt)
    if found is None:
        raise not_found("tenancy", "租住登记")
    return found


def unit_by_token(db: Session, token: str) -> RentalUnit | None:
    """The unit whose code this is, if the code has not been revoked (no scope: the code is the key)."""
    return db.scalar(select(RentalUnit).join(UnitCode, UnitCode.unit_id == RentalUnit.id)
                     .where(UnitCode.token == token, UnitCode.revoked_at.is_(None)))


def open_hazards(db: Session, property_id: int) -> list[Hazard]:
    return list(db.scalars(select(Hazard).where(Hazard.property_id == property_id, Hazard.rectified_at.is_(None))
                           .order_by(Hazard.id)))


def keeper_users(db: Session, property_id: int) -> list[int]:
    """The accounts of the property's keepers whose mandate is in force."""
    return list(db.scalars(select(Keeper.user_id).where(
        Keeper.property_id == property_id, Keeper.user_id.is_not(None), Keeper.withdrawn_at.is_(None),
        or_(Keeper.until.is_(None), Keeper.until >= clock.today_local())).order_by(Keeper.id)))


def grid_user(db: Session, grid_id: int, role: Role) -> User | None:
    """The first active user of the role in this unit (the grid's worker, the community's officer)."""
    return db.scalar(select(User).where(User.role == role, User.unit_id == grid_id, User.is_active)
                     .order_by(User.id).limit(1))
