"""The landlords' portal (phone first): their units and tenants, the clocks running on them, and the forms to
declare a move-in and a move-out, and to confirm or dispute a tenant's own declaration."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed
from pingan.platform.users.models import User
from pingan.rental import clocks, risk, service, transitions
from pingan.rental import repository as repo
from pingan.rental.models import TenancyStatus
from pingan.rental.permissions import Keeper
from pingan.rental.schemas import TenancyIn, parse
from pingan.rental.transitions import LIVING
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page, values_of

router = APIRouter(prefix="/rental/portal")
FIELDS = ("unit", "name", "id_number", "phone", "moved_in_on")


def _portal(request: Request, db: Session, user: User, *, values: dict | None = None, errors: dict | None = None,
            refusal: str | None = None, status_code: int = 200):
    props = repo.properties(db, user)
    units = []
    for p in props:
        for u in p.units:
            tenants = [{"t": t, "clocks": clocks.running_for(db, t),
                        "can": {e: transitions.allowed(t.status, e) for e in transitions.EVENTS}}
                       for t in u.tenancies if t.status in LIVING or t.status is TenancyStatus.ENDED]
            units.append({"p": p, "u": u, "occupants": risk.occupants(u), "tenants": tenants})
    return page(request, "rental/portal.html", {
        "units": units, "props": props, "values": values or {"moved_in_on": clock.today_local().isoformat()},
        "errors": errors or {}, "refusal": refusal, "now": clock.now(), "today": clock.today_local(),
    }, status_code=status_code)


@router.get("")
def portal(request: Request, db: DbSession, user=Keeper):
    return _portal(request, db, user)


@router.post("/tenancies")
async def declare(request: Request, db: DbSession, user=Keeper):
    form = await request.form()
    return await run_in_threadpool(_declare, request, db, user, values_of(form, FIELDS))


def _declare(request: Request, db: Session, user: User, values: dict):
    try:
        property_id, _, label = values["unit"].partition(":")
        prop = repo.get_property(db, user, int(property_id) if property_id.isdigit() else 0)
        body = {"tenant": {k: values[k] for k in ("name", "id_number", "phone") if values[k]},
                "moved_in_on": values["moved_in_on"], "unit": label}
        service.declare(db, prop=prop, data=parse(TenancyIn, body), actor=user)
    except AppError as exc:
        db.rollback()
        errors = field_errors(exc.details, prefix="tenant.") if isinstance(exc, ValidationFailed) else {}
        return _portal(request, db, user, values=values, errors=errors, refusal=exc.message,
                       status_code=exc.status_code)
    return RedirectResponse("/rental/portal", status_code=303)
