"""What every module's API schemas share: the strict base model, and the one way pydantic's faults become
``ErrorDetail(field, code, message)`` — list items in brackets (``parties[0].id_number``), house codes
(``required``, ``unknown_field``, ``not_allowed``) and the identity checks' own (``id_number.check_digit``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.core.fields import require_offset

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)

# Where FastAPI found the value; the caller knows where they put it, so it is not part of the path.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form"})
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "json_invalid": "invalid_json",
    "literal_error": "not_allowed",
    "enum": "not_allowed",
}


# A time in an answer, written as the API always has (``isoformat``: ``+00:00`` rather than pydantic's ``Z``).
Time = Annotated[dt.datetime, PlainSerializer(dt.datetime.isoformat, return_type=str),
                 WithJsonSchema({"type": "string", "format": "date-time"})]


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?")


def _written_day(value: object) -> object:
    # Pydantic reads a bare number as Unix seconds: ``until=0`` would mean 1970. A date is written out.
    if isinstance(value, dt.date) or (isinstance(value, str) and _DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_format", "日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD")


def _written_instant(value: object) -> object:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and _INSTANT.fullmatch(value)):
        return value
    raise PydanticCustomError("datetime_format", "时间应为带时区偏移的 RFC 3339 字符串，如 2025-03-01T10:00:00+08:00"
                                                 " / a time is written RFC 3339 with an offset")


# Dates and times in query parameters: written out, never a number; a time carries its offset.
Day = Annotated[dt.date, BeforeValidator(_written_day)]
Instant = Annotated[dt.datetime, BeforeValidator(_written_instant), AfterValidator(require_offset)]


class StrictModel(BaseModel):
    """An API body: unknown fields are refused (a typo never passes silently), text is stripped."""

    model_config = STRICT


class ErrorDetailOut(BaseModel):
    field: str
    code: str
    message: str | None = None


class ErrorOut(BaseModel):
    code: str
    message: str
    details: list[ErrorDetailOut]


class ErrorBody(BaseModel):
    """The house error answer: a machine code, a "中文 / English" message, one detail per faulty field."""

    error: ErrorOut


# Declared once on every API router, so each operation documents the answers a client must handle.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in ((401, "not signed in, or the API key is invalid or revoked"),
                                (403, "the caller's role or jurisdiction does not allow it"),
                                (404, "no such record within the caller's jurisdiction"),
                                (409, "the record's state does not allow it"),
                                (422, "a field is missing or wrong; details name each one"))
}


def field_path(loc: Iterable[Any]) -> str:
    """``("body", "parties", 0, "id_number")`` → ``parties[0].id_number``; ``$`` for the body itself."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "constrained-")):
            out += ("." if out else "") + str(part)
    return out or "$"


def error_details(errors: Iterable[Mapping[str, Any]]) -> list[ErrorDetail]:
    """Pydantic's ``errors()`` (a model's or FastAPI's) as one ErrorDetail per fault."""
    return [ErrorDetail("$" if e["type"] == "json_invalid" else field_path(e.get("loc", ())),  # loc: a position
                        _CODES.get(e["type"], e["type"]), str(e.get("msg", "")))
            for e in errors]


def invalid_request(details: list[ErrorDetail]) -> ValidationFailed:
    return ValidationFailed("request.invalid", "请求内容不合法 / invalid request", details)


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: object) -> M:
    """Validate ``data`` as ``model``; raises ValidationFailed (422) with a path and code per fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_request(error_details(exc.errors(include_url=False, include_input=False))) from None
