"""What callers send to the cases service (API bodies and page forms alike), validated, and the answers the
API gives (``*Out``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from pingan.cases.models import (
    CallCategory,
    CaseCategory,
    CaseKind,
    CaseStatus,
    ContactMethod,
    Danger,
    DisposalKind,
    Disposition,
    FugitiveStatus,
    ItemStatus,
    ItemUnit,
    MovementKind,
    PayeeStatus,
    PersonKind,
    SuspectStatus,
    TaskStatus,
)
from pingan.core.fields import MobilePhone, ResidentIdNumber
from pingan.core.schemas import Day, Instant, StrictModel, Time
from pingan.core.schemas import parse as parse  # the module's pages and tests parse through its schemas

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Note = Annotated[str, Field(max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=64)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=32)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Account = Annotated[str, Field(pattern=r"^\d{8,32}$")]


class CallIn(StrictModel):
    call_no: Code
    station_code: Code
    category: CallCategory
    summary: Text
    received_at: Instant | None = None
    caller_phone: MobilePhone | None = None
    address_code: Annotated[str, Field(max_length=40)] | None = None
    address_text: Annotated[str, Field(max_length=200)] | None = None


class CaseIn(StrictModel):
    kind: CaseKind
    category: CaseCategory
    title: Short
    summary: Text
    occurred_at: Instant
    station_code: Code
    community_code: Code | None = None
    small: bool = False
    assignee_username: Annotated[str, Field(max_length=64)] | None = None


class DisposeIn(StrictModel):
    """What the duty officer did with a call: a case (with its fields), a mediation dispute (its category
    and parties, as mediation takes them), handed to the grid, false, or a repeat."""

    disposition: Disposition
    note: Note = ""
    case: CaseIn | None = None
    dispute: dict | None = None
    # For a call handed to the grid with no standard address: the grid to take it.
    grid_code: Annotated[str, Field(max_length=32)] | None = None

    @model_validator(mode="after")
    def _what_it_needs(self) -> DisposeIn:
        if self.disposition is Disposition.CASE and self.case is None:
            raise PydanticCustomError("call.case_required", "立案须填写案件信息 / a case disposition carries the case")
        if self.disposition is Disposition.DISPUTE and self.dispute is None:
            raise PydanticCustomError("call.dispute_required",
                                      "转调解须填写纠纷信息 / a dispute disposition carries the dispute")
        if self.disposition in (Disposition.GRID, Disposition.FALSE) and not self.note:
            raise PydanticCustomError("call.note_required", "请说明处置情况 / say what was done")
        return self


class StepIn(StrictModel):
    note: Note = ""
    approver: Annotated[str, Field(max_length=64)] | None = None


class PersonIn(StrictModel):
    kind: PersonKind
    name: Name
    id_number: ResidentIdNumber | None = None
    phone: MobilePhone | None = None
    suspect_status: SuspectStatus | None = None
    loss: Amount | None = None
    note: Note = ""

    @model_validator(mode="after")
    def _by_kind(self) -> PersonIn:
        if self.kind is not PersonKind.WITNESS and not self.id_number:
            raise PydanticCustomError("person.id_number_required",
                                      "嫌疑人和被害人须填写身份证号 / suspects and victims need an ID number")
        if self.kind is not PersonKind.SUSPECT and self.suspect_status is not None:
            raise PydanticCustomError("person.not_suspect", "只有嫌疑人有在案状态 / only a suspect has a status")
        if self.kind is not PersonKind.VICTIM and self.loss is not None:
            raise PydanticCustomError("person.not_victim", "只有被害人有损失 / only a victim has a loss")
        return self


class PersonStatusIn(StrictModel):
    suspect_status: SuspectStatus
    note: Note = ""


class FugitiveIn(StrictModel):
    name: Name
    id_number: ResidentIdNumber
    case_id: int
    wanted_since: Day
    danger: Danger = Danger.MEDIUM
    last_known_places: Annotated[list[Short], Field(max_length=20)] = []
    note: Note = ""


class FugitiveEndIn(StrictModel):
    place: Annotated[str, Field(max_length=200)] = ""
    note: Note = ""


class SeizureIn(StrictModel):
    description: Short
    quantity: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=3)]
    unit: ItemUnit
    value: Amount | None = None
    held_at: Short
    from_name: Name
    to_name: Name
    from_signed: Name
    to_signed: Name


class CustodyIn(StrictModel):
    """A movement of a seized item, signed by both sides; a loan says who, why, who approved, due back when."""

    kind: Literal["handed_over", "lent", "returned", "disposed"]
    from_name: Name
    to_name: Name
    from_signed: Name
    to_signed: Name
    reason: Note = ""
    approver: Annotated[str, Field(max_length=64)] | None = None
    due_back_at: Instant | None = None
    disposal: DisposalKind | None = None
    held_at: Annotated[str, Field(max_length=200)] | None = None

    @model_validator(mode="after")
    def _loan_and_disposal(self) -> CustodyIn:
        if self.kind == "lent" and not (self.reason and self.approver and self.due_back_at):
            raise PydanticCustomError("custody.loan_incomplete",
                                      "调用须写明事由、审批人和归还时间 / a loan says why, who approved, due back when")
        if self.kind == "disposed" and self.disposal is None:
            raise PydanticCustomError("custody.disposal_required", "请选择处置方式 / say how the item was disposed of")
        return self


class VictimIn(StrictModel):
    name: Name
    id_number: ResidentIdNumber
    phone: MobilePhone | None = None


class PayeeIn(StrictModel):
    account_no: Account
    bank_code: Code
    name: Annotated[str, Field(max_length=64)] | None = None


class FraudReportIn(StrictModel):
    victim: VictimIn
    loss: Amount
    occurred_at: Instant
    station_code: Code
    contact_method: ContactMethod = ContactMethod.PHONE
    typology: Annotated[str, Field(max_length=40)] | None = None
    summary: Note = ""
    payees: Annotated[list[PayeeIn], Field(max_length=50)] = []
    phones: Annotated[list[MobilePhone], Field(max_length=50)] = []


class PayeeAnswerIn(StrictModel):
    """The bank's answer to an emergency stop-payment request."""

    result: Literal["stopped", "refused"]
    note: Note = ""


class FreezeIn(StrictModel):
    approver: Name
    note: Note = ""


class TaskForceIn(StrictModel):
    name: Short
    station_code: Code
    lead_username: Name
    member_usernames: Annotated[list[Name], Field(max_length=100)] = []
    case_ids: Annotated[list[int], Field(max_length=50)] = []


class TaskIn(StrictModel):
    title: Short
    due_at: Instant
    assignee_username: Annotated[str, Field(max_length=64)] | None = None


class TaskStepIn(StrictModel):
    event: Literal["allocate", "done", "result"]
    assignee_username: Annotated[str, Field(max_length=64)] | None = None
    result: Note = ""


# ---- answers ----------------------------------------------------------------------------------------------

class DeadlineOut(BaseModel):
    kind: str
    due_at: Time | None
    warn_at: Time | None
    status: str
    ended_at: Time | None


class CallOut(BaseModel):
    id: int
    call_no: str
    station_code: str
    received_at: Time
    caller_phone: str | None
    address_code: str | None
    address_text: str | None
    category: CallCategory
    summary: str
    repeat: bool
    repeat_of: int | None
    disposition: Disposition | None
    disposed_at: Time | None
    disposition_note: str | None
    case_id: int | None
    dispute_id: int | None


class PersonOut(BaseModel):
    id: int
    kind: PersonKind
    name: str
    id_number: str | None
    phone: str | None
    suspect_status: SuspectStatus | None
    loss: Decimal | None
    note: str | None


class EventOut(BaseModel):
    at: Time
    kind: str
    actor: str
    note: str | None


class CaseOut(BaseModel):
    id: int
    number: str
    kind: CaseKind
    category: CaseCategory
    status: CaseStatus
    title: str
    summary: str
    station_code: str
    occurred_at: Time
    received_at: Time
    filing_track: str
    extended: bool
    small: bool
    filed_at: Time | None
    solved_at: Time | None
    closed_at: Time | None
    age_years: int
    persons: list[PersonOut]
    events: list[EventOut]
    deadlines: list[DeadlineOut]


class FugitiveOut(BaseModel):
    id: int
    case_id: int
    case_number: str
    case_age_years: int
    name: str
    id_number: str
    wanted_since: dt.date
    danger: Danger
    last_known_places: list[str]
    status: FugitiveStatus
    ended_at: Time | None
    caught_place: str | None


class MovementOut(BaseModel):
    seq: int
    kind: MovementKind
    at: Time
    from_name: str
    to_name: str
    from_signed: str
    to_signed: str
    reason: str | None
    approver: str | None
    due_back_at: Time | None
    disposal: DisposalKind | None


class ItemOut(BaseModel):
    id: int
    case_id: int
    description: str
    quantity: Decimal
    unit: ItemUnit
    value: Decimal | None
    held_at: str
    status: ItemStatus
    overdue: bool
    movements: list[MovementOut]
    deadlines: list[DeadlineOut]


class PayeeOut(BaseModel):
    id: int
    account_no: str
    bank_code: str | None
    name: str | None
    status: PayeeStatus
    stop_requests: int
    stop_until: Time | None
    bank_answer: str | None
    frozen_until: dt.date | None
    freeze_renewals: int
    deadlines: list[DeadlineOut]


class FraudReportOut(BaseModel):
    id: int
    case_id: int
    case_number: str
    victim_name: str
    victim_id_number: str
    loss: Decimal
    contact_method: ContactMethod
    typology: str | None
    high_loss: bool
    counter_remittance: bool
    alert_id: int | None
    missed_screenings: list[str]
    payees: list[PayeeOut]
    phones: list[str]


class TaskOut(BaseModel):
    id: int
    title: str
    status: TaskStatus
    assignee_id: int | None
    due_at: Time
    done_at: Time | None
    result: str | None


class TaskForceOut(BaseModel):
    id: int
    name: str
    station_code: str
    lead_id: int
    member_ids: list[int]
    case_ids: list[int]
    tasks: list[TaskOut]


class AllSolvedOut(BaseModel):
    group: Literal["homicide", "two_robberies"]
    filed: int
    solved: int
    all_solved: bool


class FiguresOut(BaseModel):
    year: int
    calls_by_category: dict[str, int]
    dispute_calls: int
    cases_by_category: dict[str, int]
    cases_by_station: dict[str, int]
    cases_by_month: list[int]
    filed: int
    solved: int
    clearance_rate: float | None
    cold_solved: int
    all_solved: list[AllSolvedOut]
    fraud_cases: int
    fraud_cases_last_year: int
    fraud_yoy: float | None
    fraud_loss: Decimal
    fraud_loss_last_year: Decimal
    high_loss: int
    counter_remittance: int
    fugitives_registered: int
    fugitives_caught: int
    homicide_fugitives_registered: int
    homicide_fugitives_caught: int
    small_cases: int
    small_same_day: int
    small_median_hours: float | None
    seized_items: int
    seized_quantities: dict[str, Decimal]
    seized_value: Decimal
