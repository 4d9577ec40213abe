"""What every 警网融合 page shares: the Chinese labels of codes, who may do what, form-error mapping."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.core import clock
from pingan.core.errors import ErrorDetail
from pingan.grid import permissions, vocabulary
from pingan.web.templating import render

LABELS = {"report_status_labels": {k.value: v for k, v in vocabulary.REPORT_STATUS_LABELS.items()},
          "call_status_labels": {k.value: v for k, v in vocabulary.CALL_STATUS_LABELS.items()},
          "category_labels": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
          "member_kinds": {k.value: v for k, v in vocabulary.MEMBER_KINDS.items()},
          "member_statuses": {k.value: v for k, v in vocabulary.MEMBER_STATUSES.items()},
          "handover_labels": {k.value: v for k, v in vocabulary.HANDOVER_LABELS.items()},
          "event_labels": vocabulary.EVENT_LABELS, "clock_labels": vocabulary.CLOCK_LABELS}

_MESSAGES = {"required": "此项必填", "string_too_short": "此项必填", "string_too_long": "内容过长",
             "not_allowed": "选项无效", "unknown_field": "该类别没有这一项"}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = request.state.user
    can = {"report": permissions.can_report(user), "handle": permissions.can_handle(user),
           "calls": permissions.can_work_calls(user)}
    return render(request, name, {**LABELS, "may": can, "now": clock.now(), **context}, status_code=status_code)


def field_errors(details: list[ErrorDetail]) -> dict[str, str]:
    """``{form field: message}``: the service's own bilingual messages, pydantic's replaced by Chinese."""
    errors: dict[str, str] = {}
    for d in details:
        message = d.message if " / " in d.message else _MESSAGES.get(d.code, "内容不合法")
        errors.setdefault(d.field, message)
    return errors
