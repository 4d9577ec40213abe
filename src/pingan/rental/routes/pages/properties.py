"""The officers' pages: the properties of their area with colour and occupancy, a property with its units,
codes, tenants and clocks and the forms of the next steps, the plate, the inspection checklist. A refused
step re-renders the page with the reason and changes nothing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import AppError, ValidationFailed, not_found
from pingan.platform.users.models import User
from pingan.rental import clocks, id_photos, risk, service, transitions
from pingan.rental import repository as repo
from pingan.rental.models import CheckItem, Property
from pingan.rental.permissions import (
    AnyRental,
    Officer,
    PhotoViewer,
    Reader,
    can_verify,
    can_view_id_photo,
    can_write,
    is_keeper,
)
from pingan.rental.routes.serialize import photo_response
from pingan.rental.schemas import EndIn, InspectionIn, ObjectionIn, parse
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page

router = APIRouter(prefix="/rental")


def rows(db: Session, props: list[Property]) -> list[dict]:
    today = clock.today_local()
    out = []
    for p in props:
        hazards = repo.open_hazards(db, p.id)
        out.append({"p": p, "colour": risk.colour(p, hazards, today).value, "hazards": hazards,
                    "occupants": sum(risk.occupants(u) for u in p.units),
                    "beds": sum(u.beds for u in p.units), "crowded": any(risk.overcrowded(u) for u in p.units)})
    return out


@router.get("")
def property_list(request: Request, db: DbSession, user=Reader):
    return page(request, "rental/list.html", {"rows": rows(db, repo.properties(db, user))})


def detail_context(db: Session, user: User, prop: Property) -> dict:
    hazards = repo.open_hazards(db, prop.id)
    may = service.keeper_steps(prop, user)
    tenancies = [{"t": t, "clocks": clocks.running_for(db, t), "may": may,
                  "permit_on": service.permit_eligible_on(t.registered_on),
                  "can": {e: transitions.allowed(t.status, e) for e in transitions.EVENTS}}
                 for u in prop.units for t in u.tenancies]
    # Which tenants attached a photo of their ID card: told to police officers only (a link, not the picture).
    photos = id_photos.has_photo(db, [row["t"].id for row in tenancies]) if can_view_id_photo(user) else set()
    return {"p": prop, "colour": risk.colour(prop, hazards, clock.today_local()).value, "hazards": hazards,
            "photos": photos,
            "status_text": risk.inspection_status(prop, hazards), "tenancies": tenancies,
            "units": [{"u": u, "occupants": risk.occupants(u), "crowded": risk.overcrowded(u),
                       "code": service.active_code(u)} for u in prop.units],
            "items": list(CheckItem), "now": clock.now(), "today": clock.today_local(),
            "keeper": is_keeper(user), "officer": can_write(user), "verifier": can_verify(user)}


def _detail(request: Request, db: Session, user: User, prop: Property, *, errors: dict | None = None,
            refusal: str | None = None, status_code: int = 200):
    return page(request, "rental/detail.html", {**detail_context(db, user, prop), "errors": errors or {},
                                                "refusal": refusal}, status_code=status_code)


@router.get("/properties/{property_id}")
def detail(property_id: int, request: Request, db: DbSession, user=AnyRental):
    return _detail(request, db, user, service.view_property(db, user=user, property_id=property_id))


def _verify(db, t, user, form):
    service.verify(db, tenancy=t, actor=user, note=str(form.get("note") or "").strip())


def _reject(db, t, user, form):
    service.reject(db, tenancy=t, actor=user, note=str(form.get("note") or "").strip())


def _end(db, t, user, form):
    service.end(db, tenancy=t, actor=user, data=parse(EndIn, {"moved_out_on": str(form.get("moved_out_on") or "")}))


def _deregister(db, t, user, form):
    service.deregister(db, tenancy=t, actor=user)


def _confirm(db, t, user, form):
    service.confirm(db, tenancy=t, actor=user)


def _dispute(db, t, user, form):
    reason = parse(ObjectionIn, {"reason": str(form.get("reason") or "").strip()}).reason
    service.dispute(db, tenancy=t, reason=reason, actor=user)


# step → (what it does, who may: "verifier", "officer" (writers and keepers alike) or "keeper")
STEPS = {"verify": (_verify, "verifier"), "reject": (_reject, "verifier"), "deregister": (_deregister, "verifier"),
         "end": (_end, "declarer"), "confirm": (_confirm, "keeper"), "dispute": (_dispute, "keeper")}


def may(user: User, who: str) -> bool:
    return {"verifier": can_verify(user), "keeper": is_keeper(user),
            "declarer": can_write(user) or is_keeper(user)}[who]


@router.post("/tenancies/{tenancy_id}/{step}")
async def step(tenancy_id: int, step: str, request: Request, db: DbSession, user=AnyRental):
    if step not in STEPS or not may(user, STEPS[step][1]):
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_step, request, db, user, tenancy_id, step, form)


def _step(request: Request, db: Session, user: User, tenancy_id: int, step: str, form):
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    back = str(form.get("back") or "")
    try:
        STEPS[step][0](db, tenancy, user, form)
    except AppError as exc:
        db.rollback()
        prop = repo.get_property(db, user, tenancy.property_id)
        errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}
        return _detail(request, db, user, prop, errors=errors, refusal=exc.message, status_code=exc.status_code)
    return RedirectResponse("/rental/portal" if back == "portal" else clocks.link(tenancy.property_id),
                            status_code=303)


@router.get("/tenancies/{tenancy_id}/id-photo")
def id_photo(tenancy_id: int, db: DbSession, user=PhotoViewer):
    return photo_response(id_photos.view(db, user=user, tenancy_id=tenancy_id))


def _unit(db: Session, user: User, prop_id: int, unit_id: int):
    prop = repo.get_property(db, user, prop_id)
    unit = next((u for u in prop.units if u.id == unit_id), None)
    if unit is None:
        raise not_found("unit", "出租房间")
    return prop, unit


@router.post("/properties/{property_id}/units/{unit_id}/{action}")
def code_step(property_id: int, unit_id: int, action: str, db: DbSession, user=Officer):
    _, unit = _unit(db, user, property_id, unit_id)
    if action == "revoke":
        service.revoke_code(db, unit=unit, actor=user)
    elif action == "reissue":
        service.reissue_code(db, unit=unit, actor=user)
    else:
        return Response(status_code=404)
    return RedirectResponse(clocks.link(property_id), status_code=303)


@router.get("/properties/{property_id}/units/{unit_id}/plate.pdf")
def plate(property_id: int, unit_id: int, db: DbSession, user=Officer):
    _, unit = _unit(db, user, property_id, unit_id)
    return Response(service.print_plate(db, unit=unit, actor=user), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="plate-{unit.id}.pdf"'})


@router.post("/properties/{property_id}/inspections")
async def inspect(property_id: int, request: Request, db: DbSession, user=Officer):
    form = await request.form()
    return await run_in_threadpool(_inspect, request, db, user, property_id, form)


def _inspect(request: Request, db: Session, user: User, property_id: int, form):
    prop = repo.get_property(db, user, property_id)
    results = {i.value: form.get(i.value) == "pass" for i in CheckItem}
    service.inspect(db, prop=prop, data=parse(InspectionIn, {"results": results,
                                                             "note": str(form.get("note") or "").strip()}),
                    actor=user)
    return RedirectResponse(clocks.link(prop), status_code=303)
