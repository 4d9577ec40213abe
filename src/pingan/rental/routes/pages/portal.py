"""The landlords' portal (phone first): their units and tenants, the clocks running on them, and the forms to
declare a move-in and a move-out, and to confirm or dispute a tenant's own declaration; a landlord appoints
and withdraws the managers and agents who act for them. Each form shows only what the user's role on that
property may do (permissions.KEEPER_STEPS)."""

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
from pingan.rental.models import KeeperRole, TenancyStatus
from pingan.rental.permissions import Keeper
from pingan.rental.schemas import MandateIn, TenancyIn, parse
from pingan.rental.transitions import LIVING
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page, values_of

router = APIRouter(prefix="/rental/portal")
FIELDS = ("unit", "name", "id_number", "phone", "moved_in_on")
MANDATE_FIELDS = ("role", "username", "name", "id_number", "phone", "until")


def _portal(request: Request, db: Session, user: User, *, values: dict | None = None, errors: dict | None = None,
            refusal: str | None = None, status_code: int = 200):
    props = repo.properties(db, user)
    units, mine = [], []
    for p in props:
        keeper, may = service.keeper_of(p, user), service.keeper_steps(p, user)
        mine.append({"p": p, "keeper": keeper, "may": may,
                     "others": [k for k in p.keepers if k.role is not KeeperRole.LANDLORD]})
        for u in p.units:
            tenants = [{"t": t, "clocks": clocks.running_for(db, t), "may": may,
                        "can": {e: transitions.allowed(t.status, e) for e in transitions.EVENTS}}
                       for t in u.tenancies if t.status in LIVING or t.status is TenancyStatus.ENDED]
            units.append({"p": p, "u": u, "occupants": risk.occupants(u), "tenants": tenants, "keeper": keeper})
    return page(request, "rental/portal.html", {
        "units": units, "props": props, "mine": mine,
        "values": values or {"moved_in_on": clock.today_local().isoformat()},
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


@router.post("/properties/{property_id}/keepers")
async def appoint(property_id: int, request: Request, db: DbSession, user=Keeper):
    form = await request.form()
    return await run_in_threadpool(_appoint, request, db, user, property_id, values_of(form, MANDATE_FIELDS))


def _appoint(request: Request, db: Session, user: User, property_id: int, values: dict):
    try:
        prop = repo.get_property(db, user, property_id)
        service.appoint(db, prop=prop, data=parse(MandateIn, {k: v for k, v in values.items() if v}), actor=user)
    except AppError as exc:
        db.rollback()
        errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}
        return _portal(request, db, user, values={**values, "mandate_for": str(property_id)},
                       errors={f"mandate.{k}": v for k, v in errors.items()}, refusal=exc.message,
                       status_code=exc.status_code)
    return RedirectResponse("/rental/portal", status_code=303)


@router.post("/properties/{property_id}/keepers/{keeper_id}/withdraw")
def withdraw(property_id: int, keeper_id: int, request: Request, db: DbSession, user=Keeper):
    try:
        prop = repo.get_property(db, user, property_id)
        service.withdraw(db, prop=prop, keeper_id=keeper_id, actor=user)
    except AppError as exc:
        db.rollback()
        return _portal(request, db, user, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse("/rental/portal", status_code=303)
