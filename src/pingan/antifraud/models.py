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
    # Every index is paid for on the hottest insert (a county month replays at thousands a second): only
    # those the pages, the idempotency check and the boot replay read are kept.
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
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    customer_id_number: Mapped[str] = mapped_column(String(18))
    payee_account: Mapped[str] = mapped_column(String(40))
    decision: Mapped[Decision] = mapped_column(StrEnumType(Decision, 8))
    score: Mapped[int] = mapped_column(Integer)
    # The score before rounding (score = round(risk)): strictly ordered where integer scores tie. Null for
    # screenings stored before it was kept, whose answer gives their integer score.
    risk: Mapped[float | None] = mapped_column(Float)
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
    # What a shadow challenger would have said (model_version, probability, score, decision); null without one.
    shadow: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
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


class AlertOutcome(enum.StrEnum):
    DISSUADED = "dissuaded"
    NOT_FRAUD = "not_fraud"
    INSISTED = "insisted"
    FRAUD_CONFIRMED = "fraud_confirmed"
    UNREACHABLE = "unreachable"
    NO_ANSWER = "no_answer"


class AlertKind(enum.StrEnum):
    """Where the police go: to the branch (counter, ATM), or on the phone for a remote hold (mobile, online)."""

    ON_SITE = "on_site"
    CALLBACK = "callback"


class Alert(Base):
    """Created with every hold; routed to the station covering the bank branch (a call-back task for the bureau's
    anti-fraud centre when the hold came from mobile or online banking). Each step is stamped here and in
    ``antifraud_alert_step``."""

    __tablename__ = "antifraud_alert"
    __table_args__ = (Index("ix_antifraud_alert_station_created", "station_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(ForeignKey("antifraud_screening.id"), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("org_bank_branch.id"), index=True)
    kind: Mapped[AlertKind] = mapped_column(StrEnumType(AlertKind, 16), server_default=AlertKind.ON_SITE.value)
    status: Mapped[AlertStatus] = mapped_column(StrEnumType(AlertStatus, 16), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    hold_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    officer: Mapped[str | None] = mapped_column(String(100))
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    arrived_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    outcome: Mapped[AlertOutcome | None] = mapped_column(StrEnumType(AlertOutcome, 32), index=True)
    # What the bank does with the held money once the alert is closed: "release" or "cancel".
    instruction: Mapped[str | None] = mapped_column(String(8))
    amount_protected: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    confirmed_typology: Mapped[str | None] = mapped_column(String(40))
    fraud_phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    screening: Mapped[Screening] = relationship(back_populates="alert")
    steps: Mapped[list[AlertStep]] = relationship(back_populates="alert", order_by="AlertStep.id")


class AlertStep(Base):
    """One step of an alert's history: who did what, when, from which state to which."""

    __tablename__ = "antifraud_alert_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("antifraud_alert.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    actor_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)

    alert: Mapped[Alert] = relationship(back_populates="steps")


class MissedFraud(Base):
    """A screening that was allowed, of a customer who later reported being defrauded (a cases fraud report):
    a fraud label the model learns from (`train --from-outcomes`) and a counted counter-remittance fraud case."""

    __tablename__ = "antifraud_missed_fraud"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[str] = mapped_column(ForeignKey("antifraud_screening.id"), unique=True)
    case_ref: Mapped[str] = mapped_column(String(64))
    typology: Mapped[str | None] = mapped_column(String(40))
    reported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


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


class ScoreModelVersion(Base):
    """A trained score model in the registry: its artefact on disk (checked by SHA-256), what it was trained
    on and how it measured. At most one is active (deciding) and at most one is the shadow challenger
    (scored and logged beside the active one, never deciding)."""

    __tablename__ = "antifraud_model"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    model_sha256: Mapped[str] = mapped_column(String(64))
    feature_set_version: Mapped[str] = mapped_column(String(32))
    data_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON)
    metrics: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_shadow: Mapped[bool] = mapped_column(Boolean, default=False)
    # The model that was active when this one was activated: where `rollback` goes back to.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("antifraud_model.id"))
    activated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class KnownPayee(Base):
    """A merchant or organisation account analysts vouch for (the water company, a school, a landlord's
    rent account): fan-in rules never fire on transfers to it; every other rule and the model still do."""

    __tablename__ = "antifraud_known_payee"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_no: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    listed_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[IntelStatus] = mapped_column(StrEnumType(IntelStatus, 16), index=True)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class BankThresholds(Base):
    """Every saved version of one bank's warn and hold thresholds (by hand or calibrated on its own
    traffic); at most one per bank is active, earlier ones can be restored. A bank without one decides on
    the rule set's thresholds."""

    __tablename__ = "antifraud_bank_thresholds"
    __table_args__ = (UniqueConstraint("bank_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    warn_threshold: Mapped[int] = mapped_column(Integer)
    hold_threshold: Mapped[int] = mapped_column(Integer)
    # The band the bank's daily rates are watched against (shares of its screenings).
    target_hold_rate: Mapped[float] = mapped_column(Float)
    target_warn_rate: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16))  # "calibrated" or "manual"
    # What the calibration replayed: screenings, their hold and warn rates at these thresholds, model.
    calibration: Mapped[dict | None] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))


class RateDrift(Base):
    """A bank's day whose hold or warn rate left its band, recorded once, when the centre was notified."""

    __tablename__ = "antifraud_rate_drift"
    __table_args__ = (UniqueConstraint("bank_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    screenings: Mapped[int] = mapped_column(Integer)
    hold_rate: Mapped[float] = mapped_column(Float)
    warn_rate: Mapped[float] = mapped_column(Float)
    notified_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
