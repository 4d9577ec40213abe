"""Pydantic field types shared by every module's input schemas: resident ID numbers, mobile phones and
times with an offset, each failing with the identity check's own machine code (``id_number.check_digit``)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from pingan.core.identity import InvalidIdentity, normalize_phone, parse_resident_id, validate_uscc


def _identity_error(exc: InvalidIdentity) -> PydanticCustomError:
    # The message goes through ctx so braces in it are never read as a template.
    return PydanticCustomError(exc.code, "{reason}", {"reason": exc.message, "code": exc.code})


def _resident_id(value: str) -> str:
    checked = _checked_resident_id(value, dt.date.today())
    if isinstance(checked, InvalidIdentity):
        raise _identity_error(checked) from None
    return checked


@functools.lru_cache(maxsize=1 << 16)
def _checked_resident_id(value: str, today: dt.date) -> str | InvalidIdentity:
    # The same ID numbers come back in request after request (a batch of a county's month, a bank's
    # traffic); the check's answer depends on the number and the day only.
    try:
        return parse_resident_id(value, today=today).number
    except InvalidIdentity as exc:
        return exc.with_traceback(None)


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except InvalidIdentity as exc:
        raise _identity_error(exc) from None


def _uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidIdentity as exc:
        raise _identity_error(exc) from None


def require_offset(value: dt.datetime) -> dt.datetime:
    if value.utcoffset() is None:
        raise PydanticCustomError("timezone_aware", "时间必须带时区偏移，如 +08:00 / time needs a UTC offset")
    return value


ResidentIdNumber = Annotated[str, AfterValidator(_resident_id)]
MobilePhone = Annotated[str, AfterValidator(_phone)]
UnifiedSocialCreditCode = Annotated[str, AfterValidator(_uscc)]
AwareDatetime = Annotated[dt.datetime, AfterValidator(require_offset)]
