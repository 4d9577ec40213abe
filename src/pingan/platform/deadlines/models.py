"""Deadline tables: a clock per (owner, kind) and one row per escalation level that fired."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime


class ClockMode(enum.StrEnum):
    WALL = "wall"
    WORKING = "working"


class ClockStatus(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    CANCELLED = "cancelled"


class EscalationLevel(enum.StrEnum):
    WARNING = "warning"
    BREACH = "breach"


class DeadlineClock(Base):
    __tablename__ = "deadline_clock"
    __table_args__ = (
        Index("ix_deadline_clock_owner", "owner_type", "owner_id"),
        Index("ix_deadline_clock_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(300))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    mode: Mapped[ClockMode] = mapped_column(StrEnumType(ClockMode, 16))
    status: Mapped[ClockStatus] = mapped_column(StrEnumType(ClockStatus, 16))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    warn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # While paused, what was left of the clock (in its own mode's seconds) waits here.
    paused_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    remaining_seconds: Mapped[float | None] = mapped_column(Float)
    warn_before_seconds: Mapped[float | None] = mapped_column(Float)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    escalations: Mapped[list[DeadlineEscalation]] = relationship(
        back_populates="clock", order_by="DeadlineEscalation.fired_at"
    )


class DeadlineEscalation(Base):
    __tablename__ = "deadline_escalation"
    __table_args__ = (UniqueConstraint("clock_id", "level"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("deadline_clock.id", ondelete="CASCADE"))
    level: Mapped[EscalationLevel] = mapped_column(StrEnumType(EscalationLevel, 16))
    fired_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    clock: Mapped[DeadlineClock] = relationship(back_populates="escalations")
