"""What callers send to the mediation service (API bodies and page forms alike), validated, and the error
paths they get back (``parties[0].id_number``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.core.fields import AwareDatetime, MobilePhone, ResidentIdNumber
from pingan.mediation.models import Category, FollowUpKind, MediatorKind, Outcome, Source

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PartyIn(BaseModel):
    model_config = _STRICT

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


class DisputeIn(BaseModel):
    model_config = _STRICT

    source: Source
    category: Category
    summary: Text
    station_code: Annotated[str, Field(min_length=1, max_length=32)]
    community_code: Annotated[str, Field(max_length=32)] | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    call_no: Annotated[str, Field(max_length=32)] | None = None
    room_id: int | None = None
    scheduled_at: AwareDatetime | None = None
    mediator_ids: Annotated[list[int], Field(max_length=10)] = []
    parties: Annotated[list[PartyIn], Field(min_length=1, max_length=20)]


class SignatureIn(BaseModel):
    model_config = _STRICT

    name: Annotated[str, Field(min_length=1, max_length=64)]
    role: Literal["party", "mediator"]


class AgreementIn(BaseModel):
    """The contents a people's mediation agreement must state, and who signed it."""

    model_config = _STRICT

    facts: Text
    responsibilities: Text
    obligations: Text
    performance_method: Short
    performance_place: Short
    performance_due_on: dt.date
    signatures: Annotated[list[SignatureIn], Field(min_length=1, max_length=40)]


class SessionIn(BaseModel):
    model_config = _STRICT

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


class FollowUpIn(BaseModel):
    model_config = _STRICT

    note: Text
    kind: FollowUpKind | None = None
    agreement_performed: bool | None = None


class CloseIn(BaseModel):
    model_config = _STRICT

    reason: Text


class MediatorIn(BaseModel):
    model_config = _STRICT

    name: Annotated[str, Field(min_length=1, max_length=64)]
    kind: MediatorKind


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "constrained-")):
            out += ("." if out else "") + str(part)
    return out or "$"


_CODES = {"missing": "required", "extra_forbidden": "unknown_field", "enum": "not_allowed",
          "literal_error": "not_allowed"}


def details_of(exc: ValidationError) -> list[ErrorDetail]:
    return [ErrorDetail(_path(e["loc"]), _CODES.get(e["type"], e["type"]), e["msg"]) for e in exc.errors()]


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` as ``model``; raises ValidationFailed (422) with a path and code per fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("request.invalid", "请求内容不合法 / invalid request", details_of(exc)) from None
