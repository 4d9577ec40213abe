"""Screening contract v1 (DESIGN.md) as Pydantic models: the request a bank sends, the answer it gets,
and the labelled-request shape used for training."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pingan.core import clock, schemas
from pingan.core.errors import ErrorDetail
from pingan.core.fields import MobilePhone, ResidentIdNumber, UnifiedSocialCreditCode, require_offset
from pingan.core.identity import ResidentId
from pingan.core.schemas import STRICT

Channel = Literal["counter", "atm", "mobile", "online"]
Signal = Literal[
    "on_phone",
    "caller_instructing",
    "accompanied_by_stranger",
    "nervous_or_hurried",
    "refuses_to_explain",
    "keeps_secret_from_family",
    "fixed_deposit_early_withdrawal",
    "remote_control_app",
    "screen_sharing",
    "new_device",
    "multiple_attempts",
]
SIGNALS: tuple[str, ...] = get_args(Signal)
CHANNELS: tuple[str, ...] = get_args(Channel)
Typology = Literal[
    "brushing_rebate",
    "investment",
    "loan",
    "fake_customer_service",
    "impersonating_authorities",
    "impersonating_acquaintance",
    "romance",
    "game_trading",
    "other",
]
TYPOLOGIES: tuple[str, ...] = get_args(Typology)
Decision = Literal["allow", "warn", "hold"]

_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{6,34}")


def normalize_account_no(value: str) -> str:
    """Account numbers are compared without the spaces and dashes people type; raises ValueError."""
    s = value.replace(" ", "").replace("-", "")
    if not _ACCOUNT_RE.fullmatch(s):
        raise ValueError("account_no.format")
    return s


def _account_no(value: str) -> str:
    try:
        return normalize_account_no(value)
    except ValueError:
        raise PydanticCustomError(
            "account_no.format",
            "账号格式错误，应为6至34位字母或数字 / account number must be 6-34 letters or digits",
        ) from None


def _rfc3339_only(value: Any) -> Any:
    # Pydantic would read a bare number as Unix seconds; the contract wants RFC 3339, and a number here
    # is usually a milliseconds-vs-seconds mistake best refused.
    if isinstance(value, (str, dt.datetime)):
        return value
    raise PydanticCustomError(
        "datetime_type", "时间应为带时区偏移的 RFC 3339 字符串 / must be an RFC 3339 string with an offset"
    )


# A remittance time the bank can have seen: not before 2000, nor more than a day ahead of our clock (a
# bank's clock may run ahead a little). Times near the calendar's limits would overflow in the conversion
# to local time, so they are refused here, before any helper process sees the body.
EARLIEST_OCCURRED_AT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST_AHEAD = dt.timedelta(days=1)


def _plausible_time(value: dt.datetime) -> dt.datetime:
    if not EARLIEST_OCCURRED_AT <= value <= clock.now() + LATEST_AHEAD:
        raise PydanticCustomError(
            "occurred_at.out_of_range",
            "交易时间须在 2000 年之后且不晚于当前时间一天 / must be after 2000 and at most a day from now",
        )
    return value


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


AccountNo = Annotated[str, AfterValidator(_account_no)]
Code = Annotated[str, Field(min_length=1, max_length=32)]
Name = Annotated[str, Field(min_length=1, max_length=64)]
_CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    # "2000", "2000.0" and "2000.00" are one amount: the stored request, and so the idempotency hash,
    # must not depend on how a bank happens to write it.
    return value.quantize(_CENT)


Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2, allow_inf_nan=False), AfterValidator(_cents)]
Balance = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2, allow_inf_nan=False),
                    AfterValidator(_cents)]
OccurredAt = Annotated[dt.datetime, BeforeValidator(_rfc3339_only), AfterValidator(require_offset),
                      AfterValidator(_plausible_time)]


# A county's customers come back again and again: their ID numbers are read once (ResidentId is frozen).
read_resident = functools.lru_cache(maxsize=1 << 16)(ResidentId.read)


class Customer(BaseModel):
    model_config = STRICT

    id_number: ResidentIdNumber
    name: Name
    phone: MobilePhone | None = None
    account_no: AccountNo
    account_opened_on: dt.date | None = None
    balance: Balance | None = None

    @cached_property
    def resident(self) -> ResidentId:
        """Birth date, sex and region of the ID number, which validation has already checked."""
        return read_resident(self.id_number)


class Payee(BaseModel):
    model_config = STRICT

    account_no: AccountNo
    name: Name | None = None
    bank_code: Code | None = None
    region_code: Annotated[str, Field(pattern=r"^[0-9]{6}$")] | None = None
    account_opened_on: dt.date | None = None
    # Optional (added in v1): the organisation's unified social credit code when the payee account is one.
    uscc: UnifiedSocialCreditCode | None = None


class ScreeningRequest(BaseModel):
    model_config = STRICT

    request_id: Annotated[str, Field(min_length=1, max_length=64)]
    bank_code: Code
    branch_code: Code
    channel: Channel
    occurred_at: OccurredAt
    amount: Amount
    currency: Literal["CNY"] = "CNY"
    customer: Customer
    payee: Payee
    purpose: Annotated[str, Field(max_length=200)] | None = None
    signals: Annotated[list[Signal], Field(max_length=64), AfterValidator(_dedupe)] = []


class Label(BaseModel):
    """A known outcome. The typology is a string: new scams appear every year, so a label may name one
    outside TYPOLOGIES (training keeps it and counts it; see `known_typology`)."""

    model_config = STRICT

    is_fraud: bool
    typology: Annotated[str, Field(min_length=1, max_length=64)] | None = None

    @model_validator(mode="after")
    def _typology_only_for_fraud(self) -> Label:
        if self.typology is not None and not self.is_fraud:
            raise PydanticCustomError(
                "label.typology_without_fraud",
                "非诈骗样本不应有诈骗类型 / typology given for a non-fraud label",
            )
        return self


def known_typology(typology: str | None) -> str:
    """The typology as one of TYPOLOGIES, where a closed class is needed: unknown or absent is `other`."""
    return typology if typology in TYPOLOGIES else "other"


class LabelledRequest(ScreeningRequest):
    """A screening request with its known outcome, one line of the training data."""

    label: Label


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    message: str


class ScreeningResult(BaseModel):
    screening_id: str
    request_id: str
    decision: Decision
    score: Annotated[int, Field(ge=0, le=1000)]
    risk: Annotated[float, Field(ge=0, le=1000, description=(
        "the score before rounding (score = round(risk)), at full precision: the riskiest transfers, which "
        "may share an integer score, are strictly ordered by it"))]
    reasons: list[Reason]
    typology: Typology | None
    questions: list[str]
    alert_id: int | None
    model_version: str
    elapsed_ms: float


def parse_screening_request(raw: bytes | str | dict) -> ScreeningRequest:
    """Validate one request body; raises pydantic.ValidationError (see `error_details`)."""
    if isinstance(raw, dict):
        return ScreeningRequest.model_validate(raw)
    return ScreeningRequest.model_validate_json(raw)


def parse_labelled_request(raw: bytes | str | dict) -> LabelledRequest:
    if isinstance(raw, dict):
        return LabelledRequest.model_validate(raw)
    return LabelledRequest.model_validate_json(raw)


def error_details(exc: ValidationError) -> list[ErrorDetail]:
    """One `ErrorDetail(field="customer.id_number", code="id_number.check_digit", ...)` per fault, as every
    API of the platform names them (`pingan.core.schemas`)."""
    return schemas.error_details(exc.errors(include_url=False, include_input=False))
