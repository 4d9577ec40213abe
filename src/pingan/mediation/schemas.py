"""What callers send to the mediation service (API bodies and page forms alike), validated, and the error
paths they get back (``parties[0].id_number``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from pingan.core.fields import AwareDatetime, MobilePhone, ResidentIdNumber
from pingan.core.schemas import StrictModel, Time
from pingan.core.schemas import parse as parse  # the module's pages and tests parse through its schemas
from pingan.mediation.models import Category, DisputeStatus, FollowUpKind, MediatorKind, Outcome, Source

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]


class PartyIn(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    id_number: ResidentIdNumber | None = None
    phone: MobilePhone | None = None
    address: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> PartyIn:
        if not self.id_number and not self.phone:
            raise PydanticCustomError("party.identity_required",
                                      "请填写身份证号或手机号 / give the party's ID number or phone")
        return self


class DisputeIn(StrictModel):
    source: Source
    category: Category
    summary: Text
    station_code: Annotated[str, Field(min_length=1, max_length=32)]
    community_code: Annotated[str, Field(max_length=32)] | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    address_code: Annotated[str, Field(max_length=40)] | None = None  # a standard address (GET /api/v1/places/match)
    call_no: Annotated[str, Field(max_length=32)] | None = None
    room_id: int | None = None
    scheduled_at: AwareDatetime | None = None
    mediator_ids: Annotated[list[int], Field(max_length=10)] = []
    parties: Annotated[list[PartyIn], Field(min_length=1, max_length=20)]


class SignatureIn(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    role: Literal["party", "mediator"]


class AgreementIn(StrictModel):
    """The contents a people's mediation agreement must state, and who signed it."""

    facts: Text
    responsibilities: Text
    obligations: Text
    performance_method: Short
    performance_place: Short
    performance_due_on: dt.date
    signatures: Annotated[list[SignatureIn], Field(min_length=1, max_length=40)]


class SessionIn(StrictModel):
    outcome: Outcome
    note: Annotated[str, Field(max_length=4000)] = ""
    room_id: int | None = None
    agreement: AgreementIn | None = None

    @model_validator(mode="after")
    def _agreement_with_settlement(self) -> SessionIn:
        if self.outcome is Outcome.SETTLED and self.agreement is None:
            raise PydanticCustomError("agreement.required",
                                      "调解成功须填写调解协议 / a settled session carries its agreement")
        if self.outcome is not Outcome.SETTLED and self.agreement is not None:
            raise PydanticCustomError("agreement.not_settled",
                                      "未调解成功不能签订协议 / only a settled session has an agreement")
        return self


class FollowUpIn(StrictModel):
    note: Text
    kind: FollowUpKind | None = None
    agreement_performed: bool | None = None


class CloseIn(StrictModel):
    reason: Text


class MediatorIn(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    kind: MediatorKind


class RoomOut(BaseModel):
    id: int
    name: str


class MediatorOut(BaseModel):
    id: int
    name: str
    kind: MediatorKind


class SecondaryOut(BaseModel):
    is_secondary: bool
    secondary_of: int | None


class PartyOut(BaseModel):
    """A party in full: the API's dispute read is audited."""

    name: str
    id_number: str | None
    phone: str | None
    address: str | None


class SessionOut(BaseModel):
    id: int
    started_at: Time | None
    ended_at: Time | None
    outcome: Outcome | None
    note: str | None
    room_id: int | None


class FollowUpOut(BaseModel):
    id: int
    kind: FollowUpKind
    at: Time | None
    note: str | None
    on_time: bool | None
    agreement_performed: bool | None


class SignatureOut(BaseModel):
    name: str
    role: str


class AgreementOut(BaseModel):
    facts: str
    responsibilities: str
    obligations: str
    performance_method: str
    performance_place: str
    performance_due_on: dt.date
    performed_on: dt.date | None
    signatures: list[SignatureOut]
    signed_on: dt.date
    pdf: str = Field(description="path of the agreement as PDF")


class DeadlineOut(BaseModel):
    kind: str
    due_at: Time | None
    warn_at: Time | None
    status: str
    assignee_id: int | None
    ended_at: Time | None


class DisputeAddressOut(BaseModel):
    code: str
    text: str


class DisputeOut(BaseModel):
    id: int
    status: DisputeStatus
    source: Source
    category: Category
    summary: str
    place: str | None
    address: DisputeAddressOut | None
    call_no: str | None
    station_code: str
    community_code: str | None
    room: RoomOut | None
    mediators: list[MediatorOut]
    received_at: Time | None
    scheduled_at: Time | None
    first_session_at: Time | None
    settled_at: Time | None
    closed_at: Time | None
    close_reason: str | None
    secondary: SecondaryOut
    parties: list[PartyOut]
    sessions: list[SessionOut]
    follow_ups: list[FollowUpOut]
    agreement: AgreementOut | None
    deadlines: list[DeadlineOut]


class MonthOut(BaseModel):
    month: int
    disputes: int
    disputes_last_year: int
    calls: int
    calls_last_year: int


class FiguresOut(BaseModel):
    year: int
    total: int
    total_last_year: int
    yoy: float | None
    calls: int
    settlement_rate: float | None
    same_day_rate: float | None
    follow_ups: int
    follow_ups_on_time: int
    secondary: int
    months: list[MonthOut]
