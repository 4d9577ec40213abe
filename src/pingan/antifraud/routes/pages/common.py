"""What every 警银通 page shares: who may open it, the Chinese labels of codes, form-error mapping."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator

from pingan.antifraud import vocabulary
from pingan.core.clock import LOCAL_TZ
from pingan.core.errors import ErrorDetail
from pingan.web import forms
from pingan.web.templating import render

LABELS = {"decisions": {k.value: v for k, v in vocabulary.DECISION_LABELS.items()},
          "signal_labels": vocabulary.SIGNAL_LABELS, "channels": vocabulary.CHANNEL_LABELS,
          "alert_status": vocabulary.STATUS_LABELS, "typologies": vocabulary.TYPOLOGY_LABELS,
          "intel_kinds": {k.value: v for k, v in vocabulary.INTEL_KIND_LABELS.items()},
          "intel_status": {k.value: v for k, v in vocabulary.INTEL_STATUS_LABELS.items()}}

# Pydantic's own messages are English; a teller reads these instead. Identity checks already speak Chinese.
_FIELD_MESSAGES = {
    "required": "此项必填",
    "string_too_short": "此项必填",
    "string_too_long": "内容过长",
    "decimal_parsing": "请输入数字，如 50000 或 50000.00",
    "decimal_type": "请输入数字，如 50000 或 50000.00",
    "float_parsing": "请输入数字",
    "int_parsing": "请输入整数",
    "greater_than": "金额须大于 0",
    "greater_than_equal": "不能为负数",
    "decimal_max_places": "最多保留两位小数（到分）",
    "decimal_max_digits": "数额过大",
    "string_pattern_mismatch": "应为 6 位数字的行政区划代码",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "not_allowed": "选项无效",
    "account_no.format": "账号格式错误，应为 6 至 34 位字母或数字",
    "device.empty": "设备号不能为空",
}


def blank(value) -> object:
    """Filter forms send every field; an empty box means "no filter", not an invalid value."""
    return None if value == "" else value


OptionalDay = Annotated[dt.date | None, BeforeValidator(blank)]
OptionalStr = Annotated[str | None, BeforeValidator(blank)]


def day_start(value: dt.date | None, *, end: bool = False) -> dt.datetime | None:
    """Local midnight starting ``value`` (or ending it, with ``end``), for date-range filters."""
    if value is None:
        return None
    start = dt.datetime.combine(value, dt.time(), LOCAL_TZ)
    return start + dt.timedelta(days=1) if end else start


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    return render(request, name, {**LABELS, **context}, status_code=status_code)


def field_message(detail: ErrorDetail | dict) -> str:
    """The Chinese message for one field error, in the teller's words."""
    return forms.field_message(detail, messages=_FIELD_MESSAGES)


def field_errors(details, *, strip_prefix: str = "") -> dict[str, str]:
    """``{form field: message}`` from error details; the first error of a field wins."""
    return forms.field_errors(details, prefix=strip_prefix, messages=_FIELD_MESSAGES)


def pages_of(total: int, limit: int, page_no: int) -> dict:
    last = max(1, -(-min(total, 10_000) // limit))
    return {"page": page_no, "last": last, "has_prev": page_no > 1, "has_next": page_no < last}
