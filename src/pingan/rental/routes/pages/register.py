"""The officers' form registering a rented property: the standard address (the shared picker), kind, the
landlord (with their portal account, if any) and up to UNIT_ROWS units."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.core.errors import ValidationFailed
from pingan.platform.places import repository as places_repo
from pingan.platform.users.models import User
from pingan.rental import clocks, service
from pingan.rental.permissions import Officer
from pingan.rental.schemas import PropertyIn, parse
from pingan.web.deps import DbSession
from pingan.web.forms import field_errors

from .common import page, values_of

router = APIRouter(prefix="/rental")
UNIT_ROWS = 4
FIELDS = ("place", "address_code", "kind", "name", "keepers[0].name", "keepers[0].id_number",
          "keepers[0].phone", "keepers[0].username",
          *(f"units[{i}].{f}" for i in range(UNIT_ROWS) for f in ("label", "beds", "area")))


def _form(request: Request, db: Session, values: dict, errors: dict, status_code: int = 200):
    chosen = places_repo.by_code(db, values["address_code"]) if values.get("address_code") else None
    return page(request, "rental/new.html", {"values": values, "errors": errors, "address": chosen,
                                             "unit_rows": range(UNIT_ROWS)}, status_code=status_code)


@router.get("/properties/new")
def new_property(request: Request, db: DbSession, user=Officer):
    return _form(request, db, {"kind": "whole_flat"}, {})


def property_data(values: dict) -> tuple[dict, list[int]]:
    """The form as a PropertyIn body, and the form row of each unit sent."""
    keeper = {k: values[f"keepers[0].{k}"] for k in ("name", "id_number", "phone", "username")
              if values[f"keepers[0].{k}"]}
    rows = [i for i in range(UNIT_ROWS) if any(values[f"units[{i}].{f}"] for f in ("label", "beds", "area"))]
    units = [{f: values[f"units[{i}].{f}"] for f in ("label", "beds", "area") if values[f"units[{i}].{f}"]}
             for i in rows]
    return {"address_code": values["address_code"], "kind": values["kind"], "name": values["name"],
            "keepers": [{"role": "landlord", **keeper}], "units": units}, rows


@router.post("/properties")
async def register(request: Request, db: DbSession, user=Officer):
    form = await request.form()
    return await run_in_threadpool(_register, request, db, user, values_of(form, FIELDS))


def _register(request: Request, db: Session, user: User, values: dict):
    data, rows = property_data(values)
    try:
        prop = service.register_property(db, data=parse(PropertyIn, data), actor=user)
    except ValidationFailed as exc:
        db.rollback()
        errors = {}
        for field, message in field_errors(exc.details).items():
            for j, i in enumerate(rows):
                field = field.replace(f"units[{j}]", f"units[{i}]", 1) if field.startswith(f"units[{j}]") else field
            errors[field] = message
        return _form(request, db, values, errors, status_code=422)
    return RedirectResponse(clocks.link(prop), status_code=303)
