"""Intel list, known-payee list and rule settings API for the bureau's anti-fraud analysts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from pingan.antifraud.intel import known_payees
from pingan.antifraud.intel import service as intel
from pingan.antifraud.models import IntelKind, IntelStatus
from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.antifraud.ruleset import service as rules
from pingan.core.schemas import ERROR_RESPONSES, StrictModel, Time
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/antifraud", tags=["antifraud"], responses=ERROR_RESPONSES)


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


class KnownPayeeIn(StrictModel):
    account_no: Annotated[str, Field(min_length=1, max_length=40)]
    name: Annotated[str | None, Field(max_length=64)] = None
    source: Annotated[str, Field(min_length=1, max_length=100)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    listed_on: dt.date | None = None
    expires_on: dt.date | None = None


class KnownPayeeOut(BaseModel):
    id: int
    account_no: str
    name: str | None
    source: str
    reason: str
    listed_on: dt.date
    expires_on: dt.date | None
    status: IntelStatus
    removed_reason: str | None


class KnownPayeePage(BaseModel):
    total: int
    items: list[KnownPayeeOut]


class RulesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    thresholds: dict[str, float] = {}
    enabled: dict[str, bool] = {}
    warn_threshold: int
    hold_threshold: int
    note: Annotated[str | None, Field(max_length=500)] = None


class IntelEntryOut(BaseModel):
    id: int
    kind: IntelKind
    value: str
    typology: str | None
    source: str
    listed_on: dt.date
    expires_on: dt.date | None
    status: IntelStatus
    removed_reason: str | None
    alert_id: int | None


class IntelPage(BaseModel):
    total: int
    items: list[IntelEntryOut]


class ListedOut(BaseModel):
    """How many rows made new entries, changed existing ones, or were already listed as given."""

    created: int
    updated: int
    unchanged: int


class ThresholdOut(BaseModel):
    name: str
    label: str
    value: float
    default: float


class RuleOut(BaseModel):
    code: str
    message: str
    weight: int
    forces_hold: bool
    enabled: bool
    conditions: list[str]


class RulesOut(BaseModel):
    version: str
    warn_threshold: int
    hold_threshold: int
    thresholds: list[ThresholdOut]
    rules: list[RuleOut]


class RuleVersionRef(BaseModel):
    id: int
    version: str


class RuleVersionOut(RuleVersionRef):
    is_active: bool
    note: str | None
    created_at: Time
    warn_threshold: int
    hold_threshold: int


def _entry(e) -> dict:
    return {"id": e.id, "kind": e.kind.value, "value": e.value, "typology": e.typology, "source": e.source,
            "listed_on": e.listed_on.isoformat(), "expires_on": e.expires_on.isoformat() if e.expires_on else None,
            "status": e.status.value, "removed_reason": e.removed_reason, "alert_id": e.alert_id}


@router.post("/intel", response_model=ListedOut, summary="List entries (same rows as the CSV import); all or nothing")
def post_intel(body: IntelIn, db: DbSession, user=Analyst) -> dict:
    rows = intel.check_rows([r.model_dump() for r in body.rows])
    return intel.list_entries(db, rows, actor=user)


@router.get("/intel", response_model=IntelPage, summary="Search the intel list")
def get_intel(
    db: DbSession,
    user=PoliceReader,
    kind: Literal["account", "phone", "id_number", "device"] | None = None,
    q: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["active", "removed"] | None = "active",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    entries, total = intel.search(db, kind=kind, q=q, status=status, limit=limit, offset=offset)
    return {"total": total, "items": [_entry(e) for e in entries]}


@router.post("/intel/{entry_id}/delist", response_model=IntelEntryOut,
             summary="Take an entry off the list, with a reason")
def delist(entry_id: int, body: DelistIn, db: DbSession, user=Analyst) -> dict:
    return _entry(intel.delist(db, entry_id=entry_id, reason=body.reason, actor=user))


def _known(e) -> dict:
    return {"id": e.id, "account_no": e.account_no, "name": e.name, "source": e.source, "reason": e.reason,
            "listed_on": e.listed_on, "expires_on": e.expires_on, "status": e.status,
            "removed_reason": e.removed_reason}


@router.post("/known-payees", response_model=KnownPayeeOut,
             summary="Vouch for a merchant or organisation account: fan-in rules skip it (audited)")
def post_known_payee(body: KnownPayeeIn, db: DbSession, user=Analyst) -> dict:
    row = known_payees.check_row(**body.model_dump())
    return _known(known_payees.list_payee(db, row, actor=user))


@router.get("/known-payees", response_model=KnownPayeePage, summary="Search the known-payee list")
def get_known_payees(
    db: DbSession,
    user=PoliceReader,
    q: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["active", "removed"] | None = "active",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    entries, total = known_payees.search(db, q=q, status=status, limit=limit, offset=offset)
    return {"total": total, "items": [_known(e) for e in entries]}


@router.post("/known-payees/{entry_id}/delist", response_model=KnownPayeeOut,
             summary="Take an account off the known-payee list, with a reason (audited)")
def delist_known_payee(entry_id: int, body: DelistIn, db: DbSession, user=Analyst) -> dict:
    return _known(known_payees.delist(db, entry_id=entry_id, reason=body.reason, actor=user))


@router.get("/rules", response_model=RulesOut, summary="Rules with their current thresholds")
def get_rules(db: DbSession, user=PoliceReader) -> dict:
    return rules.overview(db)


@router.put("/rules", response_model=RuleVersionRef,
            summary="Save a new version of the rule settings and make it active")
def put_rules(body: RulesIn, db: DbSession, user=Analyst) -> dict:
    row = rules.save_version(db, thresholds=body.thresholds, enabled=body.enabled,
                             warn_threshold=body.warn_threshold, hold_threshold=body.hold_threshold,
                             note=body.note, actor=user)
    return {"id": row.id, "version": row.version}


@router.get("/rules/versions", response_model=list[RuleVersionOut], summary="Every saved version")
def rule_versions(db: DbSession, user=PoliceReader) -> list[dict]:
    return [{"id": v.id, "version": v.version, "is_active": v.is_active, "note": v.note,
             "created_at": v.created_at.isoformat(), "warn_threshold": v.warn_threshold,
             "hold_threshold": v.hold_threshold} for v in rules.versions(db)]


@router.post("/rules/versions/{version_id}/activate", response_model=RuleVersionRef,
             summary="Make an earlier version active again")
def activate_rules(version_id: int, db: DbSession, user=Analyst) -> dict:
    row = rules.activate(db, version_id=version_id, actor=user)
    return {"id": row.id, "version": row.version}
