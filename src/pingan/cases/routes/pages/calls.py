"""110 call pages: recent calls with the intake form, and a call with its disposition form (a case, a dispute
for the mediation room, the grid, false, repeat)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from pingan.cases import repository as repo
from pingan.cases.calls import service
from pingan.cases.models import Call
from pingan.cases.permissions import Reader, Writer
from pingan.cases.schemas import CallIn, DisposeIn, parse
from pingan.core.errors import AppError, ValidationFailed
from pingan.platform.org import service as org_service
from pingan.platform.org.models import UnitKind
from pingan.platform.users.models import User
from pingan.web.deps import DbSession

from .cases import case_data
from .common import field_errors, filled, form_values, local_time, own_station_code, page, stations

router = APIRouter(prefix="/cases/calls")
CALL_FIELDS = ("call_no", "station_code", "category", "summary", "received_at", "caller_phone", "address_code",
               "address_text")
PARTY_ROWS = 2


def _calls_page(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    return page(request, "cases/calls.html", {"calls": repo.calls(db, user), "values": values, "errors": errors,
                                              "stations": stations(db, user)}, status_code=status_code)


@router.get("")
def calls_page(request: Request, db: DbSession, user=Reader):
    return _calls_page(request, db, user, {"station_code": own_station_code(user)}, {})


@router.post("")
async def record(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_record, request, db, user, form)


def _record(request: Request, db: Session, user: User, form):
    values = form_values(form, CALL_FIELDS)
    data = filled(values)
    if "received_at" in data:
        data["received_at"] = local_time(data["received_at"])
    try:
        call = service.record(db, data=parse(CallIn, data), actor=user)
    except AppError as exc:
        db.rollback()
        errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {"call_no": exc.message}
        return _calls_page(request, db, user, values, errors, status_code=exc.status_code)
    return RedirectResponse(service.link(call), status_code=303)


def _detail(request: Request, db: Session, user: User, call: Call, *, errors: dict | None = None,
            refusal: str | None = None, values: dict | None = None, status_code: int = 200):
    earlier = db.get(Call, call.repeat_of_id) if call.repeat_of_id else None
    return page(request, "cases/call.html", {
        "call": call, "earlier": earlier if earlier and earlier.station_id == call.station_id else None,
        "errors": errors or {}, "refusal": refusal, "values": values or {"kind": "criminal"},
        "party_rows": range(PARTY_ROWS), "dispute_categories": service.dispute_categories(),
        # With no standard address the officer names the grid that takes a non-police call.
        "grids": [] if call.address else [u for u in org_service.subtree(db, call.station) if u.kind is UnitKind.GRID],
    }, status_code=status_code)


@router.get("/{call_id:int}")
def detail(call_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, repo.get_call(db, user, call_id))


def dispose_data(form, call: Call) -> tuple[dict, dict]:
    disposition = str(form.get("disposition") or "")
    data: dict = {"disposition": disposition, "note": str(form.get("note") or "").strip()}
    case, values = case_data(form)
    values.update({"disposition": disposition, "note": data["note"], "grid_code": str(form.get("grid_code") or "")})
    if disposition == "grid" and values["grid_code"]:
        data["grid_code"] = values["grid_code"]
    if disposition == "case":
        data["case"] = {"station_code": call.station.code, "summary": call.summary, **case}
    elif disposition == "dispute":
        parties = []
        for i in range(PARTY_ROWS):
            row = filled(form_values(form, (f"parties[{i}].name", f"parties[{i}].id_number", f"parties[{i}].phone")))
            values.update(row)
            if row:
                parties.append({k.split(".", 1)[1]: val for k, val in row.items()})
        values["dispute_category"] = str(form.get("dispute_category") or "")
        data["dispute"] = {"category": values["dispute_category"], "parties": parties}
    return data, values


@router.post("/{call_id:int}/dispose")
async def dispose(call_id: int, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_dispose, request, db, user, call_id, form)


def _dispose(request: Request, db: Session, user: User, call_id: int, form):
    call = repo.get_call(db, user, call_id)
    data, values = dispose_data(form, call)
    try:
        call = service.dispose(db, call=call, data=parse(DisposeIn, data), actor=user)
    except AppError as exc:
        db.rollback()
        call = repo.get_call(db, user, call_id)
        errors = {k.removeprefix("case.").removeprefix("dispute."): message for k, message
                  in (field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}).items()}
        return _detail(request, db, user, call, errors=errors, refusal=exc.message, values=values,
                       status_code=exc.status_code)
    if call.case_id is not None:
        return RedirectResponse(f"/cases/{call.case_id}", status_code=303)
    return RedirectResponse(service.link(call), status_code=303)
