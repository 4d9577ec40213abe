"""Audit trail page and API, scoped to the caller's jurisdiction.

The page shows labels, not codes: the platform's own here, each module's registered by its pages from its
vocabulary (``register_labels``); a code nobody labelled is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, BeforeValidator

from pingan.core.clock import LOCAL_TZ, format_local
from pingan.core.schemas import ERROR_RESPONSES, Time
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.audit.models import AuditEvent
from pingan.platform.users.models import ROLE_LABELS, Role
from pingan.platform.vocabulary import ACTION_LABELS
from pingan.web.deps import DbSession, require
from pingan.web.templating import render

router = APIRouter()
# The filter form sends every field; an empty date box means "no limit", not an invalid date.
OptionalDay = Annotated[dt.date | None, BeforeValidator(lambda v: v or None)]
Auditor = require(Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER)

_ACTIONS: dict[str, str] = dict(ACTION_LABELS)
_ENTITIES: dict[str, str] = {"auth_user": "用户", "org": "组织机构", "auth_api_key": "API 密钥",
                             "notify_webhook": "推送"}
_FIELDS: dict[str, str] = {
    "username": "用户名", "role": "角色", "name": "名称", "url": "地址", "kind": "类型", "due_at": "截止时间",
    "units_created": "新增单位", "units_updated": "更新单位", "banks_created": "新增银行", "banks_updated": "更新银行",
    "branches_created": "新增网点", "branches_updated": "更新网点", "from": "原状态", "to": "新状态",
    "clock_id": "时限编号", "user": "用户", "prefix": "密钥前缀", "format": "格式", "topics": "主题",
    "fields": "显示的字段",
}
_VALUES: dict[str, dict[str, str]] = {"role": {r.value: label for r, label in ROLE_LABELS.items()}}
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def register_labels(*, actions: dict[str, str] | None = None, entities: dict[str, str] | None = None,
                    fields: dict[str, str] | None = None, values: dict[str, dict[str, str]] | None = None) -> None:
    """A module's audit vocabulary: action codes, record types, note fields and the codes a field holds."""
    _ACTIONS.update(actions or {})
    _ENTITIES.update(entities or {})
    _FIELDS.update(fields or {})
    for name, labels in (values or {}).items():
        _VALUES.setdefault(name, {}).update(labels)


def _value(name: str, value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return f"{len(value)} 项"
    if isinstance(value, list):
        return "、".join(_value(name, v) for v in value)
    text = str(value)
    if _ISO_TIME.match(text):
        try:
            return format_local(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    return _VALUES.get(name, {}).get(text, text)


def _row(event: AuditEvent) -> dict:
    data = event.data if isinstance(event.data, dict) else {}
    return {"event": event, "action": _ACTIONS.get(event.action), "entity": _ENTITIES.get(event.entity_type or ""),
            "details": [(_FIELDS.get(k, k), _value(k, v)) for k, v in data.items() if v is not None]}


class AuditEntryOut(BaseModel):
    id: int
    at: Time
    actor: str
    action: str
    entity_type: str | None
    entity_id: str | None
    note: str | None
    data: dict | None


def _scope(db, user):
    """The events of the reader's jurisdiction; those of no unit (log-ins, platform changes) for the bureau."""
    return access.unit_condition(db, user, AuditEvent.unit_id, include_unassigned=access.sees_everything(user))


def _day(value: dt.date | None, *, end: bool = False) -> dt.datetime | None:
    if value is None:
        return None
    start = dt.datetime.combine(value, dt.time(), LOCAL_TZ)
    return start + dt.timedelta(days=1) if end else start


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request,
    db: DbSession,
    user=Auditor,
    action: str | None = None,
    actor: str | None = None,
    entity_type: str | None = None,
    since: OptionalDay = None,
    until: OptionalDay = None,
    page: int = Query(1, ge=1, le=10_000),
):
    rows = audit.search(db, within=_scope(db, user), action=action, actor=actor, entity_type=entity_type,
                        since=_day(since), until=_day(until, end=True), limit=51, offset=(page - 1) * 50)
    return render(request, "audit/list.html", {
        "rows": [_row(r) for r in rows[:50]], "has_more": len(rows) > 50, "page": page, "action_labels": _ACTIONS,
        "filters": {"action": action or "", "actor": actor or "", "entity_type": entity_type or "",
                    "since": since or "", "until": until or ""},
    })


@router.get("/api/v1/audit", tags=["platform"], response_model=list[AuditEntryOut], responses=ERROR_RESPONSES)
def audit_api(
    db: DbSession,
    user=Auditor,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[dict]:
    rows = audit.search(db, within=_scope(db, user), action=action, entity_type=entity_type, entity_id=entity_id,
                        limit=limit, offset=offset)
    return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor_name, "action": r.action,
             "entity_type": r.entity_type, "entity_id": r.entity_id, "note": r.note, "data": r.data}
            for r in rows]
