"""The one-window API's bodies (*In, strict) and answers (*Out)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from pingan.core.fields import MobilePhone, ResidentIdNumber
from pingan.core.schemas import StrictModel, Time
from pingan.core.schemas import parse as parse  # the module's pages and tests parse through its schemas
from pingan.onewindow.models import Channel, Department, LimitKind

Code = Annotated[str, Field(min_length=1, max_length=48)]
Note = Annotated[str, Field(min_length=1, max_length=2000)]


class ApplicantIn(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    id_number: ResidentIdNumber
    phone: MobilePhone | None = None


class ApplicationIn(StrictModel):
    applicant: ApplicantIn
    channel: Channel = Channel.WINDOW
    station_code: Annotated[str, Field(min_length=1, max_length=32)]
    # The village service point whose agent submits (channel village_agent).
    service_point_code: Annotated[str, Field(max_length=40)] | None = None
    items: Annotated[list[Code], Field(min_length=1, max_length=10)]
    # Material codes the resident brought; omitted: everything the items need was brought.
    materials: Annotated[list[Code], Field(max_length=60)] | None = None
    ticket_id: int | None = None
    # A partner app (channel partner) submits only for a resident it has verified: its check's reference.
    verification_ref: Annotated[str, Field(min_length=6, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class ServicePointIn(StrictModel):
    community_code: Annotated[str, Field(min_length=1, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    agent_name: Annotated[str, Field(min_length=1, max_length=64)]
    agent_phone: MobilePhone | None = None
    # The text as typed, and the standard address picked for it (if one was).
    address: Annotated[str, Field(max_length=200)] | None = None
    address_code: Annotated[str, Field(max_length=64)] | None = None
    services: Annotated[list[Code], Field(max_length=40)] = []


class StepIn(StrictModel):
    reason: Note | None = None
    tracking_no: Annotated[str, Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9-]+$")] | None = None


class RatingIn(StrictModel):
    grade: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=500)] | None = None


class RectificationStepIn(StrictModel):
    note: Note


class TicketIn(StrictModel):
    station_code: Annotated[str, Field(min_length=1, max_length=32)]
    service_code: Code


class CallIn(StrictModel):
    window: Annotated[str, Field(min_length=1, max_length=32)]


class MaterialOut(BaseModel):
    code: str
    name: str


class CatalogueItemOut(BaseModel):
    code: str
    name: str
    department: Department
    department_label: str
    materials: list[MaterialOut]
    fee_yuan: float
    limit_days: int
    limit_kind: LimitKind
    on_the_spot: bool
    spot_stations: list[str]
    online: bool
    windows: list[str]


class DeadlineOut(BaseModel):
    kind: str
    due_at: Time
    warn_at: Time | None
    status: str
    limit_days: int
    limit_kind: LimitKind


class RatingOut(BaseModel):
    id: int
    grade: int
    grade_label: str
    comment: str | None
    rated_at: Time
    counts: bool
    rectification_id: int | None
    rectification_status: str | None


class ItemOut(BaseModel):
    id: int
    code: str
    name: str
    status: str
    status_label: str
    accepted_at: Time | None
    ready_at: Time | None
    completed_at: Time | None
    within_limit: bool | None
    handover: str | None
    tracking_no: str | None
    reject_reason: str | None
    missing: list[MaterialOut]
    reused: list[MaterialOut]
    deadline: DeadlineOut | None
    rating: RatingOut | None
    steps: list[str]


class NoticeOut(BaseModel):
    id: int
    issued_at: Time
    missing: list[dict]
    reused: list[dict]
    pdf: str


class ApplicantOut(BaseModel):
    name: str
    id_number: str
    phone: str | None


class ApplicationOut(BaseModel):
    id: int
    channel: Channel
    station_code: str
    community_code: str | None
    service_point_code: str | None
    applicant: ApplicantOut
    submitted_at: Time
    due_at: Time | None
    visits: int
    items: list[ItemOut]
    notices: list[NoticeOut]


class RectificationOut(BaseModel):
    id: int
    status: str
    status_label: str
    unit_code: str
    item_id: int
    grade: int
    opened_at: Time
    due_at: Time | None
    call_back_at: Time | None
    call_back_note: str | None
    closed_at: Time | None
    close_note: str | None
    appeal_reason: str | None
    review_note: str | None


class TicketOut(BaseModel):
    id: int
    number: str
    station_code: str
    service_code: str
    status: str
    taken_at: Time
    called_at: Time | None
    window: str | None
    finished_at: Time | None
    waiting_seconds: float | None
    serving_seconds: float | None
    ahead: int


class CountOut(BaseModel):
    key: str
    label: str
    count: int


class WindowRankOut(BaseModel):
    station_code: str
    window: str
    ratings: int
    average: float
    satisfied_share: float


class QueueServiceOut(BaseModel):
    key: str
    label: str
    tickets: int
    waiting_median_minutes: float
    serving_median_minutes: float | None


class FiguresOut(BaseModel):
    year: int
    applications: int
    items: int
    by_item: list[CountOut]
    by_channel: list[CountOut]
    by_station: list[CountOut]
    within_limit_share: float | None
    visits_per_application: float | None
    one_visit_share: float | None
    waiting_median_minutes: float | None
    waiting_p90_minutes: float | None
    ratings: int
    satisfaction: float | None
    rectifications: int
    rectifications_closed: int
    villages_online: int
    villages_applied: int
    service_points: int
    ranking_month: int | None
    window_ranking: list[WindowRankOut]
    queue_by_service: list[QueueServiceOut]


class ServicePointOut(BaseModel):
    id: int
    code: str
    station_code: str
    community_code: str
    community_name: str
    name: str
    agent_name: str
    agent_phone: str | None
    address: str
    address_code: str | None
    services: list[str]
    status: str


class PartnerItemOut(BaseModel):
    """An item as a partner desk sees it: its own item, the applicant masked, no other item of the visit."""

    id: int
    application_id: int
    code: str
    name: str
    status: str
    status_label: str
    station_code: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str | None
    accepted_at: Time | None
    due_at: Time | None
    steps: list[str]
