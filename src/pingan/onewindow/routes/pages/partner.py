"""合作部门窗口 page: a partner bureau's clerk sees the items routed to their bureau (applicants masked, the read
audited), with each item's time limit, and moves them through the steps the status table allows them. A refused
step re-renders the page with the reason and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.core.errors import AppError
from pingan.onewindow.models import ItemStatus
from pingan.onewindow.partner import service as partners
from pingan.onewindow.permissions import Partner
from pingan.onewindow.routes.serialize import partner_item_out
from pingan.onewindow.schemas import StepIn, parse
from pingan.platform.users.models import User
from pingan.web.deps import DbSession

from .common import page

router = APIRouter(prefix="/onewindow/partner")


def _desk(request: Request, db: Session, user: User, status: ItemStatus | None, *, refusal: str | None = None,
          status_code: int = 200):
    bureau, items = partners.items(db, user=user, status=status)
    return page(request, "onewindow/partner.html", {
        "bureau": bureau, "items": [partner_item_out(db, i) for i in items], "status": status,
        "refusal": refusal}, status_code=status_code)


@router.get("")
def partner_desk(request: Request, db: DbSession, user=Partner, status: ItemStatus | None = Query(None)):
    return _desk(request, db, user, status)


@router.post("/items/{item_id}/{step}")
async def partner_step(item_id: int, step: str, request: Request, db: DbSession, user=Partner):
    form = await request.form()
    return await run_in_threadpool(_step, request, db, user, item_id, step, form)


def _step(request: Request, db: Session, user: User, item_id: int, step: str, form):
    body = {k: str(form.get(k)).strip() for k in ("reason", "tracking_no") if form.get(k)}
    try:
        partners.step(db, user=user, item_id=item_id, event=step, data=parse(StepIn, body))
    except AppError as exc:
        db.rollback()
        return _desk(request, db, user, None, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse("/onewindow/partner", status_code=303)
