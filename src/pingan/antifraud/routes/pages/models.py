"""The model-registry page: every registered model with its test-period figures, which one decides, which
runs in shadow; analysts activate, roll back and choose the challenger (each audited)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from pingan.antifraud.modeling import registry
from pingan.platform.auth.models import Role
from pingan.web.deps import DbSession

from .common import Analyst, OptionalStr, PoliceReader, page

router = APIRouter()


@router.get("/models")
def models_page(request: Request, db: DbSession, user=PoliceReader, notice: OptionalStr = None):
    rows = registry.list_models(db)
    active = next((r for r in rows if r.is_active), None)
    return page(request, "antifraud/models.html", {
        "models": rows, "active": active, "default_id": registry.default_model_id(),
        "can_edit": user.role in (Role.ANALYST, Role.ADMIN), "notice": notice,
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
