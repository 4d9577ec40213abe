"""Screening records: a scoped, filtered list with personal data masked, and a detail page whose every
reading is audited; the full ID number and phone only after an explicit, audited reveal."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator

from pingan.antifraud.engine import FEATURE_NAMES, FEATURE_SET_VERSION, restore_features
from pingan.antifraud.engine.rules import RULES_BY_CODE
from pingan.antifraud.screening import service
from pingan.web.deps import DbSession

from .common import OptionalDay, OptionalStr, ScreeningReader, blank, day_start, is_htmx, page, pages_of

router = APIRouter()
PAGE_SIZE = 50

DecisionFilter = Annotated[Literal["allow", "warn", "hold"] | None, BeforeValidator(blank)]
MinScore = Annotated[int | None, BeforeValidator(blank), Query(ge=0, le=1000)]


@router.get("/screenings")
def screening_list(
    request: Request,
    db: DbSession,
    user=ScreeningReader,
    decision: DecisionFilter = None,
    since: OptionalDay = None,
    until: OptionalDay = None,
    branch: OptionalStr = None,
    min_score: MinScore = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
):
    branches = service.visible_branches(db, user)
    branch_id = next((b.id for b in branches if b.code == branch), -1) if branch else None
    rows, total = service.search_screenings(
        db, user=user, decision=decision, since=day_start(since), until=day_start(until, end=True),
        branch_id=branch_id, min_score=min_score, limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    filters = {"decision": decision or "", "since": since or "", "until": until or "", "branch": branch or "",
               "min_score": "" if min_score is None else min_score}
    return page(request, "antifraud/screenings.html", {
        "rows": [(s, service.person_of(s)) for s in rows], "total": total, "cap": service.LIST_COUNT_CAP,
        "branches": branches, "filters": filters, "pager": pages_of(total, PAGE_SIZE, page_no),
    })


def _detail_context(screening, person: dict, *, revealed: bool) -> dict:
    values = restore_features(screening.features)
    same_set = screening.feature_set_version == FEATURE_SET_VERSION and len(values) == len(FEATURE_NAMES)
    features = list(zip(FEATURE_NAMES, values, strict=True)) if same_set else \
        [(f"#{i}", v) for i, v in enumerate(values)]
    fired = [(code, RULES_BY_CODE.get(code)) for code in screening.fired_rules]
    return {"s": screening, "person": person, "revealed": revealed, "features": features,
            "features_known": same_set, "fired": fired}


@router.get("/screenings/{screening_id}")
def screening_detail(screening_id: str, request: Request, db: DbSession, user=ScreeningReader):
    screening = service.open_screening(db, user=user, screening_id=screening_id)
    return page(request, "antifraud/screening.html",
                _detail_context(screening, service.person_of(screening), revealed=False))


@router.post("/screenings/{screening_id}/reveal")
def reveal(screening_id: str, request: Request, db: DbSession, user=ScreeningReader):
    screening, person = service.reveal_person(db, user=user, screening_id=screening_id)
    context = _detail_context(screening, person, revealed=True)
    if is_htmx(request):
        return page(request, "antifraud/_person.html", context)
    # Without scripts the whole page comes back, so this is a reading of the record too.
    service.open_screening(db, user=user, screening_id=screening_id)
    return page(request, "antifraud/screening.html", context)
