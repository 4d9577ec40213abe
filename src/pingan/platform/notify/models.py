"""Notification tables: the event outbox (also the live feed), webhook subscriptions and deliveries."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime


class Event(Base):
    """One thing that happened, addressed to a unit (its subtree sees it), a bank, and/or one user."""

    __tablename__ = "notify_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("org_bank.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)


class WebhookFormat(enum.StrEnum):
    JSON = "json"
    DINGTALK = "dingtalk"
    WECOM = "wecom"


class WebhookSubscription(Base):
    __tablename__ = "notify_webhook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500))
    format: Mapped[WebhookFormat] = mapped_column(StrEnumType(WebhookFormat, 16))
    # Comma-separated topic prefixes ("antifraud.alert,platform.deadline."); empty means every topic.
    topics: Mapped[str] = mapped_column(String(500), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("org_bank.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookDelivery(Base):
    __tablename__ = "notify_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "webhook_id"),
        Index("ix_notify_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("notify_event.id", ondelete="CASCADE"))
    webhook_id: Mapped[int] = mapped_column(ForeignKey("notify_webhook.id", ondelete="CASCADE"))
    status: Mapped[DeliveryStatus] = mapped_column(StrEnumType(DeliveryStatus, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship()
    webhook: Mapped[WebhookSubscription] = relationship()
