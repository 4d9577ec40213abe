"""Rental tables: properties at standard addresses with their landlord, manager or agent, units with beds and
area and one code each, tenancies with their reports, inspections and the hazards they found."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address


class PropertyKind(enum.StrEnum):
    WHOLE_FLAT = "whole_flat"
    SHARED = "shared"
    GROUP_RENTAL = "group_rental"
    DORMITORY = "dormitory"
    SHOP_WITH_ROOMS = "shop_with_rooms"


class RiskColour(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class KeeperRole(enum.StrEnum):
    """Who answers for the property: the landlord, and any property manager or letting agent."""

    LANDLORD = "landlord"
    MANAGER = "manager"
    AGENT = "agent"


class TenancyStatus(enum.StrEnum):
    DECLARED = "declared"
    VERIFIED = "verified"
    ACTIVE = "active"
    DISPUTED = "disputed"
    REJECTED = "rejected"
    ENDED = "ended"
    DEREGISTERED = "deregistered"


class DeclaredBy(enum.StrEnum):
    TENANT = "tenant"
    LANDLORD = "landlord"
    MANAGER = "manager"
    AGENT = "agent"
    OFFICER = "officer"


class CheckItem(enum.StrEnum):
    """The inspection checklist."""

    EXTINGUISHER = "extinguisher"
    ESCAPE_ROUTE = "escape_route"
    EBIKE_CHARGING = "ebike_charging"
    GAS = "gas"
    WIRING = "wiring"
    LOCKS = "locks"


class Property(Base):
    __tablename__ = "rental_property"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("places_address.id"), index=True)
    # The address's grid, kept on the row: what scopes every query.
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[PropertyKind] = mapped_column(StrEnumType(PropertyKind, 20))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    address: Mapped[Address] = relationship()
    grid: Mapped[OrgUnit] = relationship()
    keepers: Mapped[list[Keeper]] = relationship(order_by="Keeper.id", cascade="all, delete-orphan")
    units: Mapped[list[RentalUnit]] = relationship(back_populates="property", order_by="RentalUnit.id",
                                                   cascade="all, delete-orphan")
    inspections: Mapped[list[Inspection]] = relationship(order_by="Inspection.id")


class Keeper(Base):
    """The landlord, manager or agent of a property, as a person of the register; ``user_id`` when they have
    an account of the landlords' portal. A manager or agent acts for the landlord (委托) until ``until`` (if set)
    or until the mandate is withdrawn; what each may do is `permissions.KEEPER_STEPS`."""

    __tablename__ = "rental_keeper"
    __table_args__ = (UniqueConstraint("property_id", "id_number", "role", name="uq_rental_keeper"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("rental_property.id", ondelete="CASCADE"), index=True)
    role: Mapped[KeeperRole] = mapped_column(StrEnumType(KeeperRole, 16))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(11))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    # The mandate: its last day (none: open-ended), when it was withdrawn, and who appointed the keeper.
    until: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    def in_force(self, today: dt.date) -> bool:
        return self.withdrawn_at is None and (self.until is None or self.until >= today)


class RentalUnit(Base):
    __tablename__ = "rental_unit"
    __table_args__ = (UniqueConstraint("property_id", "label", name="uq_rental_unit_label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("rental_property.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(32))
    rooms: Mapped[int] = mapped_column(Integer)
    beds: Mapped[int] = mapped_column(Integer)
    area: Mapped[float] = mapped_column(Float)

    property: Mapped[Property] = relationship(back_populates="units")
    tenancies: Mapped[list[Tenancy]] = relationship(back_populates="unit", order_by="Tenancy.id")
    codes: Mapped[list[UnitCode]] = relationship(order_by="UnitCode.id")


class UnitCode(Base):
    """One code per unit (一房一码): an unguessable token on the plate; a revoked one opens nothing."""

    __tablename__ = "rental_unit_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("rental_unit.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class Tenancy(Base):
    __tablename__ = "rental_tenancy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("rental_unit.id", ondelete="CASCADE"), index=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("rental_property.id", ondelete="CASCADE"), index=True)
    status: Mapped[TenancyStatus] = mapped_column(StrEnumType(TenancyStatus, 16), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(11))
    moved_in_on: Mapped[dt.date] = mapped_column(Date)
    moved_out_on: Mapped[dt.date | None] = mapped_column(Date)
    declared_by: Mapped[DeclaredBy] = mapped_column(StrEnumType(DeclaredBy, 16))
    declared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    declared_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # The landlord's report of the move-in (their own declaration, or their confirming the tenant's) and of
    # the move-out; on_time is None while the report is still owed and not yet late.
    move_in_reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    move_in_on_time: Mapped[bool | None] = mapped_column(Boolean)
    move_out_reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    move_out_on_time: Mapped[bool | None] = mapped_column(Boolean)
    disputed_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # Residence registration (居住登记): the day the door check verified the tenant.
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    deregistered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    unit: Mapped[RentalUnit] = relationship(back_populates="tenancies")


class IdPhoto(Base):
    """The photo of the ID card a tenant may attach to their own declaration: a blob in a row of its own (as
    grid keeps its photos), never in the tenancy's row; read by police roles only, every read audited; deleted
    once the tenancy is deregistered (or rejected) and the retention period has passed (``purge_after``)."""

    __tablename__ = "rental_id_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenancy_id: Mapped[int] = mapped_column(ForeignKey("rental_tenancy.id", ondelete="CASCADE"), unique=True)
    content_type: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    purge_after: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)


class Inspection(Base):
    __tablename__ = "rental_inspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("rental_property.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    by_name: Mapped[str] = mapped_column(String(100))
    # {item: true (passed) | false (hazard)} for every CheckItem.
    results: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    hazards: Mapped[list[Hazard]] = relationship(order_by="Hazard.id", foreign_keys="Hazard.inspection_id")


class Hazard(Base):
    """A failed checklist item: rectified by its deadline, confirmed by a re-inspection."""

    __tablename__ = "rental_hazard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("rental_inspection.id", ondelete="CASCADE"), index=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("rental_property.id", ondelete="CASCADE"), index=True)
    item: Mapped[CheckItem] = mapped_column(StrEnumType(CheckItem, 20))
    due_on: Mapped[dt.date] = mapped_column(Date)
    rectified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    reinspection_id: Mapped[int | None] = mapped_column(ForeignKey("rental_inspection.id"))
