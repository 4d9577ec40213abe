"""Case pages: the register (list), a new case, the detail with its timeline, clocks, people and seized goods,
and the forms of the steps the table allows. A refused step re-renders the page with the reason and changes
nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.case import service, transitions
from pingan.cases.fugitive import service as fugitives
from pingan.cases.models import Case, CaseStatus, FilingTrack
from pingan.cases.permissions import Reader, Writer, can_write
from pingan.cases.schemas import CaseIn, FugitiveIn, PersonIn, PersonStatusIn, SeizureIn, StepIn, parse
from pingan.cases.seizure import service as seizures
from pingan.core.errors import AppError, ValidationFailed
from pingan.platform.users.models import User
from pingan.web.deps import DbSession

from .common import communities, field_errors, filled, form_values, local_time, own_station_code, page, stations

router = APIRouter(prefix="/cases")
CASE_FIELDS = ("kind", "category", "title", "summary", "occurred_at", "station_code", "community_code",
               "assignee_username")
PERSON_FIELDS = ("kind", "name", "id_number", "phone", "suspect_status", "loss", "note")
SEIZURE_FIELDS = ("description", "quantity", "unit", "value", "held_at", "from_name", "to_name")
FUGITIVE_FIELDS = ("name", "id_number", "wanted_since", "danger", "places", "note")


@router.get("")
def register_page(request: Request, db: DbSession, user=Reader,
                  status: Annotated[CaseStatus | None, Query()] = None):
    return page(request, "cases/list.html", {"cases": repo.cases(db, user, status=status), "status": status})


def case_data(form) -> tuple[dict, dict]:
    values = form_values(form, CASE_FIELDS)
    values["small"] = "1" if form.get("small") else ""
    data: dict = filled({k: values[k] for k in CASE_FIELDS})
    if "occurred_at" in data:
        data["occurred_at"] = local_time(data["occurred_at"])
    if values["small"]:
        data["small"] = True
    return data, values


def new_case_page(request: Request, db: Session, user: User, values: dict, errors: dict, status_code: int = 200):
    return page(request, "cases/new.html", {"values": values, "errors": errors, "stations": stations(db, user),
                                            "communities": communities(db, user)}, status_code=status_code)


@router.get("/new")
def new_case(request: Request, db: DbSession, user=Writer):
    return new_case_page(request, db, user, {"station_code": own_station_code(user), "kind": "criminal"}, {})


@router.post("/new")
async def create_case(request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_create_case, request, db, user, form)


def _create_case(request: Request, db: Session, user: User, form):
    data, values = case_data(form)
    try:
        case = service.register(db, data=parse(CaseIn, data), actor=user)
    except ValidationFailed as exc:
        db.rollback()
        return new_case_page(request, db, user, values, field_errors(exc.details), status_code=422)
    return RedirectResponse(clocks.case_link(case), status_code=303)


def _detail(request: Request, db: Session, user: User, case: Case, *, errors: dict | None = None,
            refusal: str | None = None, form: str | None = None, values: dict | None = None, status_code: int = 200):
    writer = can_write(user)
    return page(request, "cases/detail.html", {
        "c": case, "clocks": clocks.clocks_of(db, clocks.CASE, case.id), "age": service.age_years(case),
        "items": repo.items(db, user, case_id=case.id), "report": repo.report_of_case(db, case.id),
        "can": {e: writer and transitions.allowed(case.status, e) for e in transitions.EVENTS},
        "can_retrack": writer and case.status is CaseStatus.RECEIVED and case.filing_track is not FilingTrack.COMPLEX,
        "can_extend": writer and case.kind.value == "administrative" and not case.extended
        and case.status in (CaseStatus.RECEIVED, CaseStatus.FILED, CaseStatus.INVESTIGATING),
        "errors": errors or {}, "refusal": refusal, "open_form": form, "values": values or {},
    }, status_code=status_code)


@router.get("/{case_id:int}")
def detail(case_id: int, request: Request, db: DbSession, user=Reader):
    return _detail(request, db, user, service.view(db, user=user, case_id=case_id))


def _person(db: Session, case: Case, user: User, form) -> None:
    data = filled(form_values(form, PERSON_FIELDS))
    service.add_person(db, case=case, actor=user, data=parse(PersonIn, data))


def _suspect_status(db: Session, case: Case, user: User, form) -> None:
    person = str(form.get("person_id") or "")
    service.set_suspect_status(db, case=case, person_id=int(person) if person.isdigit() else 0, actor=user,
                               data=parse(PersonStatusIn, filled(form_values(form, ("suspect_status", "note")))))


def _seize(db: Session, case: Case, user: User, form) -> None:
    data = filled(form_values(form, SEIZURE_FIELDS))
    data["from_signed"], data["to_signed"] = data.get("from_name", ""), data.get("to_name", "")
    seizures.seize(db, case=case, actor=user, data=parse(SeizureIn, data))


def _fugitive(db: Session, case: Case, user: User, form) -> None:
    data = filled(form_values(form, FUGITIVE_FIELDS))
    places = data.pop("places", "")
    data["last_known_places"] = [p.strip() for p in places.replace("，", ",").split(",") if p.strip()]
    fugitives.register_fugitive(db, actor=user, data=parse(FugitiveIn, {**data, "case_id": case.id}))


def _step_input(form) -> StepIn:
    return parse(StepIn, filled(form_values(form, ("note", "approver"))))


def _retrack(db: Session, case: Case, user: User, form) -> None:
    track = FilingTrack.COMPLEX if form.get("track") == "complex" else FilingTrack.CLUE_CHECK
    service.retrack(db, case=case, track=track, data=_step_input(form), actor=user)


def _extend(db: Session, case: Case, user: User, form) -> None:
    service.extend(db, case=case, data=_step_input(form), actor=user)


_FORMS = {"persons": _person, "suspect-status": _suspect_status, "seizures": _seize, "fugitives": _fugitive,
          "retrack": _retrack, "extend": _extend}


@router.post("/{case_id:int}/{step}")
async def step(case_id: int, step: str, request: Request, db: DbSession, user=Writer):
    if step not in _FORMS and step not in transitions.EVENTS:
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_step, request, db, user, case_id, step, form)


def _step(request: Request, db: Session, user: User, case_id: int, step: str, form):
    case = repo.get_case(db, user, case_id)
    try:
        if step in _FORMS:
            _FORMS[step](db, case, user, form)
        else:
            service.step(db, case=case, name=step, data=_step_input(form), actor=user)
    except AppError as exc:
        db.rollback()
        case = repo.get_case(db, user, case_id)
        errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}
        return _detail(request, db, user, case, errors=errors, refusal=exc.message, form=step,
                       values=dict(form), status_code=exc.status_code)
    return RedirectResponse(clocks.case_link(case), status_code=303)
