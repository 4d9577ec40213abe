"""Grid tables: the grid force and the officers covering each grid, reports from the grid with their photos,
non-police 110 calls handed to the grid, and the typed events that make up their timelines."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address


class MemberKind(enum.StrEnum):
    GRID_WORKER = "grid_worker"
    GUARD = "guard"
    BUILDING_HEAD = "building_head"
    VOLUNTEER = "volunteer"
    OTHER = "other"


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    LEFT = "left"


class ReportCategory(enum.StrEnum):
    """The report categories; each one's form fields are defined in data (data/grid_categories.yaml)."""

    SAFETY_HAZARD = "safety_hazard"
    DISPUTE = "dispute"
    SUSPICIOUS_PERSON = "suspicious_person"
    WILDLIFE = "wildlife"
    FIRE_RISK = "fire_risk"
    RENTAL_HOUSE = "rental_house"
    FRAUD_LEAD = "fraud_lead"
    OTHER = "other"


class ReportStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    HANDLED = "handled"
    HANDED_OVER = "handed_over"
    FED_BACK = "fed_back"
    CLOSED = "closed"
    # A copy linked to the original it repeats: it takes no further updates.
    LINKED = "linked"


class HandoverTarget(enum.StrEnum):
    MEDIATION = "mediation"
    CASES = "cases"
    DEPARTMENT = "department"


class CallStatus(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    HANDLED = "handled"
    FED_BACK = "fed_back"
    CLOSED = "closed"
    CALLED_BACK = "called_back"
    # Police work after all: back to the station that handed it over.
    RETURNED = "returned"


class Member(Base):
    """A member of the grid force: grid worker, guard, building head, public-security volunteer or other."""

    __tablename__ = "grid_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[MemberKind] = mapped_column(StrEnumType(MemberKind, 16))
    phone: Mapped[str] = mapped_column(String(11), index=True)
    status: Mapped[MemberStatus] = mapped_column(StrEnumType(MemberStatus, 16), default=MemberStatus.ACTIVE)
    # The member's sign-in, if they use Pingan themselves (a grid worker does; a volunteer may not).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    grid: Mapped[OrgUnit] = relationship()


class Coverage(Base):
    """Which community officer covers which grid (one officer, several grids)."""

    __tablename__ = "grid_coverage"
    __table_args__ = (UniqueConstraint("grid_id", name="uq_grid_coverage_grid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"), index=True)
    since: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Report(Base):
    """A report from the grid (上报), routed to the community officer of its grid."""

    __tablename__ = "grid_report"
    __table_args__ = (
        Index("ix_grid_report_grid_submitted", "grid_id", "submitted_at"),
        UniqueConstraint("reporter_id", "idempotency_key", name="uq_grid_report_idempotency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    category: Mapped[ReportCategory] = mapped_column(StrEnumType(ReportCategory, 24), index=True)
    status: Mapped[ReportStatus] = mapped_column(StrEnumType(ReportStatus, 16), index=True)
    description: Mapped[str] = mapped_column(Text)
    # The category's own fields, as its definition names them ({"hazard_kind": "electric", ...}).
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"), index=True)
    address_text: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    # Complex matters get the longer feedback limit.
    is_complex: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"), index=True)
    # Sent by the phone with every try of the same report: a second send returns the first report.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    handling: Mapped[str | None] = mapped_column(Text)
    handover_to: Mapped[HandoverTarget | None] = mapped_column(StrEnumType(HandoverTarget, 16))
    # Whom it went to: the mediation dispute's id, the department's name, the case or call reference.
    handover_ref: Mapped[str | None] = mapped_column(String(200))
    fed_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    feedback: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("grid_report.id"), index=True)

    grid: Mapped[OrgUnit] = relationship()
    address: Mapped[Address | None] = relationship()
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.id", cascade="all, delete-orphan")
    duplicate_of: Mapped[Report | None] = relationship(remote_side=[id])


class Photo(Base):
    """A photo of a report (JPEG or PNG, checked by its content), stored with the report."""

    __tablename__ = "grid_photo"
    __table_args__ = (UniqueConstraint("report_id", "sha256", name="uq_grid_photo_content"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grid_report.id", ondelete="CASCADE"), index=True)
    content_type: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class HandedCall(Base):
    """A non-police 110 call the station handed to the grid of its address (非警务警情分流)."""

    __tablename__ = "grid_call"
    __table_args__ = (UniqueConstraint("call_no", name="uq_grid_call_call_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_no: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    summary: Mapped[str] = mapped_column(Text)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"), index=True)
    address_text: Mapped[str | None] = mapped_column(String(200))
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # The station that handed it over: where a return and the feedback go.
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    status: Mapped[CallStatus] = mapped_column(StrEnumType(CallStatus, 16), index=True)
    is_complex: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    handed_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    handled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    handling: Mapped[str | None] = mapped_column(Text)
    fed_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_on_time: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    called_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    call_back_note: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    return_reason: Mapped[str | None] = mapped_column(Text)
    # The earlier handed call from the same phone or address within the repeat window.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("grid_call.id"), index=True)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)

    grid: Mapped[OrgUnit] = relationship(foreign_keys=[grid_id])
    station: Mapped[OrgUnit] = relationship(foreign_keys=[station_id])
    address: Mapped[Address | None] = relationship()
    repeat_of: Mapped[HandedCall | None] = relationship(remote_side=[id])


class TimelineEvent(Base):
    """One line of a report's or a handed call's timeline."""

    __tablename__ = "grid_event"
    __table_args__ = (Index("ix_grid_event_owner", "owner", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "report" or "call"
    owner: Mapped[str] = mapped_column(String(8))
    owner_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
