"""Grid tables: the grid force and the officers covering each grid, reports from the grid with their photos,
non-police 110 calls handed to the grid, the typed events of their timelines; information collection (with its
versions), joint patrols with check-in points, publicity events, and yearly targets."""

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


class CollectionKind(enum.StrEnum):
    FLOATING_POPULATION = "floating_population"
    RENTAL_HOUSE = "rental_house"
    SHOP = "shop"
    HAZARD = "hazard"


class PatrolStatus(enum.StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    ENDED = "ended"


class PublicityTopic(enum.StrEnum):
    ANTI_FRAUD = "anti_fraud"
    FIRE = "fire"
    ROAD_SAFETY = "road_safety"
    DRUGS = "drugs"
    OTHER = "other"


class TargetKind(enum.StrEnum):
    COLLECTION = "collection"
    PATROL = "patrol"
    PUBLICITY = "publicity"


class VideoStatus(enum.StrEnum):
    RINGING = "ringing"
    CONNECTED = "connected"
    ENDED = "ended"
    DECLINED = "declined"


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
    # Whom it went to: the mediation dispute's id, the department's name, the police call's number.
    handover_ref: Mapped[str | None] = mapped_column(String(200))
    fed_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    feedback: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("grid_report.id"), index=True)
    # A finding of a joint patrol.
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("grid_patrol.id"), index=True)

    grid: Mapped[OrgUnit] = relationship()
    address: Mapped[Address | None] = relationship()
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.id", cascade="all, delete-orphan")
    duplicate_of: Mapped[Report | None] = relationship(remote_side=[id])


class Photo(Base):
    """A photo of a report or a publicity event (JPEG or PNG, checked by its content), stored with it."""

    __tablename__ = "grid_photo"
    __table_args__ = (UniqueConstraint("report_id", "sha256", name="uq_grid_photo_content"),
                      UniqueConstraint("publicity_id", "sha256", name="uq_grid_photo_publicity_content"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("grid_report.id", ondelete="CASCADE"), index=True)
    publicity_id: Mapped[int | None] = mapped_column(ForeignKey("grid_publicity.id", ondelete="CASCADE"),
                                                     index=True)
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


class Collection(Base):
    """A collected record (信息采集) at a standard address: a floating resident (by ID number, in the people
    register), a rental house, a shop or key place, a hazard. Collecting it again updates it (a version kept)."""

    __tablename__ = "grid_collection"
    __table_args__ = (UniqueConstraint("address_id", "kind", "subject", name="uq_grid_collection_subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    kind: Mapped[CollectionKind] = mapped_column(StrEnumType(CollectionKind, 24))
    address_id: Mapped[int] = mapped_column(ForeignKey("places_address.id"))
    # The person's ID number for a floating resident; empty for a house, shop or hazard (one per address).
    subject: Mapped[str] = mapped_column(String(18), default="")
    name: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    collected_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    # An edit made on an older version than the stored one, changing what another edit changed: for review.
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    review_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    address: Mapped[Address] = relationship()
    grid: Mapped[OrgUnit] = relationship()
    versions: Mapped[list[CollectionVersion]] = relationship(order_by="CollectionVersion.version",
                                                             cascade="all, delete-orphan")


class CollectionVersion(Base):
    __tablename__ = "grid_collection_version"
    __table_args__ = (UniqueConstraint("collection_id", "version", name="uq_grid_collection_version"),
                      UniqueConstraint("by_id", "idempotency_key", name="uq_grid_collection_idempotency"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("grid_collection.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    # The version the collector's form started from (an offline edit may start from an older one).
    base_version: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # Sent by the phone with every try of the same collection: a second send is the same version.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))


class Patrol(Base):
    """A joint patrol (联动巡逻) of police and grid members, planned, under way, ended; verified by the officer."""

    __tablename__ = "grid_patrol"
    __table_args__ = (UniqueConstraint("created_by_id", "idempotency_key", name="uq_grid_patrol_idempotency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    status: Mapped[PatrolStatus] = mapped_column(StrEnumType(PatrolStatus, 16))
    planned_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # Sent by the phone with every try of the same plan: a second send returns the first patrol.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    grid: Mapped[OrgUnit] = relationship()
    people: Mapped[list[PatrolMember]] = relationship(order_by="PatrolMember.id", cascade="all, delete-orphan")
    check_ins: Mapped[list[CheckIn]] = relationship(order_by="CheckIn.at", cascade="all, delete-orphan")


class PatrolMember(Base):
    """One of a patrol's people: a member of the grid force or a police user."""

    __tablename__ = "grid_patrol_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("grid_patrol.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("grid_member.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class CheckPoint(Base):
    """A patrol check-in point at a standard address; its printable QR code carries ``token``."""

    __tablename__ = "grid_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"))
    name: Mapped[str] = mapped_column(String(100))
    token: Mapped[str] = mapped_column(String(32), unique=True)

    address: Mapped[Address | None] = relationship()


class CheckIn(Base):
    __tablename__ = "grid_checkin"
    __table_args__ = (UniqueConstraint("patrol_id", "checkpoint_id", name="uq_grid_checkin_point"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patrol_id: Mapped[int] = mapped_column(ForeignKey("grid_patrol.id", ondelete="CASCADE"), index=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("grid_checkpoint.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    checkpoint: Mapped[CheckPoint] = relationship()


class Publicity(Base):
    """A publicity event (宣防): topic, place, audience, materials handed out, photos; verified by the officer."""

    __tablename__ = "grid_publicity"
    __table_args__ = (UniqueConstraint("held_by_id", "idempotency_key", name="uq_grid_publicity_idempotency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    topic: Mapped[PublicityTopic] = mapped_column(StrEnumType(PublicityTopic, 16))
    title: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200))
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"))
    held_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    audience: Mapped[int] = mapped_column(Integer)
    materials: Mapped[int] = mapped_column(Integer, default=0)
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    # Sent by the phone with every try of the same event: a second send returns the first record.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    grid: Mapped[OrgUnit] = relationship()
    photos: Mapped[list[Photo]] = relationship(order_by="Photo.id", cascade="all, delete-orphan")


class Target(Base):
    """A yearly target of a grid, or of one member in it, for collection, patrols or publicity."""

    __tablename__ = "grid_target"
    __table_args__ = (UniqueConstraint("year", "grid_id", "member_id", "kind", name="uq_grid_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("grid_member.id"), index=True)
    kind: Mapped[TargetKind] = mapped_column(StrEnumType(TargetKind, 16))
    target: Mapped[int] = mapped_column(Integer)


class VideoCall(Base):
    """A live video call (可视对讲) from a report: who called whom, when, how long, and the snapshot taken."""

    __tablename__ = "grid_video_call"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grid_report.id", ondelete="CASCADE"), index=True)
    caller_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"))
    callee_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"), index=True)
    status: Mapped[VideoStatus] = mapped_column(StrEnumType(VideoStatus, 16))
    rang_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    seconds: Mapped[int | None] = mapped_column(Integer)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("grid_photo.id", ondelete="SET NULL"))


class VideoSignal(Base):
    """One signalling message of a call, addressed to one browser's user: ring, offer, answer, candidate, hang-up.
    Pingan relays them over its own event stream; the audio and video go peer to peer."""

    __tablename__ = "grid_video_signal"
    __table_args__ = (Index("ix_grid_video_signal_recipient", "recipient_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grid_video_call.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"))
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
