"""The bank-thresholds page: each bank's daily hold and warn rates against its band, its thresholds (its
own or the rule set's) and their versions; analysts restore an earlier version (audited). Calibration on a
bank's own week of traffic is the `pingan antifraud calibrate` command."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.antifraud.ruleset import service as ruleset
from pingan.antifraud.thresholds import drift
from pingan.antifraud.thresholds import service as thresholds
from pingan.platform.users.models import Role
from pingan.web.deps import DbSession

from .common import OptionalStr, page

router = APIRouter()


@router.get("/rates")
def rates_page(request: Request, db: DbSession, user=PoliceReader, notice: OptionalStr = None,
               days: Annotated[int, Query(ge=1, le=90)] = 14):
    overview = ruleset.overview(db)
    return page(request, "antifraud/rates.html", {
        "banks": drift.bank_rates(db, days=days), "days": days, "versions": thresholds.versions(db),
        "codes": thresholds.bank_codes(db), "ruleset_warn": overview["warn_threshold"],
        "ruleset_hold": overview["hold_threshold"], "can_edit": user.role in (Role.ANALYST, Role.ADMIN),
        "notice": notice,
    })


@router.post("/rates/thresholds/{version_id}/activate")
def restore_thresholds(version_id: int, db: DbSession, user=Analyst):
    thresholds.activate(db, version_id=version_id, actor=user)
    return RedirectResponse("/antifraud/rates?notice=restored", status_code=303)
