"""差评整改 pages: the list of a unit's rectifications with their 15-working-day clocks, and one rectification
with the rating that opened it, its clock, the call-back, and only the steps its status table and the
user's role allow (the unit: call back, close, appeal; the leader: the review of an appeal)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed, not_found
from pingan.core.identity import mask_id_number
from pingan.onewindow import clocks
from pingan.onewindow import repository as repo
from pingan.onewindow.models import RectificationStatus
from pingan.onewindow.permissions import REVIEWERS, WRITERS, Reader, can_review, can_write
from pingan.onewindow.rating import service as ratings
from pingan.onewindow.rating import transitions as table
from pingan.onewindow.schemas import RectificationStepIn, parse
from pingan.platform import access
from pingan.platform.users.models import User
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/onewindow/rectifications")


def _row(db: Session, rectification, now) -> dict:
    item = rectification.rating.item
    deadline = clocks.rectification_clock(db, rectification)
    return {"r": rectification, "item": item, "clock": deadline,
            "days_left": clocks.working_days_left(deadline.due_at, now) if deadline else None}


@router.get("")
def rectification_list(request: Request, db: DbSession, user=Reader,
                       status: RectificationStatus | None = Query(None)):
    now = clock.now()
    rows = [_row(db, r, now) for r in repo.rectifications(db, user, status=status)]
    names = {c.code: c.name for c in repo.catalogue(db)}
    return page(request, "onewindow/rectifications.html", {"rows": rows, "status": status, "names": names})


def steps_for(user: User, status: RectificationStatus) -> list[str]:
    """The steps the page offers: those the status table allows and the user's role may take."""
    events = (table.UNIT_EVENTS if can_write(user) else ()) + (table.REVIEW_EVENTS if can_review(user) else ())
    return [e for e in events if table.allowed(status, e)]


def _detail(request: Request, db: Session, user: User, rectification_id: int, *, refusal: str | None = None,
            errors: dict | None = None, values: dict | None = None, status_code: int = 200):
    rectification = repo.get_rectification(db, user, rectification_id)
    item = rectification.rating.item
    application = item.application
    entry = repo.catalogue_by_code(db, [item.item_code]).get(item.item_code)
    return page(request, "onewindow/rectification.html", {
        **_row(db, rectification, clock.now()), "entry": entry, "application": application,
        "masked_id": mask_id_number(application.applicant_id_number),
        "steps": steps_for(user, rectification.status), "refusal": refusal, "errors": errors or {},
        "values": values or {}}, status_code=status_code)


@router.get("/{rectification_id}")
def rectification_detail(rectification_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, rectification_id)


@router.post("/{rectification_id}/{step}")
async def rectification_step(rectification_id: int, step: str, request: Request, db: DbSession, user=Reader):
    form = await request.form()
    note = str(form.get("note") or "").strip()
    return await run_in_threadpool(_step, request, db, user, rectification_id, step, note)


def _step(request: Request, db: Session, user: User, rectification_id: int, step: str, note: str):
    rectification = repo.get_rectification(db, user, rectification_id)
    if step not in table.EVENTS:
        raise not_found("step", "步骤")
    # The role decides as the API does (403); the status table decides in the step (409, nothing changed).
    access.require_role(user, *(REVIEWERS if step in table.REVIEW_EVENTS else WRITERS))
    try:
        body = parse(RectificationStepIn, {"note": note})
        ratings.step(db, rectification=rectification, event=step, note=body.note, actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return _detail(request, db, user, rectification_id, errors=field_errors(exc.details),
                       values={"step": step}, status_code=exc.status_code)
    except AppError as exc:
        db.rollback()
        return _detail(request, db, user, rectification_id, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse(f"/onewindow/rectifications/{rectification_id}", status_code=303)
