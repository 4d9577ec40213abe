"""What every 警网融合 page shares: the Chinese labels of codes, who may do what, form-error mapping."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.core import clock
from pingan.grid import permissions, vocabulary
from pingan.grid.settings import get_grid_settings
from pingan.web.templating import render

LABELS = {"report_status_labels": {k.value: v for k, v in vocabulary.REPORT_STATUS_LABELS.items()},
          "call_status_labels": {k.value: v for k, v in vocabulary.CALL_STATUS_LABELS.items()},
          "category_labels": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
          "member_kinds": {k.value: v for k, v in vocabulary.MEMBER_KINDS.items()},
          "member_statuses": {k.value: v for k, v in vocabulary.MEMBER_STATUSES.items()},
          "collection_kinds": {k.value: v for k, v in vocabulary.COLLECTION_KINDS.items()},
          "patrol_statuses": {k.value: v for k, v in vocabulary.PATROL_STATUSES.items()},
          "publicity_topics": {k.value: v for k, v in vocabulary.PUBLICITY_TOPICS.items()},
          "handover_labels": {k.value: v for k, v in vocabulary.HANDOVER_LABELS.items()},
          "event_labels": vocabulary.EVENT_LABELS, "clock_labels": vocabulary.CLOCK_LABELS}

# The grid's own wording for the category checker's codes.
MESSAGES = {"unknown_field": "该类别没有这一项", "field.number": "请输入数字", "field.text": "内容过长",
            "field.datetime": "时间格式不正确"}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = request.state.user
    can = {"report": permissions.can_report(user), "handle": permissions.can_handle(user),
           "calls": permissions.can_work_calls(user)}
    return render(request, name, {**LABELS, "may": can, "now": clock.now(), "ice_servers": ice_servers(), **context},
                  status_code=status_code)


def ice_servers() -> list[dict]:
    """The browsers' ICE servers: none on the police network (host candidates), or the TURN server set."""
    s = get_grid_settings()
    if not s.turn_url:
        return []
    return [{"urls": s.turn_url, "username": s.turn_username, "credential": s.turn_credential}]
