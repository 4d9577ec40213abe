"""Per-bank thresholds and daily rates API: each bank's hold and warn rates against its band, its threshold
versions, a manual change and the restore of an earlier version (analysts; every change audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.antifraud.thresholds import drift
from pingan.antifraud.thresholds import service as thresholds
from pingan.core.schemas import ERROR_RESPONSES, StrictModel, Time
from pingan.platform.org import service as org
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/antifraud", tags=["antifraud"], responses=ERROR_RESPONSES)


class DayRatesOut(BaseModel):
    day: dt.date
    screenings: int
    holds: int
    warns: int
    hold_rate: float
    warn_rate: float
    in_band: bool


class BankRatesOut(BaseModel):
    bank_code: str
    bank_name: str
    warn_threshold: int | None = Field(description="the bank's own; null while it decides on the rule set's")
    hold_threshold: int | None
    target_hold_rate: float
    target_warn_rate: float
    band: tuple[float, float] = Field(description="band as multiples of the targets (low, high)")
    days: list[DayRatesOut]


class ThresholdsIn(StrictModel):
    warn_threshold: Annotated[int, Field(ge=1, le=1000)]
    hold_threshold: Annotated[int, Field(ge=1, le=1000)]
    target_hold_rate: Annotated[float | None, Field(gt=0, le=0.5)] = None
    target_warn_rate: Annotated[float | None, Field(gt=0, le=0.5)] = None
    note: Annotated[str | None, Field(max_length=500)] = None


class ThresholdsOut(BaseModel):
    id: int
    bank_code: str
    version: int
    is_active: bool
    warn_threshold: int
    hold_threshold: int
    target_hold_rate: float
    target_warn_rate: float
    source: str
    calibration: dict | None
    note: str | None
    created_at: Time


def _rates(r: drift.BankRates) -> dict:
    return {"bank_code": r.bank.code, "bank_name": r.bank.name, "warn_threshold": r.warn_threshold,
            "hold_threshold": r.hold_threshold, "target_hold_rate": r.band.target_hold,
            "target_warn_rate": r.band.target_warn, "band": (r.band.low, r.band.high),
            "days": [{"day": d.day, "screenings": d.screenings, "holds": d.holds, "warns": d.warns,
                      "hold_rate": d.hold_rate, "warn_rate": d.warn_rate, "in_band": not r.out_of_band(d)}
                     for d in r.days]}


def _version(row, codes: dict[int, str]) -> dict:
    return {"id": row.id, "bank_code": codes[row.bank_id], "version": row.version, "is_active": row.is_active,
            "warn_threshold": row.warn_threshold, "hold_threshold": row.hold_threshold,
            "target_hold_rate": row.target_hold_rate, "target_warn_rate": row.target_warn_rate,
            "source": row.source, "calibration": row.calibration, "note": row.note, "created_at": row.created_at}


@router.get("/rates", response_model=list[BankRatesOut],
            summary="Each bank's daily hold and warn rates against its band (newest day first)")
def get_rates(db: DbSession, user=PoliceReader, days: Annotated[int, Query(ge=1, le=90)] = 14) -> list[dict]:
    return [_rates(r) for r in drift.bank_rates(db, days=days)]


@router.get("/thresholds", response_model=list[ThresholdsOut], summary="Every bank's threshold versions")
def get_thresholds(db: DbSession, user=PoliceReader) -> list[dict]:
    codes = thresholds.bank_codes(db)
    return [_version(row, codes) for row in thresholds.versions(db)]


@router.put("/thresholds/{bank_code}", response_model=ThresholdsOut,
            summary="Set a bank's thresholds by hand (a new active version, audited)")
def put_thresholds(bank_code: str, body: ThresholdsIn, db: DbSession, user=Analyst) -> dict:
    row = thresholds.save(db, bank=org.get_bank(db, bank_code), warn=body.warn_threshold, hold=body.hold_threshold,
                          target_hold_rate=body.target_hold_rate, target_warn_rate=body.target_warn_rate,
                          note=body.note, actor=user)
    return _version(row, thresholds.bank_codes(db))


@router.post("/thresholds/versions/{version_id}/activate", response_model=ThresholdsOut,
             summary="Make an earlier version of a bank's thresholds active again (audited)")
def activate_thresholds(version_id: int, db: DbSession, user=Analyst) -> dict:
    return _version(thresholds.activate(db, version_id=version_id, actor=user), thresholds.bank_codes(db))
