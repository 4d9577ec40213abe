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


def field_errors(details: Sequence[ErrorDetail], *, prefix: str = "",
                 messages: Mapping[str, str] | None = None) -> dict[str, str]:
    """The first message of each field (``prefix`` taken off the field paths)."""
    errors: dict[str, str] = {}
    for d in details:
        field = d.field[len(prefix):] if prefix and d.field.startswith(prefix) else d.field
        try:
            message = InvalidIdentity(d.code).message
        except KeyError:
            message = ((messages or {}).get(d.code) or MESSAGES.get(d.code)
                       or (d.message if " / " in d.message else "内容不合法"))
        errors.setdefault(field, message)
    return errors
