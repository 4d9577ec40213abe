"""The rental API: register a property, read it with units, tenancies and deadlines, declare, verify and end
tenancies (and the landlord's confirm or dispute), record inspections, the figures. Scoped to the caller
(a landlord their own properties; out of scope → 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from pingan.core import clock
from pingan.core.schemas import ERROR_RESPONSES
from pingan.rental import figures, id_photos, service
from pingan.rental import repository as repo
from pingan.rental.permissions import AnyRental, Declarer, Keeper, Officer, PhotoViewer, Reader, Verifier
from pingan.rental.routes.serialize import figures_out, keeper_out, photo_response, property_out, tenancy_out
from pingan.rental.schemas import (
    EndIn,
    InspectionIn,
    InspectionOut,
    KeeperOut,
    MandateIn,
    NoteIn,
    ObjectionIn,
    PropertyIn,
    PropertyOut,
    RentalFiguresOut,
    TenancyIn,
    TenancyOut,
)
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/rental", tags=["rental"], responses=ERROR_RESPONSES)


@router.post("/properties", status_code=201, response_model=PropertyOut,
             summary="Register a rented property at a standard address, with keepers and units (a code each)")
def register_property(body: PropertyIn, db: DbSession, user=Officer) -> dict:
    return property_out(db, service.register_property(db, data=body, actor=user))


@router.get("/properties/{property_id}", response_model=PropertyOut,
            summary="A property with units, tenancies and their deadlines (read is audited)")
def get_property(property_id: int, db: DbSession, user=AnyRental) -> dict:
    return property_out(db, service.view_property(db, user=user, property_id=property_id))


@router.post("/properties/{property_id}/keepers", status_code=201, response_model=KeeperOut,
             summary="The landlord (or an officer) appoints a manager or agent account to act for the landlord")
def appoint(property_id: int, body: MandateIn, db: DbSession, user=Declarer) -> dict:
    prop = repo.get_property(db, user, property_id)
    return keeper_out(service.appoint(db, prop=prop, data=body, actor=user))


@router.delete("/properties/{property_id}/keepers/{keeper_id}", response_model=KeeperOut,
               summary="Withdraw a manager's or agent's mandate: their account no longer sees the property")
def withdraw(property_id: int, keeper_id: int, db: DbSession, user=Declarer) -> dict:
    prop = repo.get_property(db, user, property_id)
    return keeper_out(service.withdraw(db, prop=prop, keeper_id=keeper_id, actor=user))


@router.post("/properties/{property_id}/tenancies", status_code=201, response_model=TenancyOut,
             summary="Declare a tenant (landlord side: their report; officer: the landlord's clock starts)")
def declare(property_id: int, body: TenancyIn, db: DbSession, user=Declarer) -> dict:
    prop = repo.get_property(db, user, property_id)
    return tenancy_out(db, service.declare(db, prop=prop, data=body, actor=user))


@router.post("/tenancies/{tenancy_id}/verify", response_model=TenancyOut,
             summary="The door check: the tenant is there (residence registered)")
def verify(tenancy_id: int, body: NoteIn, db: DbSession, user=Verifier) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.verify(db, tenancy=tenancy, actor=user, note=body.note))


@router.post("/tenancies/{tenancy_id}/reject", response_model=TenancyOut,
             summary="The door check: the declaration is wrong")
def reject(tenancy_id: int, body: NoteIn, db: DbSession, user=Verifier) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.reject(db, tenancy=tenancy, actor=user, note=body.note))


@router.post("/tenancies/{tenancy_id}/end", response_model=TenancyOut,
             summary="The move-out (landlord side: their report; officer: the landlord's clock starts)")
def end(tenancy_id: int, body: EndIn, db: DbSession, user=Declarer) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.end(db, tenancy=tenancy, data=body, actor=user))


@router.post("/tenancies/{tenancy_id}/deregister", response_model=TenancyOut,
             summary="Close the residence registration of a tenancy that has ended")
def deregister(tenancy_id: int, body: NoteIn, db: DbSession, user=Verifier) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.deregister(db, tenancy=tenancy, actor=user))


@router.post("/tenancies/{tenancy_id}/confirm", response_model=TenancyOut,
             summary="The landlord confirms a tenant's declaration or move-out (their report)")
def confirm(tenancy_id: int, body: NoteIn, db: DbSession, user=Keeper) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.confirm(db, tenancy=tenancy, actor=user))


@router.post("/tenancies/{tenancy_id}/dispute", response_model=TenancyOut,
             summary="The landlord disputes a tenant's declaration")
def dispute(tenancy_id: int, body: ObjectionIn, db: DbSession, user=Keeper) -> dict:
    tenancy = repo.get_tenancy(db, user, tenancy_id)
    return tenancy_out(db, service.dispute(db, tenancy=tenancy, reason=body.reason, actor=user))


@router.get("/tenancies/{tenancy_id}/id-photo", response_class=Response,
            summary="The photo of the ID card the tenant attached (police officers only; every view audited)",
            responses={200: {"content": {"image/jpeg": {}, "image/png": {}}, "description": "the photo as stored"}})
def id_photo(tenancy_id: int, db: DbSession, user=PhotoViewer) -> Response:
    return photo_response(id_photos.view(db, user=user, tenancy_id=tenancy_id))


@router.post("/properties/{property_id}/inspections", status_code=201, response_model=InspectionOut,
             summary="Record an inspection: each failed item a hazard with its rectification deadline")
def inspect(property_id: int, body: InspectionIn, db: DbSession, user=Officer) -> dict:
    prop = repo.get_property(db, user, property_id)
    i = service.inspect(db, prop=prop, data=body, actor=user)
    return {"id": i.id, "at": i.at, "by": i.by_name, "results": i.results,
            "hazards": [{"id": h.id, "item": h.item.value, "due_on": h.due_on, "rectified_at": h.rectified_at}
                        for h in i.hazards]}


@router.get("/figures", response_model=RentalFiguresOut,
            summary="Units by kind and colour, occupancy, tenancies, reports on time, hazards, hits")
def get_figures(db: DbSession, user=Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict:
    return figures_out(figures.compute(db, user, year or clock.today_local().year))
