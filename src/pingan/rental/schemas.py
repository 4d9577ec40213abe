"""What callers send to the rental service (API bodies, the landlords' portal and the public declaration page
alike), validated, and what the API answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from pingan.core import clock
from pingan.core.fields import MobilePhone, ResidentIdNumber
from pingan.core.schemas import Day, StrictModel, Time
from pingan.core.schemas import parse as parse  # the module's pages and tests parse through its schemas
from pingan.rental.models import CheckItem, KeeperRole, PropertyKind

Name = Annotated[str, Field(min_length=1, max_length=64)]
Note = Annotated[str, Field(max_length=2000)]
Label = Annotated[str, Field(min_length=1, max_length=32)]


class PersonIn(StrictModel):
    name: Name
    id_number: ResidentIdNumber
    phone: MobilePhone | None = None


class KeeperIn(PersonIn):
    role: KeeperRole = KeeperRole.LANDLORD
    # The portal account of the landlord, manager or agent, if they have one (role landlord).
    username: Annotated[str, Field(max_length=64)] | None = None


class MandateIn(PersonIn):
    """A manager or agent appointed to act for the landlord on this property, by their portal account."""

    role: KeeperRole
    username: Annotated[str, Field(min_length=1, max_length=64)]
    # The mandate's last day; none: until withdrawn.
    until: dt.date | None = None

    @field_validator("role")
    @classmethod
    def _manager_or_agent(cls, role: KeeperRole) -> KeeperRole:
        if role is KeeperRole.LANDLORD:
            raise PydanticCustomError("role.not_mandate", "只能委托物业管理人或中介 / appoint a manager or an agent")
        return role

    @field_validator("until")
    @classmethod
    def _not_past(cls, until: dt.date | None) -> dt.date | None:
        if until is not None and until < clock.today_local():
            raise PydanticCustomError("until.past", "委托期限不能早于今天 / the mandate cannot end before today")
        return until


class UnitIn(StrictModel):
    label: Label
    rooms: Annotated[int, Field(ge=1, le=500)] = 1
    beds: Annotated[int, Field(ge=0, le=2000)]
    area: Annotated[float, Field(gt=0, le=100000)]


class PropertyIn(StrictModel):
    address_code: Annotated[str, Field(min_length=1, max_length=40)]
    kind: PropertyKind
    name: Annotated[str, Field(max_length=100)] = ""
    keepers: Annotated[list[KeeperIn], Field(min_length=1, max_length=10)]
    units: Annotated[list[UnitIn], Field(min_length=1, max_length=500)]

    @model_validator(mode="after")
    def _one_landlord_distinct_units(self) -> PropertyIn:
        if not any(k.role is KeeperRole.LANDLORD for k in self.keepers):
            raise PydanticCustomError("keepers.landlord_required", "须登记房东 / name the landlord")
        labels = [u.label for u in self.units]
        if len(set(labels)) != len(labels):
            raise PydanticCustomError("units.duplicate_label", "房间编号重复 / two units share a label")
        return self


def _not_future(value: dt.date) -> dt.date:
    if value > clock.today_local():
        raise PydanticCustomError("date.future", "日期不能晚于今天 / the date is in the future")
    return value


class TenancyIn(StrictModel):
    tenant: PersonIn
    moved_in_on: Day
    unit: Label

    @model_validator(mode="after")
    def _dates(self) -> TenancyIn:
        _not_future(self.moved_in_on)
        return self


class DeclarationIn(StrictModel):
    """The tenant's self-declaration through the unit's code (no account)."""

    name: Name
    id_number: ResidentIdNumber
    phone: MobilePhone
    moved_in_on: Day

    @model_validator(mode="after")
    def _dates(self) -> DeclarationIn:
        _not_future(self.moved_in_on)
        return self


class EndIn(StrictModel):
    moved_out_on: Day
    note: Note = ""


class NoteIn(StrictModel):
    note: Note = ""


class ObjectionIn(StrictModel):
    reason: Annotated[str, Field(min_length=2, max_length=2000)]


class InspectionIn(StrictModel):
    """Every checklist item: true when it passed, false for a hazard."""

    results: dict[CheckItem, bool]
    note: Note = ""
    rectify_days: Annotated[int, Field(ge=1, le=90)] | None = None

    @model_validator(mode="after")
    def _every_item(self) -> InspectionIn:
        missing = [i.value for i in CheckItem if i not in self.results]
        if missing:
            raise PydanticCustomError("inspection.items_missing", "检查项未填完：{missing} / every item is checked",
                                      {"missing": ", ".join(missing)})
        return self


class TenancyDeadlineOut(BaseModel):
    kind: str
    phase: str | None
    due_at: Time
    status: str
    assignee_id: int | None


class TenancyOut(BaseModel):
    id: int
    unit: str
    status: str
    name: str
    id_number: str
    phone: str | None
    moved_in_on: dt.date
    moved_out_on: dt.date | None
    declared_by: str
    declared_at: Time
    move_in_reported_at: Time | None
    move_in_on_time: bool | None
    move_out_reported_at: Time | None
    move_out_on_time: bool | None
    registered_on: dt.date | None
    permit_eligible_on: dt.date | None
    deadlines: list[TenancyDeadlineOut]


class RentalUnitOut(BaseModel):
    id: int
    label: str
    rooms: int
    beds: int
    area: float
    occupants: int
    overcrowded: list[str]
    code_active: bool


class KeeperOut(BaseModel):
    id: int
    role: str
    name: str
    id_number: str
    phone: str | None
    until: dt.date | None = Field(None, description="the mandate's last day (managers and agents)")
    in_force: bool = Field(True, description="false once the mandate is withdrawn or past its last day")


class HazardOut(BaseModel):
    id: int
    item: str
    due_on: dt.date
    rectified_at: Time | None


class InspectionOut(BaseModel):
    id: int
    at: Time
    by: str
    results: dict[str, bool]
    hazards: list[HazardOut]


class PropertyOut(BaseModel):
    id: int
    kind: str
    name: str
    address: dict
    grid_code: str
    colour: str
    keepers: list[KeeperOut]
    units: list[RentalUnitOut]
    tenancies: list[TenancyOut]
    inspections: list[InspectionOut]


class CountOut(BaseModel):
    key: str
    label: str
    count: int


class AreaOut(BaseModel):
    code: str
    name: str
    units: int
    occupants: int
    declared: int
    ended: int
    hazards_found: int
    hazards_rectified: int


class LateOut(BaseModel):
    landlord: str
    late: int


class RentalFiguresOut(BaseModel):
    year: int
    units: int
    units_by_kind: list[CountOut]
    units_by_colour: list[CountOut]
    occupants: int
    beds: int
    declared: int
    ended: int
    reports: int
    reports_on_time: int
    hazards_found: int
    hazards_rectified: int
    hits: int
    by_area: list[AreaOut]
    late_by_landlord: list[LateOut]
