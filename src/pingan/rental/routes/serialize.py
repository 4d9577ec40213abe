"""Properties, tenancies and figures as JSON for the API (shaped as PropertyOut, TenancyOut, RentalFiguresOut):
tenants in full (the property read is audited by the caller), units with occupancy, clocks by phase; and an ID
card photo as the answer to a page or API read."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.rental import clocks, figures, risk, service
from pingan.rental import repository as repo
from pingan.rental.models import IdPhoto, Keeper, Property, Tenancy


def photo_response(photo: IdPhoto) -> Response:
    """The stored bytes under their checked type, never cached, never a download named by the sender."""
    return Response(photo.data, media_type=photo.content_type,
                    headers={"Cache-Control": "no-store", "Content-Disposition": "inline"})


def tenancy_out(db: Session, t: Tenancy) -> dict:
    return {
        "id": t.id, "unit": t.unit.label, "status": t.status.value, "name": t.name, "id_number": t.id_number,
        "phone": t.phone, "moved_in_on": t.moved_in_on, "moved_out_on": t.moved_out_on,
        "declared_by": t.declared_by.value, "declared_at": t.declared_at,
        "move_in_reported_at": t.move_in_reported_at, "move_in_on_time": t.move_in_on_time,
        "move_out_reported_at": t.move_out_reported_at, "move_out_on_time": t.move_out_on_time,
        "registered_on": t.registered_on, "permit_eligible_on": service.permit_eligible_on(t.registered_on),
        "deadlines": [{"kind": c.kind, "phase": phase, "due_at": c.due_at, "status": c.status.value,
                       "assignee_id": c.assignee_id} for phase, c in clocks.for_tenancy(db, t)],
    }


def keeper_out(k: Keeper) -> dict:
    return {"id": k.id, "role": k.role.value, "name": k.name, "id_number": k.id_number, "phone": k.phone,
            "until": k.until, "in_force": k.in_force(clock.today_local())}


def property_out(db: Session, prop: Property) -> dict:
    hazards = repo.open_hazards(db, prop.id)
    return {
        "id": prop.id, "kind": prop.kind.value, "name": prop.name,
        "address": {"code": prop.address.code, "text": prop.address.text}, "grid_code": prop.grid.code,
        "colour": risk.colour(prop, hazards, clock.today_local()).value,
        "keepers": [keeper_out(k) for k in prop.keepers],
        "units": [{"id": u.id, "label": u.label, "rooms": u.rooms, "beds": u.beds, "area": u.area,
                   "occupants": risk.occupants(u), "overcrowded": risk.overcrowded(u),
                   "code_active": service.active_code(u) is not None} for u in prop.units],
        "tenancies": [tenancy_out(db, t) for u in prop.units for t in u.tenancies],
        "inspections": [{"id": i.id, "at": i.at, "by": i.by_name, "results": i.results,
                         "hazards": [{"id": h.id, "item": h.item.value, "due_on": h.due_on,
                                      "rectified_at": h.rectified_at} for h in i.hazards]}
                        for i in prop.inspections],
    }


def figures_out(f: figures.Figures) -> dict:
    return {
        "year": f.year, "units": f.units, "occupants": f.occupants, "beds": f.beds, "declared": f.declared,
        "ended": f.ended, "reports": f.reports, "reports_on_time": f.reports_on_time,
        "hazards_found": f.hazards_found, "hazards_rectified": f.hazards_rectified, "hits": f.hits,
        "units_by_kind": [{"key": k, "label": label, "count": n} for k, label, n in f.units_by_kind],
        "units_by_colour": [{"key": k, "label": label, "count": n} for k, label, n in f.units_by_colour],
        "by_area": [a.__dict__ for a in f.by_area],
        "late_by_landlord": [{"landlord": name, "late": n} for name, n in f.late_by_landlord],
    }
