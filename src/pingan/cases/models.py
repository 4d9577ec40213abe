"""Cases tables: 110 calls, cases with their people and timeline, fugitives, seized items with their
append-only custody chain, telecom-fraud reports with their payee accounts and phones, task forces and tasks."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.core.errors import Conflict
from pingan.platform.org.models import OrgUnit
from pingan.platform.places.models import Address

Money = Numeric(16, 2)


# ---- 110 calls ----------------------------------------------------------------------------------------------

class CallCategory(enum.StrEnum):
    CRIMINAL = "criminal"
    PUBLIC_ORDER = "public_order"
    DISPUTE = "dispute"
    FRAUD = "fraud"
    TRAFFIC = "traffic"
    HELP = "help"
    OTHER = "other"


class Disposition(enum.StrEnum):
    CASE = "case"
    DISPUTE = "dispute"
    GRID = "grid"
    FALSE = "false"
    REPEAT = "repeat"


class Call(Base):
    """One 110 call (警情) as received, and what was done with it."""

    __tablename__ = "cases_call"
    __table_args__ = (Index("ix_cases_call_station_received", "station_id", "received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_no: Mapped[str] = mapped_column(String(32), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    caller_phone: Mapped[str | None] = mapped_column(String(11), index=True)
    address_id: Mapped[int | None] = mapped_column(ForeignKey("places_address.id"), index=True)
    address_text: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[CallCategory] = mapped_column(StrEnumType(CallCategory, 16))
    summary: Mapped[str] = mapped_column(Text)
    # A call from the same phone or at the same address within the repeat window (30 days).
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases_call.id"))
    disposition: Mapped[Disposition | None] = mapped_column(StrEnumType(Disposition, 16))
    disposed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    disposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    disposition_note: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases_case.id"))
    dispute_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # A grid report the community officer handed to the police (platform.handover): its outcome goes back.
    grid_report_id: Mapped[int | None] = mapped_column(Integer, unique=True)

    station: Mapped[OrgUnit] = relationship()
    address: Mapped[Address | None] = relationship()


# ---- the case register --------------------------------------------------------------------------------------

class CaseKind(enum.StrEnum):
    CRIMINAL = "criminal"
    ADMINISTRATIVE = "administrative"


class CaseCategory(enum.StrEnum):
    HOMICIDE = "homicide"
    ROBBERY = "robbery"
    SNATCHING = "snatching"
    THEFT = "theft"
    PROPERTY_OTHER = "property_other"
    TELECOM_FRAUD = "telecom_fraud"
    COUNTERFEIT = "counterfeit"
    WILDLIFE = "wildlife"
    PUBLIC_ORDER = "public_order"
    OTHER = "other"


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    FILED = "filed"
    NOT_FILED = "not_filed"
    INVESTIGATING = "investigating"
    SOLVED = "solved"
    TRANSFERRED = "transferred"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class FilingTrack(enum.StrEnum):
    """How long the filing decision may take: 3 days, 7 when clues are checked, 30 complex (approved)."""

    STANDARD = "standard"
    CLUE_CHECK = "clue_check"
    COMPLEX = "complex"


class Case(Base):
    __tablename__ = "cases_case"
    __table_args__ = (UniqueConstraint("station_id", "year", "seq", name="uq_cases_case_station_year_seq"),
                      Index("ix_cases_case_station_received", "station_id", "received_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(48), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[CaseKind] = mapped_column(StrEnumType(CaseKind, 16))
    category: Mapped[CaseCategory] = mapped_column(StrEnumType(CaseCategory, 16), index=True)
    status: Mapped[CaseStatus] = mapped_column(StrEnumType(CaseStatus, 16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    filing_track: Mapped[FilingTrack] = mapped_column(StrEnumType(FilingTrack, 16), default=FilingTrack.STANDARD)
    # A public-order case whose 30-day limit was extended by 30 (with the higher bureau's approval).
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    # 小案快办: a theft or loss report handled by the community officer the same day.
    small: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    filed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    solved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    transferred_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    station: Mapped[OrgUnit] = relationship(foreign_keys=[station_id])
    persons: Mapped[list[CasePerson]] = relationship(order_by="CasePerson.id", back_populates="case")
    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id")


class PersonKind(enum.StrEnum):
    SUSPECT = "suspect"
    VICTIM = "victim"
    WITNESS = "witness"


class SuspectStatus(enum.StrEnum):
    AT_LARGE = "at_large"
    DETAINED = "detained"
    ON_BAIL = "on_bail"
    ARRESTED = "arrested"
    RELEASED = "released"


class CasePerson(Base):
    __tablename__ = "cases_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PersonKind] = mapped_column(StrEnumType(PersonKind, 16))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    phone: Mapped[str | None] = mapped_column(String(11))
    suspect_status: Mapped[SuspectStatus | None] = mapped_column(StrEnumType(SuspectStatus, 16))
    loss: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    case: Mapped[Case] = relationship(back_populates="persons")


class CaseEvent(Base):
    """One line of a case's timeline: each step, who took it, when; clocks warning and breaching."""

    __tablename__ = "cases_case_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)


# ---- fugitives ----------------------------------------------------------------------------------------------

class Danger(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class FugitiveStatus(enum.StrEnum):
    AT_LARGE = "at_large"
    CAUGHT = "caught"
    DEAD = "dead"
    REVOKED = "revoked"


class Fugitive(Base):
    __tablename__ = "cases_fugitive"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases_case.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    wanted_since: Mapped[dt.date] = mapped_column(Date)
    danger: Mapped[Danger] = mapped_column(StrEnumType(Danger, 16))
    last_known_places: Mapped[list] = mapped_column(JSON)
    status: Mapped[FugitiveStatus] = mapped_column(StrEnumType(FugitiveStatus, 16), index=True)
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    caught_place: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship()


# ---- seized goods -------------------------------------------------------------------------------------------

class ItemUnit(enum.StrEnum):
    BOX = "box"
    TONNE = "tonne"
    SET = "set"
    CARTON = "carton"
    PIECE = "piece"


class ItemStatus(enum.StrEnum):
    SEIZED = "seized"
    IN_CUSTODY = "in_custody"
    LENT = "lent"
    DISPOSED = "disposed"


class MovementKind(enum.StrEnum):
    SEIZED = "seized"
    HANDED_OVER = "handed_over"
    LENT = "lent"
    RETURNED = "returned"
    DISPOSED = "disposed"


class DisposalKind(enum.StrEnum):
    RETURNED_TO_OWNER = "returned_to_owner"
    DESTROYED = "destroyed"
    CONFISCATED = "confiscated"


class SeizedItem(Base):
    __tablename__ = "cases_seized_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases_case.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(16, 3))
    unit: Mapped[ItemUnit] = mapped_column(StrEnumType(ItemUnit, 16))
    value: Mapped[Decimal | None] = mapped_column(Money)
    held_at: Mapped[str] = mapped_column(String(200))
    status: Mapped[ItemStatus] = mapped_column(StrEnumType(ItemStatus, 16))
    seized_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    case: Mapped[Case] = relationship()
    movements: Mapped[list[CustodyMovement]] = relationship(order_by="CustodyMovement.seq")


class CustodyMovement(Base):
    """One link of an item's custody chain, signed by the side handing over and the side receiving it.
    Append-only: a movement is never changed or deleted (enforced below and by the service)."""

    __tablename__ = "cases_custody_movement"
    __table_args__ = (UniqueConstraint("item_id", "seq", name="uq_cases_custody_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("cases_seized_item.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[MovementKind] = mapped_column(StrEnumType(MovementKind, 16))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    from_name: Mapped[str] = mapped_column(String(64))
    to_name: Mapped[str] = mapped_column(String(64))
    # Both sides sign: the names as signed (a record of the signature, not the login).
    from_signed: Mapped[str] = mapped_column(String(64))
    to_signed: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    approver: Mapped[str | None] = mapped_column(String(64))
    due_back_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    disposal: Mapped[DisposalKind | None] = mapped_column(StrEnumType(DisposalKind, 24))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


def _append_only(_mapper, _connection, _target) -> None:
    raise Conflict("custody.append_only",
                   "保管记录只能追加，不能修改或删除 / custody movements are never edited or deleted")


event.listen(CustodyMovement, "before_update", _append_only)
event.listen(CustodyMovement, "before_delete", _append_only)


# ---- telecom-fraud reports ----------------------------------------------------------------------------------

class ContactMethod(enum.StrEnum):
    PHONE = "phone"
    SMS = "sms"
    WECHAT = "wechat"
    QQ = "qq"
    APP = "app"
    WEBSITE = "website"
    OTHER = "other"


class PayeeStatus(enum.StrEnum):
    # On the intel list, no stop-payment asked: the money never left (a hold at a 警银通 alert kept it).
    LISTED = "listed"
    STOP_REQUESTED = "stop_requested"
    STOPPED = "stopped"
    REFUSED = "refused"
    FROZEN = "frozen"
    LAPSED = "lapsed"


class FraudReport(Base):
    """A victim's telecom-network fraud report (电诈案件); it opens a telecom_fraud case."""

    __tablename__ = "cases_fraud_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases_case.id"), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    victim_name: Mapped[str] = mapped_column(String(64))
    victim_id_number: Mapped[str] = mapped_column(String(18), index=True)
    victim_phone: Mapped[str | None] = mapped_column(String(11))
    loss: Mapped[Decimal] = mapped_column(Money)
    contact_method: Mapped[ContactMethod] = mapped_column(StrEnumType(ContactMethod, 16))
    typology: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    high_loss: Mapped[bool] = mapped_column(Boolean, default=False)
    # The victim's earlier screenings that were allowed (missed fraud): a counter-remittance fraud case.
    missed_screenings: Mapped[list] = mapped_column(JSON, default=list)
    counter_remittance: Mapped[bool] = mapped_column(Boolean, default=False)
    # The 警银通 alert whose verified fraud opened this report, if any.
    alert_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    phones: Mapped[list] = mapped_column(JSON, default=list)

    case: Mapped[Case] = relationship()
    payees: Mapped[list[FraudPayee]] = relationship(order_by="FraudPayee.id", back_populates="report")


class FraudPayee(Base):
    """A payee account the victim paid: the stop-payment request to its bank and the freeze that follows."""

    __tablename__ = "cases_fraud_payee"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("cases_fraud_report.id"), index=True)
    account_no: Mapped[str] = mapped_column(String(40), index=True)
    # Unknown for a payee taken over from a 警银通 alert (the screening names the account only).
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("org_bank.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[PayeeStatus] = mapped_column(StrEnumType(PayeeStatus, 16))
    stop_requests: Mapped[int] = mapped_column(Integer, default=1)
    stop_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    bank_answer: Mapped[str | None] = mapped_column(String(16))
    bank_note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    frozen_until: Mapped[dt.date | None] = mapped_column(Date)
    freeze_renewals: Mapped[int] = mapped_column(Integer, default=0)

    report: Mapped[FraudReport] = relationship(back_populates="payees")


# ---- task forces --------------------------------------------------------------------------------------------

class TaskStatus(enum.StrEnum):
    RAISED = "raised"
    ALLOCATED = "allocated"
    DONE = "done"
    RESULTED = "resulted"


class TaskForce(Base):
    """A 专班: a lead and members on one or more cases."""

    __tablename__ = "cases_task_force"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id"))
    member_ids: Mapped[list] = mapped_column(JSON, default=list)
    case_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    station: Mapped[OrgUnit] = relationship()
    tasks: Mapped[list[Task]] = relationship(order_by="Task.id")


class Task(Base):
    __tablename__ = "cases_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_force_id: Mapped[int] = mapped_column(ForeignKey("cases_task_force.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[TaskStatus] = mapped_column(StrEnumType(TaskStatus, 16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    result: Mapped[str | None] = mapped_column(Text)
