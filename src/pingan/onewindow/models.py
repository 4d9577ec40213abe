"""One-window tables: the service catalogue, queue tickets, applications bundling items (each with its own
legal clock), materials on file per person, the one-time notices, ratings and their rectifications."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address


class Department(enum.StrEnum):
    HOUSEHOLD = "household"
    ID_CARD = "id_card"
    EXIT_ENTRY = "exit_entry"
    TRAFFIC = "traffic"
    PUBLIC_ORDER = "public_order"
    # A service another bureau (人社, 民政 …) handles, taken at the police window and routed to its desk.
    PARTNER = "partner"


class LimitKind(enum.StrEnum):
    """How a legal time limit is counted."""

    CALENDAR = "calendar"
    WORKING = "working"


class Channel(enum.StrEnum):
    WINDOW = "window"
    ONLINE = "online"
    PARTNER = "partner"
    VILLAGE_AGENT = "village_agent"


class ItemStatus(enum.StrEnum):
    AWAITING_MATERIALS = "awaiting_materials"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    READY = "ready"
    HANDED_OVER = "handed_over"
    ISSUED_ON_SPOT = "issued_on_spot"
    REJECTED = "rejected"


class Handover(enum.StrEnum):
    COLLECTED = "collected"
    POSTED = "posted"


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    DONE = "done"
    NO_SHOW = "no_show"


class RectificationStatus(enum.StrEnum):
    OPEN = "open"
    CALLED_BACK = "called_back"
    CLOSED = "closed"
    APPEALED = "appealed"
    ANNULLED = "annulled"


class ServicePointStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class CatalogueItem(Base):
    """One service of the catalogue, as the operator's catalogue file describes it (loaded by code)."""

    __tablename__ = "onewindow_catalogue_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[Department] = mapped_column(StrEnumType(Department, 16))
    # [{"code", "name"}]: what the resident brings.
    materials: Mapped[list] = mapped_column(JSON)
    fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    limit_days: Mapped[int] = mapped_column(Integer)
    limit_kind: Mapped[LimitKind] = mapped_column(StrEnumType(LimitKind, 16))
    on_the_spot: Mapped[bool] = mapped_column(Boolean, default=False)
    # Station codes that issue it on the spot (empty: every station that issues it on the spot).
    spot_stations: Mapped[list] = mapped_column(JSON, default=list)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    windows: Mapped[list] = mapped_column(JSON, default=list)
    ticket_prefix: Mapped[str] = mapped_column(String(2), default="A")
    # The partner bureau (its code in the catalogue file) whose desk handles the item; None: the police.
    bureau: Mapped[str | None] = mapped_column(String(16))


class Bureau(Base):
    """A partner bureau (人社局, 民政局 …) whose desk handles the catalogue items routed to it."""

    __tablename__ = "onewindow_bureau"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class PartnerDesk(Base):
    """A partner account: the window clerk of a partner bureau, who sees and moves only its bureau's items."""

    __tablename__ = "onewindow_partner_desk"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), unique=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("onewindow_bureau.id"), index=True)

    bureau: Mapped[Bureau] = relationship()


class ServicePoint(Base):
    """A village service point (村级代办点): its agent submits applications for the village's residents."""

    __tablename__ = "onewindow_service_point"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    agent_name: Mapped[str] = mapped_column(String(64))
    agent_phone: Mapped[str | None] = mapped_column(String(11))
    # The standard address (places register) when one was picked; the text as typed always.
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"))
    address_text: Mapped[str] = mapped_column(String(200))
    # Catalogue codes the point may take online for the resident.
    services: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[ServicePointStatus] = mapped_column(StrEnumType(ServicePointStatus, 16), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    station: Mapped[OrgUnit] = relationship(foreign_keys=[station_id])
    community: Mapped[OrgUnit] = relationship(foreign_keys=[community_id])
    address: Mapped[Address | None] = relationship()


class Ticket(Base):
    """A queue ticket taken at the kiosk for a service, called to a window, then done."""

    __tablename__ = "onewindow_ticket"
    __table_args__ = (Index("ix_onewindow_ticket_station_taken", "station_id", "taken_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    number: Mapped[str] = mapped_column(String(8))
    service_code: Mapped[str] = mapped_column(String(48))
    status: Mapped[TicketStatus] = mapped_column(StrEnumType(TicketStatus, 16), index=True)
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    called_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    window: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    station: Mapped[OrgUnit] = relationship()


class Application(Base):
    """One visit or online submission of a resident, bundling several catalogue items."""

    __tablename__ = "onewindow_application"
    __table_args__ = (Index("ix_onewindow_application_station_submitted", "station_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    # The village (community) a village agent submitted from.
    community_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # The village service point whose agent submitted it (channel village_agent).
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("onewindow_service_point.id"), index=True)
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 16))
    applicant_name: Mapped[str] = mapped_column(String(64))
    applicant_id_number: Mapped[str] = mapped_column(String(18), index=True)
    applicant_phone: Mapped[str | None] = mapped_column(String(11))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    # Visits to a window this application took (最多跑一次: one).
    visits: Mapped[int] = mapped_column(Integer, default=1)
    # The local days the resident came (ISO dates): a second errand on the same day is the same visit.
    visit_days: Mapped[list] = mapped_column(JSON, default=list)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("onewindow_ticket.id"))
    # The partner app's reference of its real-name check of the resident (channel partner).
    verification_ref: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    station: Mapped[OrgUnit] = relationship(foreign_keys=[station_id])
    community: Mapped[OrgUnit | None] = relationship(foreign_keys=[community_id])
    service_point: Mapped[ServicePoint | None] = relationship()
    items: Mapped[list[ApplicationItem]] = relationship(back_populates="application",
                                                        order_by="ApplicationItem.id",
                                                        cascade="all, delete-orphan")
    notices: Mapped[list[Notice]] = relationship(order_by="Notice.id")


class ApplicationItem(Base):
    """One service of an application, with its own status and legal clock."""

    __tablename__ = "onewindow_application_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("onewindow_application.id", ondelete="CASCADE"),
                                                index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(48), index=True)
    # The partner bureau the item was routed to when it was taken (the catalogue's, kept on the row).
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("onewindow_bureau.id"), index=True)
    status: Mapped[ItemStatus] = mapped_column(StrEnumType(ItemStatus, 20), index=True)
    # Set when the materials are complete and the legal clock starts (受理).
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ready_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    within_limit: Mapped[bool | None] = mapped_column(Boolean)
    handover: Mapped[Handover | None] = mapped_column(StrEnumType(Handover, 16))
    tracking_no: Mapped[str | None] = mapped_column(String(40))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # Material codes still owed (listed on the one-time notice).
    missing: Mapped[list] = mapped_column(JSON, default=list)
    # Material codes taken from the person's file instead of being asked for again.
    reused: Mapped[list] = mapped_column(JSON, default=list)

    application: Mapped[Application] = relationship(back_populates="items")
    rating: Mapped[Rating | None] = relationship(back_populates="item", uselist=False)


class Material(Base):
    """A document on file for a person (by ID number), from an earlier application."""

    __tablename__ = "onewindow_material"
    __table_args__ = (Index("ix_onewindow_material_person_code", "id_number", "code", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    code: Mapped[str] = mapped_column(String(48))
    item_id: Mapped[int] = mapped_column(ForeignKey("onewindow_application_item.id", ondelete="CASCADE"))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Notice(Base):
    """The one-time written notice (一次性告知) of every missing material of an application."""

    __tablename__ = "onewindow_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("onewindow_application.id", ondelete="CASCADE"),
                                                index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # [{"item", "item_name", "code", "name"}] missing, and the same shape for the reused ones.
    missing: Mapped[list] = mapped_column(JSON)
    reused: Mapped[list] = mapped_column(JSON)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class Rating(Base):
    """The resident's rating (好差评) of one completed item, once."""

    __tablename__ = "onewindow_rating"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("onewindow_application_item.id", ondelete="CASCADE"),
                                         unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    window: Mapped[str | None] = mapped_column(String(32))
    grade: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    # False once an appeal against it is upheld (a mistaken or malicious rating).
    counts: Mapped[bool] = mapped_column(Boolean, default=True)

    item: Mapped[ApplicationItem] = relationship(back_populates="rating")


class Rectification(Base):
    """The fix of a bad rating, owned by the unit that did the work; closes only after a call-back."""

    __tablename__ = "onewindow_rectification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("onewindow_rating.id", ondelete="CASCADE"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    status: Mapped[RectificationStatus] = mapped_column(StrEnumType(RectificationStatus, 16), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    call_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    call_back_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    close_note: Mapped[str | None] = mapped_column(Text)
    appeal_reason: Mapped[str | None] = mapped_column(Text)
    review_note: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating] = relationship()
    unit: Mapped[OrgUnit] = relationship()
