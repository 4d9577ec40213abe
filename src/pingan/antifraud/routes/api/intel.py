"""Intel list and rule settings API for the bureau's anti-fraud analysts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from pingan.antifraud.intel import service as intel
from pingan.antifraud.ruleset import service as rules
from pingan.platform.auth.models import Role
from pingan.web.deps import DbSession, require

router = APIRouter(prefix="/api/v1/antifraud", tags=["antifraud"])
Analyst = require(Role.ANALYST)
Reader = require(Role.ANALYST, Role.LEADER, Role.DUTY_OFFICER)


class IntelRowIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["account", "phone", "id_number", "device"]
    value: Annotated[str, Field(min_length=1, max_length=64)]
    typology: str | None = None
    source: Annotated[str, Field(min_length=1, max_length=100)]
    listed_on: str
    expires_on: str | None = None


class IntelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[IntelRowIn], Field(min_length=1, max_length=10_000)]


class DelistIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class RulesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    thresholds: dict[str, float] = {}
    enabled: dict[str, bool] = {}
    warn_threshold: int
    hold_threshold: int
    note: Annotated[str | None, Field(max_length=500)] = None


def _entry(e) -> dict:
    return {"id": e.id, "kind": e.kind.value, "value": e.value, "typology": e.typology, "source": e.source,
            "listed_on": e.listed_on.isoformat(), "expires_on": e.expires_on.isoformat() if e.expires_on else None,
            "status": e.status.value, "removed_reason": e.removed_reason, "alert_id": e.alert_id}


@router.post("/intel", summary="List entries (same rows as the CSV import); all or nothing")
def post_intel(body: IntelIn, db: DbSession, user=Analyst) -> dict:
    rows = intel.check_rows([r.model_dump() for r in body.rows])
    return intel.list_entries(db, rows, actor=user)


@router.get("/intel", summary="Search the intel list")
def get_intel(
    db: DbSession,
    user=Reader,
    kind: Literal["account", "phone", "id_number", "device"] | None = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["active", "removed"] | None = "active",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    entries, total = intel.search(db, kind=kind, q=q, status=status, limit=limit, offset=offset)
    return {"total": total, "items": [_entry(e) for e in entries]}


@router.post("/intel/{entry_id}/delist", summary="Take an entry off the list, with a reason")
def delist(entry_id: int, body: DelistIn, db: DbSession, user=Analyst) -> dict:
    return _entry(intel.delist(db, entry_id=entry_id, reason=body.reason, actor=user))


@router.get("/rules", summary="Rules with their current thresholds")
def get_rules(db: DbSession, user=Reader) -> dict:
    return rules.overview(db)


@router.put("/rules", summary="Save a new version of the rule settings and make it active")
def put_rules(body: RulesIn, db: DbSession, user=Analyst) -> dict:
    row = rules.save_version(db, thresholds=body.thresholds, enabled=body.enabled,
                             warn_threshold=body.warn_threshold, hold_threshold=body.hold_threshold,
                             note=body.note, actor=user)
    return {"id": row.id, "version": row.version}


@router.get("/rules/versions", summary="Every saved version")
def rule_versions(db: DbSession, user=Reader) -> list[dict]:
    return [{"id": v.id, "version": v.version, "is_active": v.is_active, "note": v.note,
             "created_at": v.created_at.isoformat(), "warn_threshold": v.warn_threshold,
             "hold_threshold": v.hold_threshold} for v in rules.versions(db)]


@router.post("/rules/versions/{version_id}/activate", summary="Make an earlier version active again")
def activate_rules(version_id: int, db: DbSession, user=Analyst) -> dict:
    row = rules.activate(db, version_id=version_id, actor=user)
    return {"id": row.id, "version": row.version}
