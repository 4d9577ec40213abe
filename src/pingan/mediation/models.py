"""Mediation tables: rooms and mediators of a station, disputes with their parties, sessions, agreements,
follow-ups and return visits, and the typed events that make up a dispute's timeline."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address


class Source(enum.StrEnum):
    CALL_110 = "call_110"
    WALK_IN = "walk_in"
    GRID_REPORT = "grid_report"
    COURT_REFERRAL = "court_referral"


class Category(enum.StrEnum):
    NEIGHBOUR = "neighbour"
    FAMILY = "family"
    LANDLORD_TENANT = "landlord_tenant"
    CONSUMER = "consumer"
    CATERING_FUMES = "catering_fumes"
    DEMOLITION = "demolition"
    PARKING = "parking"
    LABOUR = "labour"
    TRAFFIC = "traffic"
    OTHER = "other"


class DisputeStatus(enum.StrEnum):
    PENDING = "pending"
    IN_SESSION = "in_session"
    FOLLOW_UP = "follow_up"
    SETTLED = "settled"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    SETTLED = "settled"
    UNSETTLED = "unsettled"
    ABSENT = "absent"


class MediatorKind(enum.StrEnum):
    OFFICER = "officer"
    ELDER = "elder"
    LAWYER = "lawyer"


class FollowUpKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    RETURN_VISIT = "return_visit"


class Room(Base):
    __tablename__ = "mediation_room"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Mediator(Base):
    __tablename__ = "mediation_mediator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[MediatorKind] = mapped_column(StrEnumType(MediatorKind, 16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


dispute_mediator = Table(
    "mediation_dispute_mediator",
    Base.metadata,
    Column("dispute_id", ForeignKey("mediation_dispute.id", ondelete="CASCADE"), primary_key=True),
    Column("mediator_id", ForeignKey("mediation_mediator.id"), primary_key=True),
)


class Dispute(Base):
    __tablename__ = "mediation_dispute"
    __table_args__ = (Index("ix_mediation_dispute_station_received", "station_id", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    source: Mapped[Source] = mapped_column(StrEnumType(Source, 16))
    category: Mapped[Category] = mapped_column(StrEnumType(Category, 16))
    status: Mapped[DisputeStatus] = mapped_column(StrEnumType(DisputeStatus, 16), index=True)
    summary: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    # The standard address picked at intake (一标三实); ``place`` keeps what was typed.
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"), index=True)
    call_no: Mapped[str | None] = mapped_column(String(32))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_room.id"), index=True)
    scheduled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    first_session_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    settled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    close_reason: Mapped[str | None] = mapped_column(Text)
    # The earlier dispute of the same parties this one grew out of (次生纠纷), and the flag the board shows.
    secondary_of_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_dispute.id"), index=True)
    is_secondary: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    station: Mapped[OrgUnit] = relationship(foreign_keys=[station_id])
    community: Mapped[OrgUnit | None] = relationship(foreign_keys=[community_id])
    address: Mapped[Address | None] = relationship()
    room: Mapped[Room | None] = relationship()
    mediators: Mapped[list[Mediator]] = relationship(secondary=dispute_mediator, order_by="Mediator.id")
    parties: Mapped[list[Party]] = relationship(back_populates="dispute", order_by="Party.position",
                                                cascade="all, delete-orphan")
    sessions: Mapped[list[MediationSession]] = relationship(back_populates="dispute",
                                                            order_by="MediationSession.id")
    follow_ups: Mapped[list[FollowUp]] = relationship(order_by="FollowUp.id")
    agreement: Mapped[Agreement | None] = relationship(back_populates="dispute", uselist=False)
    events: Mapped[list[DisputeEvent]] = relationship(order_by="DisputeEvent.id")
    secondary_of: Mapped[Dispute | None] = relationship(remote_side=[id])


class Party(Base):
    __tablename__ = "mediation_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(11), index=True)
    address: Mapped[str | None] = mapped_column(String(200))

    dispute: Mapped[Dispute] = relationship(back_populates="parties")


class MediationSession(Base):
    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_room.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    # Empty while the session is going on.
    outcome: Mapped[Outcome | None] = mapped_column(StrEnumType(Outcome, 16))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    dispute: Mapped[Dispute] = relationship(back_populates="sessions")
    room: Mapped[Room | None] = relationship()


class Agreement(Base):
    """The people's mediation agreement (人民调解协议书) a settled session produces."""

    __tablename__ = "mediation_agreement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id", ondelete="CASCADE"), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mediation_session.id"))
    facts: Mapped[str] = mapped_column(Text)
    responsibilities: Mapped[str] = mapped_column(Text)
    obligations: Mapped[str] = mapped_column(Text)
    performance_method: Mapped[str] = mapped_column(String(200))
    performance_place: Mapped[str] = mapped_column(String(200))
    performance_due_on: Mapped[dt.date] = mapped_column(Date)
    # [{"name", "role": party | mediator, "signed_at"}]: who signed, and when it was recorded.
    signatures: Mapped[list] = mapped_column(JSON)
    signed_on: Mapped[dt.date] = mapped_column(Date)
    performed_on: Mapped[dt.date | None] = mapped_column(Date)

    dispute: Mapped[Dispute] = relationship(back_populates="agreement")


class FollowUp(Base):
    """The community officer's follow-up of an unsettled dispute, or a return visit after a settlement."""

    __tablename__ = "mediation_follow_up"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FollowUpKind] = mapped_column(StrEnumType(FollowUpKind, 16))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    note: Mapped[str] = mapped_column(Text)
    on_time: Mapped[bool] = mapped_column(Boolean)
    agreement_performed: Mapped[bool | None] = mapped_column(Boolean)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class DisputeEvent(Base):
    """One line of a dispute's timeline: intake, sessions, follow-ups, clocks escalating, links, closing."""

    __tablename__ = "mediation_dispute_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("mediation_dispute.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
