"""标准地址 pages and API: browse and edit the addresses of one's grids, match free text to candidates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from pingan.core.errors import AppError
from pingan.core.schemas import ERROR_RESPONSES
from pingan.platform import access
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import matching, service
from pingan.platform.places import repository as repo
from pingan.platform.places.models import Address
from pingan.platform.places.permissions import EDITORS, READERS
from pingan.platform.places.schemas import AddressIn, AddressOut, CandidateOut
from pingan.platform.users.models import Role
from pingan.web import nav
from pingan.web.deps import DbSession, require
from pingan.web.templating import render

router = APIRouter(responses=ERROR_RESPONSES)
Reader = require(*READERS)
Editor = require(*EDITORS)
nav.register("register", [nav.Entry("标准地址", "/places", roles=READERS)])


def address_out(address: Address) -> AddressOut:
    return AddressOut(code=address.code, text=address.text, grid_code=address.grid.code,
                      grid_name=address.grid.name, road=address.road, number=address.number,
                      building=address.building, unit=address.unit_no, room=address.room,
                      is_active=address.is_active)


def _grids(db, user) -> list[OrgUnit]:
    stmt = select(OrgUnit).where(OrgUnit.kind == UnitKind.GRID, access.unit_condition(db, user, OrgUnit.id))
    return list(db.scalars(stmt.order_by(OrgUnit.path)))


@router.get("/api/v1/places/match", tags=["places"], response_model=list[CandidateOut],
            summary="Standard addresses for a free-text address, best first, with a score 0-100")
def match_api(q: Annotated[str, Query(min_length=1, max_length=200)], db: DbSession, user=Reader
              ) -> list[CandidateOut]:
    return [CandidateOut(score=c.score, address=address_out(c.address)) for c in matching.match(db, user, q)]


@router.get("/api/v1/places", tags=["places"], response_model=list[AddressOut],
            summary="Addresses of the caller's grids in tree order (grid, road, number, building, unit, room)")
def list_api(db: DbSession, user=Reader, grid: Annotated[str | None, Query(max_length=32)] = None,
             road: Annotated[str | None, Query(max_length=60)] = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 200, offset: Annotated[int, Query(ge=0)] = 0
             ) -> list[AddressOut]:
    grid_id = next((g.id for g in _grids(db, user) if g.code == grid), -1) if grid else None
    return [address_out(a) for a in repo.browse(db, user, grid_id=grid_id, road=road, limit=limit, offset=offset)]


@router.get("/api/v1/places/{code}", tags=["places"], response_model=AddressOut, summary="One address")
def get_api(code: str, db: DbSession, user=Reader) -> AddressOut:
    return address_out(repo.get_address(db, user, code))


@router.patch("/api/v1/places/{code}", tags=["places"], response_model=AddressOut,
              summary="Correct an address's parts or retire it (its code stays)")
def update_api(code: str, body: AddressIn, db: DbSession, user=Editor) -> AddressOut:
    address = repo.get_address(db, user, code)
    return address_out(service.update(db, address=address, data=body, actor=user))


@router.get("/places", include_in_schema=False)
def places_page(request: Request, db: DbSession, user=Reader,
                grid: Annotated[str | None, Query(max_length=32)] = None,
                road: Annotated[str | None, Query(max_length=60)] = None,
                q: Annotated[str | None, Query(max_length=200)] = None,
                page: Annotated[int, Query(ge=1, le=10_000)] = 1):
    grids = _grids(db, user)
    chosen = next((g for g in grids if g.code == grid), None)
    rows = repo.browse(db, user, grid_id=chosen.id if chosen else None, road=road or None, limit=101,
                       offset=(page - 1) * 100)
    candidates = matching.match(db, user, q) if q else []
    return render(request, "places/browse.html", {
        "grids": grids, "chosen": chosen, "rows": rows[:100], "has_more": len(rows) > 100, "page": page,
        "road": road or "", "q": q or "", "candidates": candidates,
        "can_edit": user.role in EDITORS or user.role is Role.ADMIN})


@router.get("/places/picker", include_in_schema=False)
def picker(request: Request, db: DbSession, user=Reader,
           field: Annotated[str, Query(pattern=r"^[a-z_]{1,40}$")] = "address_code",
           source: Annotated[str, Query(pattern=r"^[a-z_.\[\]0-9]{1,40}$")] = "place"):
    """The address picker's choices for what was typed in the form's ``source`` box (a fragment)."""
    text = (request.query_params.get(source) or "").strip()[:200]
    candidates = matching.match(db, user, text) if text else []
    return render(request, "places/_choices.html", {"candidates": candidates, "field": field, "chosen": None})


@router.get("/places/{code}", include_in_schema=False)
def address_page(code: str, request: Request, db: DbSession, user=Reader):
    address = repo.get_address(db, user, code)
    return render(request, "places/edit.html", {"address": address, "errors": {},
                                                "can_edit": user.role in EDITORS or user.role is Role.ADMIN})


@router.post("/places/{code}", include_in_schema=False)
def address_save(code: str, request: Request, db: DbSession, user=Editor,
                 road: Annotated[str, Form(max_length=200)] = "", number: Annotated[str, Form(max_length=50)] = "",
                 building: Annotated[str, Form(max_length=50)] = "", unit: Annotated[str, Form(max_length=50)] = "",
                 room: Annotated[str, Form(max_length=50)] = "", is_active: Annotated[str, Form()] = ""):
    address = repo.get_address(db, user, code)
    try:
        data = AddressIn(road=road, number=number, building=building, unit=unit, room=room,
                         is_active=bool(is_active))
        service.update(db, address=address, data=data, actor=user)
    except (AppError, ValidationError) as exc:
        message = exc.message if isinstance(exc, AppError) else "请检查填写内容 / check the form"
        return render(request, "places/edit.html", {"address": address, "can_edit": True,
                                                    "errors": {"form": message}}, status_code=422)
    return RedirectResponse(f"/places/{address.code}", status_code=303)
