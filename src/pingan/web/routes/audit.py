"""Audit trail page and API, scoped to the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, BeforeValidator

from pingan.core.clock import LOCAL_TZ
from pingan.core.schemas import ERROR_RESPONSES, Time
from pingan.platform.audit import service as audit
from pingan.platform.auth.models import Role
from pingan.web.deps import DbSession, require
from pingan.web.templating import render

router = APIRouter()
# The filter form sends every field; an empty date box means "no limit", not an invalid date.
OptionalDay = Annotated[dt.date | None, BeforeValidator(lambda v: v or None)]
Auditor = require(Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER)


class AuditEntryOut(BaseModel):
    id: int
    at: Time
    actor: str
    action: str
    entity_type: str | None
    entity_id: str | None
    note: str | None
    data: dict | None


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
    rows = audit.search(db, user=user, action=action, actor=actor, entity_type=entity_type,
                        since=_day(since), until=_day(until, end=True), limit=51, offset=(page - 1) * 50)
    return render(request, "audit/list.html", {
        "rows": rows[:50], "has_more": len(rows) > 50, "page": page,
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
    rows = audit.search(db, user=user, action=action, entity_type=entity_type, entity_id=entity_id,
                        limit=limit, offset=offset)
    return [{"id": r.id, "at": r.at.isoformat(), "actor": r.actor_name, "action": r.action,
             "entity_type": r.entity_type, "entity_id": r.entity_id, "note": r.note, "data": r.data}
            for r in rows]
