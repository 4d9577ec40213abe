"""Anti-fraud tables: screenings (every decision with its evidence), alerts, intel list, rule-set versions."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import BankBranch


class Decision(enum.StrEnum):
    ALLOW = "allow"
    WARN = "warn"
    HOLD = "hold"


class Screening(Base):
    __tablename__ = "antifraud_screening"
    __table_args__ = (
        UniqueConstraint("bank_id", "request_id"),
        Index("ix_antifraud_screening_branch_time", "branch_id", "received_at"),
        Index("ix_antifraud_screening_station_time", "station_id", "received_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("org_bank_branch.id"))
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    request_id: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the canonical request: a repeated request_id with another body is a conflict.
    request_hash: Mapped[str] = mapped_column(String(64))
    # The validated request as canonical JSON text (what the hash covers and what a replay parses).
    request: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    customer_id_number: Mapped[str] = mapped_column(String(18), index=True)
    payee_account: Mapped[str] = mapped_column(String(40), index=True)
    decision: Mapped[Decision] = mapped_column(StrEnumType(Decision, 8), index=True)
    score: Mapped[int] = mapped_column(Integer)
    typology: Mapped[str | None] = mapped_column(String(40))
    reasons: Mapped[list] = mapped_column(JSON)
    questions: Mapped[list] = mapped_column(JSON)
    fired_rules: Mapped[list] = mapped_column(JSON)
    features: Mapped[list] = mapped_column(JSON)
    feature_set_version: Mapped[str] = mapped_column(String(32))
    model_version: Mapped[str] = mapped_column(String(64))
    model_probability: Mapped[float | None] = mapped_column(Float)
    ruleset_version: Mapped[str] = mapped_column(String(32))
    thresholds: Mapped[dict] = mapped_column(JSON)
    elapsed_ms: Mapped[float] = mapped_column(Float)
    # Set by whoever submitted it from a page (a teller); API screenings carry the bank system user.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))

    branch: Mapped[BankBranch] = relationship()
    alert: Mapped[Alert | None] = relationship(back_populates="screening", uselist=False)


class AlertStatus(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    ON_SITE = "on_site"
    CLOSED = "closed"


class Alert(Base):
    """Created with every hold; routed to the station covering the bank branch."""

    __tablename__ = "antifraud_alert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(ForeignKey("antifraud_screening.id"), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org_bank_branch.id"), index=True)
    status: Mapped[AlertStatus] = mapped_column(StrEnumType(AlertStatus, 16), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))

    screening: Mapped[Screening] = relationship(back_populates="alert")


class IntelKind(enum.StrEnum):
    ACCOUNT = "account"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    DEVICE = "device"


class IntelStatus(enum.StrEnum):
    ACTIVE = "active"
    REMOVED = "removed"


class IntelEntry(Base):
    """One fraud-linked account, phone, ID number or device, shared by every bank."""

    __tablename__ = "antifraud_intel_entry"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[IntelKind] = mapped_column(StrEnumType(IntelKind, 16))
    value: Mapped[str] = mapped_column(String(64))
    typology: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(100))
    listed_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[IntelStatus] = mapped_column(StrEnumType(IntelStatus, 16), index=True)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("antifraud_alert.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RuleSetVersion(Base):
    """Every saved version of the rule thresholds; exactly one is active, earlier ones can be restored."""

    __tablename__ = "antifraud_ruleset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(32), unique=True)
    thresholds: Mapped[dict] = mapped_column(JSON)
    enabled: Mapped[dict] = mapped_column(JSON)
    warn_threshold: Mapped[int] = mapped_column(Integer)
    hold_threshold: Mapped[int] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
