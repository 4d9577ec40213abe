"""What the antifraud API answers about a screening after its decision: where its alert stands."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from pingan.antifraud.engine.contract import ScreeningResult
from pingan.antifraud.models import AlertKind, AlertStatus
from pingan.core.schemas import Time


class AlertProgress(BaseModel):
    """Where a hold's alert stands, as the bank sees it (the screening status) and the pages show it."""

    alert_id: int
    kind: AlertKind
    status: AlertStatus
    police_on_the_way: bool
    outcome: str | None
    instruction: Literal["release", "cancel"] | None
    created_at: Time | None
    acknowledged_at: Time | None
    dispatched_at: Time | None
    arrived_at: Time | None
    closed_at: Time | None
    hold_expires_at: Time | None


class ScreeningStatus(ScreeningResult):
    """The answer plus where the screening stands now; for a hold, the alert's progress."""

    bank_code: str
    branch_code: str
    received_at: Time
    status: AlertStatus | Literal["decided"]
    outcome: str | None
    instruction: Literal["release", "cancel"] | None = Field(
        description='for a hold, what the bank does with the money once the police close the alert; null while open')
    alert: AlertProgress | None
