"""The mediation API: take in a dispute, read it with its sessions and deadlines, record sessions,
follow-ups and return visits, close it. Scoped to the caller's jurisdiction (out of scope → 404)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from pingan.core import clock
from pingan.mediation import figures, service
from pingan.mediation import repository as repo
from pingan.mediation.permissions import Reader, Writer
from pingan.mediation.routes.serialize import dispute_out
from pingan.mediation.schemas import CloseIn, DisputeIn, FollowUpIn, SessionIn, parse
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"])
JsonBody = Annotated[dict[str, Any], Body()]


def _created(db, dispute) -> JSONResponse:
    return JSONResponse(dispute_out(db, dispute), status_code=201)


@router.post("/disputes", status_code=201, summary="Take in a dispute (fields as DisputeIn); 422 per field")
def take_in(body: JsonBody, db: DbSession, user=Writer):
    dispute = service.take_in(db, data=parse(DisputeIn, body), actor=user)
    return _created(db, dispute)


@router.get("/disputes/{dispute_id}", summary="A dispute with parties, sessions and deadlines (read is audited)")
def get_dispute(dispute_id: int, db: DbSession, user=Reader) -> dict:
    return dispute_out(db, service.view(db, user=user, dispute_id=dispute_id))


@router.post("/disputes/{dispute_id}/sessions", status_code=201,
             summary="Record a session: settled (with its agreement), unsettled or absent")
def record_session(dispute_id: int, body: JsonBody, db: DbSession, user=Writer):
    data = parse(SessionIn, body)
    dispute = repo.get_dispute(db, user, dispute_id)
    service.record_session(db, dispute=dispute, data=data, actor=user)
    return _created(db, dispute)


@router.post("/disputes/{dispute_id}/sessions/start", status_code=201, summary="A session begins (in session)")
def start_session(dispute_id: int, db: DbSession, user=Writer):
    dispute = repo.get_dispute(db, user, dispute_id)
    service.start_session(db, dispute=dispute, actor=user)
    return _created(db, dispute)


@router.post("/disputes/{dispute_id}/follow-ups", status_code=201,
             summary="The community officer's follow-up, or the return visit after a settlement")
def record_follow_up(dispute_id: int, body: JsonBody, db: DbSession, user=Writer):
    data = parse(FollowUpIn, body)
    dispute = repo.get_dispute(db, user, dispute_id)
    service.record_follow_up(db, dispute=dispute, data=data, actor=user)
    return _created(db, dispute)


@router.post("/disputes/{dispute_id}/close", summary="Close the dispute, with a reason")
def close(dispute_id: int, body: JsonBody, db: DbSession, user=Writer) -> dict:
    data = parse(CloseIn, body)
    dispute = repo.get_dispute(db, user, dispute_id)
    return dispute_out(db, service.close(db, dispute=dispute, reason=data.reason, actor=user))


@router.get("/figures", summary="Disputes by month and year on year, settlement and same-day rates")
def get_figures(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict:
    f = figures.compute(db, user, year or clock.today_local().year)
    return {"year": f.year, "total": f.total, "total_last_year": f.total_last_year, "yoy": f.yoy,
            "calls": f.calls, "settlement_rate": f.settlement_rate, "same_day_rate": f.same_day_rate,
            "follow_ups": f.follow_ups, "follow_ups_on_time": f.follow_ups_on_time, "secondary": f.secondary,
            "months": [{"month": m.month, "disputes": m.disputes, "disputes_last_year": m.disputes_last_year,
                        "calls": m.calls, "calls_last_year": m.calls_last_year} for m in f.months]}
