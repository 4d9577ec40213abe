"""What callers send to the grid services (API bodies and page forms alike), validated, and what the API answers."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from pingan.core.fields import AwareDatetime, MobilePhone, ResidentIdNumber
from pingan.core.schemas import StrictModel, Time
from pingan.core.schemas import parse as parse  # the module's pages and tests parse through its schemas
from pingan.grid.models import (
    CollectionKind,
    HandoverTarget,
    MemberKind,
    MemberStatus,
    PublicityTopic,
    ReportCategory,
    TargetKind,
)

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Code = Annotated[str, Field(min_length=1, max_length=40)]
Note = Annotated[str, Field(max_length=4000)]


class MemberIn(StrictModel):
    grid_code: Code
    name: Annotated[str, Field(min_length=1, max_length=64)]
    kind: MemberKind
    phone: MobilePhone
    status: MemberStatus = MemberStatus.ACTIVE
    username: Annotated[str, Field(max_length=64)] | None = None


class CoverageIn(StrictModel):
    grid_code: Code
    officer_username: Annotated[str, Field(min_length=1, max_length=64)]


def _place_given(model: Any, allow_coordinates: bool) -> None:
    coordinates = allow_coordinates and model.latitude is not None and model.longitude is not None
    if not model.address_code and not model.address_text and not coordinates:
        raise PydanticCustomError("place.required", "请选择标准地址、填写地址或定位 / give an address or coordinates")


# Sent by the phone's offline queue with every try of one record: the same key from the same user is one record.
IdempotencyKey = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None


class ReportIn(StrictModel):
    grid_code: Code
    category: ReportCategory
    description: Text
    fields: dict[str, Any] = {}
    address_code: Annotated[str, Field(max_length=40)] | None = None
    address_text: Annotated[str, Field(max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    occurred_at: AwareDatetime | None = None
    is_complex: bool | None = None
    # The phone's key for this report: sending it again (no signal, retries) returns the first report.
    idempotency_key: IdempotencyKey = None

    @model_validator(mode="after")
    def _place(self) -> ReportIn:
        _place_given(self, allow_coordinates=True)
        return self


class StepIn(StrictModel):
    note: Note = ""


class HandleIn(StrictModel):
    handling: Text


class PartyIn(StrictModel):
    """A party of a dispute handed to mediation (its service checks the ID number and phone)."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    phone: Annotated[str, Field(max_length=20)] | None = None
    id_number: Annotated[str, Field(max_length=18)] | None = None


class HandoverIn(StrictModel):
    target: HandoverTarget
    note: Note = ""
    # Another department: its name (the police take a report in as a call, numbered by cases).
    department: Annotated[str, Field(max_length=100)] | None = None
    # Mediation: the dispute's category (mediation's codes) and its parties.
    mediation_category: Annotated[str, Field(max_length=32)] = "neighbour"
    parties: Annotated[list[PartyIn], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _target_details(self) -> HandoverIn:
        if self.target is HandoverTarget.DEPARTMENT and not self.department:
            raise PydanticCustomError("department.required", "请填写接收部门 / name the department")
        if self.target is HandoverTarget.MEDIATION and not self.parties:
            raise PydanticCustomError("parties.required", "移交调解须填写当事人 / a dispute needs its parties")
        return self


class FeedbackIn(StrictModel):
    feedback: Text


class LinkIn(StrictModel):
    original_id: int


class CallIn(StrictModel):
    """A non-police 110 call handed to the grid (the cases module calls ``call.service.receive_call``)."""

    call_no: Annotated[str, Field(min_length=1, max_length=32)]
    phone: Annotated[str, Field(min_length=3, max_length=20)]
    summary: Text
    station_code: Code
    address_code: Annotated[str, Field(max_length=40)] | None = None
    address_text: Annotated[str, Field(max_length=200)] | None = None
    grid_code: Annotated[str, Field(max_length=40)] | None = None
    is_complex: bool = False

    @model_validator(mode="after")
    def _place(self) -> CallIn:
        if not self.address_code and not self.address_text and not self.grid_code:
            raise PydanticCustomError("place.required", "请提供地址或网格 / give an address or a grid")
        return self


class ReturnIn(StrictModel):
    reason: Text


class CallBackIn(StrictModel):
    note: Text
    satisfied: bool = True


class CollectionIn(StrictModel):
    """A collection at a standard address; ``base_version`` is the version the collector's form started from."""

    kind: CollectionKind
    # The standard address picked, or the text typed (a phone with no signal cannot search): the matcher's
    # sure pick in the collector's grids, else 422 at ``address_code``.
    address_code: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    address_text: Annotated[str, Field(max_length=200)] | None = None
    id_number: ResidentIdNumber | None = None
    name: Annotated[str, Field(max_length=64)] | None = None
    data: dict[str, Annotated[str, Field(max_length=500)]] = {}
    base_version: Annotated[int, Field(ge=1)] | None = None
    idempotency_key: IdempotencyKey = None

    @model_validator(mode="after")
    def _person(self) -> CollectionIn:
        if self.kind is CollectionKind.FLOATING_POPULATION and (not self.id_number or not self.name):
            raise PydanticCustomError("person.required", "流动人口须填写姓名和身份证号 / a resident needs name and ID")
        return self


class PatrolIn(StrictModel):
    grid_code: Code
    title: Annotated[str, Field(min_length=1, max_length=100)]
    planned_at: AwareDatetime | None = None
    member_ids: Annotated[list[int], Field(max_length=20)] = []
    police_usernames: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=10)] = []
    note: Note = ""
    idempotency_key: IdempotencyKey = None


class CheckPointIn(StrictModel):
    grid_code: Code
    name: Annotated[str, Field(min_length=1, max_length=100)]
    address_code: Annotated[str, Field(max_length=40)] | None = None


class CheckInIn(StrictModel):
    token: Annotated[str, Field(min_length=8, max_length=32)]


class PublicityIn(StrictModel):
    grid_code: Code
    topic: PublicityTopic
    title: Annotated[str, Field(min_length=1, max_length=100)]
    place: Annotated[str, Field(min_length=1, max_length=200)]
    address_code: Annotated[str, Field(max_length=40)] | None = None
    held_at: AwareDatetime | None = None
    audience: Annotated[int, Field(ge=0, le=100_000)]
    materials: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    idempotency_key: IdempotencyKey = None


class TargetIn(StrictModel):
    year: Annotated[int, Field(ge=2000, le=2100)]
    grid_code: Code
    member_id: int | None = None
    kind: TargetKind
    target: Annotated[int, Field(ge=0, le=1_000_000)]


class SignalIn(StrictModel):
    """An offer, answer or ICE candidate for the other browser (SDP and candidates as the browser gives them)."""

    kind: Annotated[str, Field(max_length=16)]
    payload: dict[str, Any]


# Answers


class DeadlineOut(BaseModel):
    kind: str
    label: str
    due_at: Time
    status: str
    assignee_id: int | None
    ended_at: Time | None


class EventOut(BaseModel):
    at: Time
    kind: str
    actor: str
    note: str | None


class PhotoOut(BaseModel):
    id: int
    content_type: str
    size: int
    url: str


class DuplicateOut(BaseModel):
    id: int
    submitted_at: Time
    status: str
    description: str


class ReportOut(BaseModel):
    id: int
    status: str
    category: str
    grid_code: str
    description: str
    fields: dict[str, Any]
    address_code: str | None
    address_text: str | None
    latitude: float | None
    longitude: float | None
    occurred_at: Time
    submitted_at: Time
    is_complex: bool
    accepted_at: Time | None
    handled_at: Time | None
    handling: str | None
    handover_to: str | None
    handover_ref: str | None
    fed_back_at: Time | None
    feedback: str | None
    closed_at: Time | None
    duplicate_of: int | None
    possible_duplicates: list[DuplicateOut]
    photos: list[PhotoOut]
    deadlines: list[DeadlineOut]
    timeline: list[EventOut]


class CallOut(BaseModel):
    id: int
    call_no: str
    status: str
    phone: str
    summary: str
    grid_code: str
    station_code: str
    address_code: str | None
    address_text: str | None
    is_complex: bool
    received_at: Time
    accepted_at: Time | None
    handled_at: Time | None
    handling: str | None
    fed_back_at: Time | None
    feedback: str | None
    feedback_on_time: bool | None
    closed_at: Time | None
    called_back_at: Time | None
    returned_at: Time | None
    return_reason: str | None
    is_repeat: bool
    repeat_of: int | None
    deadlines: list[DeadlineOut]
    timeline: list[EventOut]


class AttributeOut(BaseModel):
    code: str
    datatype: str
    required: bool
    order: int
    description: str
    values: list[dict[str, str]]


class CategoryOut(BaseModel):
    code: str
    name: str
    description: str
    complex: bool
    attributes: list[AttributeOut]


class MemberOut(BaseModel):
    id: int
    grid_code: str
    name: str
    kind: str
    phone: str
    status: str


class CollectionOut(BaseModel):
    id: int
    kind: str
    address_code: str
    grid_code: str
    subject: str
    name: str | None
    data: dict[str, Any]
    version: int
    needs_review: bool
    review_note: str | None
    verified: bool
    versions: list[dict[str, Any]]


class PatrolOut(BaseModel):
    id: int
    grid_code: str
    title: str
    status: str
    planned_at: Time
    started_at: Time | None
    ended_at: Time | None
    verified: bool
    people: list[str]
    check_ins: list[dict[str, Any]]
    findings: list[int]


class CheckPointOut(BaseModel):
    id: int
    grid_code: str
    name: str
    address_code: str | None
    token: str
    qr_svg: str


class PublicityOut(BaseModel):
    id: int
    grid_code: str
    topic: str
    title: str
    place: str
    held_at: Time
    audience: int
    materials: int
    verified: bool
    photos: int


class ProgressOut(BaseModel):
    kind: str
    label: str
    target: int
    done: int
    percent: int


class TargetsOut(BaseModel):
    year: int
    grid_code: str
    grid: list[ProgressOut]
    members: list[dict[str, Any]]


class FiguresOut(BaseModel):
    year: int
    reports: int
    by_category: dict[str, int]
    by_grid: dict[str, int]
    by_month: list[int]
    reports_fed_back: int
    calls: int
    calls_fed_back: int
    calls_on_time: int
    on_time_rate: float | None
    calls_returned: int
    repeat_calls: int
    calls_by_month: list[int]
    verified: dict[str, int]
    targets: dict[str, int]


class VideoCallOut(BaseModel):
    id: int
    report_id: int
    status: str
    caller_id: int
    callee_id: int
    rang_at: Time
    answered_at: Time | None
    ended_at: Time | None
    seconds: int | None
    snapshot_url: str | None
