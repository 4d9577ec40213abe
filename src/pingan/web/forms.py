"""Form errors as a page shows them: ``{form field: message}`` in Chinese, from a ValidationFailed's details.

Pydantic's own messages are English; identity checks (ID numbers, phones) already speak Chinese. A module
whose fields need their own wording passes ``messages`` (codes → text) that win over the shared ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pingan.core.errors import ErrorDetail
from pingan.core.identity import InvalidIdentity

MESSAGES = {
    "required": "此项必填", "string_too_short": "此项必填", "string_too_long": "内容过长",
    "not_allowed": "选项无效", "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "datetime_from_date_parsing": "时间格式不正确", "int_parsing": "请选择", "too_short": "至少填写一项",
    "float_parsing": "请输入数字", "greater_than": "须大于 0", "less_than_equal": "数值过大",
}


def _identity_message(code: str) -> str | None:
    try:
        return InvalidIdentity(code).message
    except KeyError:
        return None


def field_message(detail: ErrorDetail | Mapping, *, messages: Mapping[str, str] | None = None) -> str:
    """The Chinese message for one field error (the page filter `bilingual` picks the half to show)."""
    code = detail.code if isinstance(detail, ErrorDetail) else detail.get("code", "")
    message = (detail.message if isinstance(detail, ErrorDetail) else detail.get("message", "")) or ""
    own = (messages or {}).get(code) or MESSAGES.get(code)
    if own is not None:
        return own
    # A row's fault may read "值无效 / invalid value: <identity code>"; name the fault itself.
    reason = _identity_message(code) or _identity_message(message.rpartition(": ")[2])
    if reason is not None:
        return reason
    return message if " / " in message else "内容不合法"


def field_errors(details: Sequence[ErrorDetail | Mapping], *, prefix: str = "",
                 messages: Mapping[str, str] | None = None) -> dict[str, str]:
    """The first message of each field (``prefix`` taken off the field paths)."""
    errors: dict[str, str] = {}
    for d in details:
        field = d.field if isinstance(d, ErrorDetail) else d.get("field", "")
        if prefix and field.startswith(prefix):
            field = field[len(prefix):]
        errors.setdefault(field, field_message(d, messages=messages))
    return errors
