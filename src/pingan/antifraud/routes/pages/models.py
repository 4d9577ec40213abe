"""The model-registry page: every registered model with its test-period figures, which one decides, which
runs in shadow and how the challenger compares with the deciding model; analysts activate, roll back and
choose the challenger (each audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from pingan.antifraud.modeling import registry
from pingan.antifraud.modeling.challenger import DECISIONS, compare
from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.core import clock
from pingan.platform.users.models import Role
from pingan.web.deps import DbSession

from .common import OptionalStr, page

router = APIRouter()
# The windows offered for the shadow comparison, in days (0: all screenings).
COMPARE_DAYS = (7, 30, 90, 0)


@router.get("/models")
def models_page(request: Request, db: DbSession, user=PoliceReader, notice: OptionalStr = None,
                days: Annotated[int, Query(ge=0, le=3660)] = 30):
    rows = registry.list_models(db)
    active = next((r for r in rows if r.is_active), None)
    since = clock.now() - dt.timedelta(days=days) if days else None
    return page(request, "antifraud/models.html", {
        "models": rows, "active": active, "default_id": registry.default_model_id(),
        "can_edit": user.role in (Role.ANALYST, Role.ADMIN), "notice": notice,
        "comparison": compare(db, since=since), "days": days, "compare_days": COMPARE_DAYS,
        "compare_decisions": DECISIONS,
    })


@router.post("/models/{model_id}/activate")
def activate_model(model_id: str, db: DbSession, user=Analyst):
    registry.activate(db, model_id=model_id, actor=user)
    return RedirectResponse("/antifraud/models?notice=activated", status_code=303)


@router.post("/models/rollback")
def rollback_model(db: DbSession, user=Analyst):
    registry.rollback(db, actor=user)
    return RedirectResponse("/antifraud/models?notice=rolled_back", status_code=303)


@router.post("/models/{model_id}/shadow")
def shadow_model(model_id: str, db: DbSession, user=Analyst):
    registry.set_shadow(db, model_id=None if model_id == "none" else model_id, actor=user)
    return RedirectResponse("/antifraud/models?notice=shadow", status_code=303)
