"""The mediation API: take in a dispute, read it with its sessions and deadlines, record sessions,
follow-ups and return visits, close it. Scoped to the caller's jurisdiction (out of scope → 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pingan.core import clock
from pingan.core.schemas import ERROR_RESPONSES
from pingan.mediation import figures, service
from pingan.mediation import repository as repo
from pingan.mediation.permissions import Reader, Writer
from pingan.mediation.routes.serialize import dispute_out, figures_out
from pingan.mediation.schemas import CloseIn, DisputeIn, DisputeOut, FiguresOut, FollowUpIn, SessionIn
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"], responses=ERROR_RESPONSES)


@router.post("/disputes", status_code=201, response_model=DisputeOut,
             summary="Take in a dispute; 422 names each faulty field")
def take_in(body: DisputeIn, db: DbSession, user=Writer) -> dict:
    return dispute_out(db, service.take_in(db, data=body, actor=user))


@router.get("/disputes/{dispute_id}", response_model=DisputeOut,
            summary="A dispute with parties, sessions and deadlines (read is audited)")
def get_dispute(dispute_id: int, db: DbSession, user=Reader) -> dict:
    return dispute_out(db, service.view(db, user=user, dispute_id=dispute_id))


@router.post("/disputes/{dispute_id}/sessions", status_code=201, response_model=DisputeOut,
             summary="Record a session: settled (with its agreement), unsettled or absent")
def record_session(dispute_id: int, body: SessionIn, db: DbSession, user=Writer) -> dict:
    dispute = repo.get_dispute(db, user, dispute_id)
    service.record_session(db, dispute=dispute, data=body, actor=user)
    return dispute_out(db, dispute)


@router.post("/disputes/{dispute_id}/sessions/start", status_code=201, response_model=DisputeOut,
             summary="A session begins (in session)")
def start_session(dispute_id: int, db: DbSession, user=Writer) -> dict:
    dispute = repo.get_dispute(db, user, dispute_id)
    service.start_session(db, dispute=dispute, actor=user)
    return dispute_out(db, dispute)


@router.post("/disputes/{dispute_id}/follow-ups", status_code=201, response_model=DisputeOut,
             summary="The community officer's follow-up, or the return visit after a settlement")
def record_follow_up(dispute_id: int, body: FollowUpIn, db: DbSession, user=Writer) -> dict:
    dispute = repo.get_dispute(db, user, dispute_id)
    service.record_follow_up(db, dispute=dispute, data=body, actor=user)
    return dispute_out(db, dispute)


@router.post("/disputes/{dispute_id}/close", response_model=DisputeOut, summary="Close the dispute, with a reason")
def close(dispute_id: int, body: CloseIn, db: DbSession, user=Writer) -> dict:
    dispute = repo.get_dispute(db, user, dispute_id)
    return dispute_out(db, service.close(db, dispute=dispute, reason=body.reason, actor=user))


@router.get("/figures", response_model=FiguresOut,
            summary="Disputes by month and year on year, settlement and same-day rates")
def get_figures(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict:
    return figures_out(figures.compute(db, user, year or clock.today_local().year))
