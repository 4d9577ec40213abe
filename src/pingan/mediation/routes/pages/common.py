"""What every 调解室 page shares: who may open it, the Chinese labels of codes, form-error mapping."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.core.errors import ErrorDetail
from pingan.core.identity import InvalidIdentity
from pingan.mediation import vocabulary
from pingan.mediation.permissions import can_write
from pingan.web.templating import render

LABELS = {"status_labels": {k.value: v for k, v in vocabulary.STATUS_LABELS.items()},
          "source_labels": {k.value: v for k, v in vocabulary.SOURCE_LABELS.items()},
          "category_labels": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
          "outcome_labels": {k.value: v for k, v in vocabulary.OUTCOME_LABELS.items()},
          "mediator_kinds": {k.value: v for k, v in vocabulary.MEDIATOR_KINDS.items()},
          "follow_up_kinds": {k.value: v for k, v in vocabulary.FOLLOW_UP_KINDS.items()},
          "event_labels": vocabulary.EVENT_LABELS, "clock_labels": vocabulary.CLOCK_LABELS}

_FIELD_MESSAGES = {
    "required": "此项必填", "string_too_short": "此项必填", "string_too_long": "内容过长",
    "not_allowed": "选项无效", "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_from_date_parsing": "时间格式不正确", "int_parsing": "请选择", "too_short": "至少填写一项",
}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = request.state.user
    return render(request, name, {**LABELS, "can_write": can_write(user), **context}, status_code=status_code)


def field_errors(details: list[ErrorDetail], *, prefix: str = "") -> dict[str, str]:
    """``{form field: message}``; identity faults speak Chinese already, pydantic's are replaced."""
    errors: dict[str, str] = {}
    for d in details:
        field = d.field[len(prefix):] if prefix and d.field.startswith(prefix) else d.field
        try:
            message = InvalidIdentity(d.code).message
        except KeyError:
            message = _FIELD_MESSAGES.get(d.code) or (d.message if " / " in d.message else "内容不合法")
        errors.setdefault(field, message)
    return errors
