"""The registers around the cases: fugitives (with arrests), the seized-goods store with each item's custody
chain, telecom-fraud reports (intake, stop-payments, freezes) and the task-force board."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.fraud import service as fraud
from pingan.cases.fugitive import service as fugitives
from pingan.cases.permissions import FraudWriter, Reader, Writer
from pingan.cases.schemas import CustodyIn, FraudReportIn, FreezeIn, FugitiveEndIn, TaskIn, TaskStepIn, parse
from pingan.cases.seizure import service as seizures
from pingan.cases.seizure import transitions as custody
from pingan.cases.taskforce import service as taskforces
from pingan.cases.taskforce import transitions as task_table
from pingan.core.errors import AppError, ValidationFailed
from pingan.platform.org.models import Bank
from pingan.platform.users.models import User
from pingan.web.deps import DbSession

from .common import field_errors, filled, form_values, local_time, own_station_code, page, stations

router = APIRouter(prefix="/cases")
PAYEE_ROWS = 3


def _retry(db: Session, exc: AppError, render):
    db.rollback()
    errors = field_errors(exc.details) if isinstance(exc, ValidationFailed) else {}
    return render(errors=errors, refusal=exc.message, status_code=exc.status_code)


# ---- fugitives ----------------------------------------------------------------------------------------------

def _fugitives_page(request: Request, db: Session, user: User, status_code: int = 200, **kw):
    return page(request, "cases/fugitives.html", {"fugitives": repo.fugitives(db, user), **kw},
                status_code=status_code)


@router.get("/fugitives")
def fugitives_page(request: Request, db: DbSession, user=Reader):
    return _fugitives_page(request, db, user)


@router.post("/fugitives/{fugitive_id:int}/{how}")
async def end_fugitive(fugitive_id: int, how: str, request: Request, db: DbSession, user=Writer):
    if how not in fugitives.ENDINGS:
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_end_fugitive, request, db, user, fugitive_id, how, form)


def _end_fugitive(request: Request, db: Session, user: User, fugitive_id: int, how: str, form):
    found = repo.get_fugitive(db, user, fugitive_id)
    try:
        fugitives.end(db, fugitive=found, how=how, actor=user,
                      data=parse(FugitiveEndIn, filled(form_values(form, ("place", "note")))))
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _fugitives_page(request, db, user, **kw))
    return RedirectResponse("/cases/fugitives", status_code=303)


# ---- seized goods -------------------------------------------------------------------------------------------

def _store_page(request: Request, db: Session, user: User, status_code: int = 200, **kw):
    items = repo.items(db, user)
    item_clocks = {i.id: clocks.clocks_of(db, clocks.ITEM, i.id) for i in items}
    return page(request, "cases/store.html", {
        "items": items, "overdue": {i.id: seizures.overdue(i, item_clocks[i.id]) for i in items},
        "clocks": item_clocks, "can_move": {i.id: [m for m in custody.MOVEMENTS if custody.allowed(i.status, m)]
                                            for i in items}, **kw}, status_code=status_code)


@router.get("/seizures")
def store_page(request: Request, db: DbSession, user=Reader):
    return _store_page(request, db, user)


@router.post("/seizures/{item_id:int}/custody")
async def move_item(item_id: int, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_move_item, request, db, user, item_id, form)


def _move_item(request: Request, db: Session, user: User, item_id: int, form):
    item = repo.get_item(db, user, item_id)
    data = filled(form_values(form, ("kind", "from_name", "to_name", "reason", "approver", "due_back_at",
                                     "disposal", "held_at")))
    data["from_signed"], data["to_signed"] = data.get("from_name", ""), data.get("to_name", "")
    if "due_back_at" in data:
        data["due_back_at"] = local_time(data["due_back_at"])
    try:
        seizures.move(db, item=item, data=parse(CustodyIn, data), actor=user)
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _store_page(request, db, user, failed_item=item_id, **kw))
    return RedirectResponse(f"/cases/seizures#item-{item_id}", status_code=303)


# ---- fraud reports ------------------------------------------------------------------------------------------

REPORT_FIELDS = ("victim.name", "victim.id_number", "victim.phone", "loss", "occurred_at", "station_code",
                 "contact_method", "typology", "summary", "phones")


def _fraud_page(request: Request, db: Session, user: User, *, values: dict | None = None, status_code: int = 200,
                errors: dict | None = None, **kw):
    reports = repo.reports(db, user)
    banks = {b.id: b for b in db.scalars(select(Bank).order_by(Bank.code))}
    return page(request, "cases/fraud.html", {
        "reports": reports, "banks": banks, "values": values or {"station_code": own_station_code(user)},
        "stations": stations(db, user), "payee_rows": range(PAYEE_ROWS), "errors": errors or {}, **kw},
        status_code=status_code)


@router.get("/fraud")
def fraud_page(request: Request, db: DbSession, user=Reader):
    return _fraud_page(request, db, user)


def report_data(form) -> tuple[dict, dict]:
    values = form_values(form, REPORT_FIELDS)
    data: dict = {"victim": filled({k.split(".", 1)[1]: values[k] for k in values if k.startswith("victim.")})}
    data.update(filled({k: values[k] for k in values if not k.startswith("victim.") and k != "phones"}))
    if "occurred_at" in data:
        data["occurred_at"] = local_time(data["occurred_at"])
    data["phones"] = [p.strip() for p in values["phones"].replace("，", ",").split(",") if p.strip()]
    data["payees"] = []
    for i in range(PAYEE_ROWS):
        row = filled(form_values(form, (f"payees[{i}].account_no", f"payees[{i}].bank_code", f"payees[{i}].name")))
        values.update(row)
        if row:
            data["payees"].append({k.split(".", 1)[1]: val for k, val in row.items()})
    return data, values


@router.post("/fraud")
async def report(request: Request, db: DbSession, user=FraudWriter):
    form = await request.form()
    return await run_in_threadpool(_report, request, db, user, form)


def _report(request: Request, db: Session, user: User, form):
    data, values = report_data(form)
    try:
        found = fraud.report(db, data=parse(FraudReportIn, data), actor=user)
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _fraud_page(request, db, user, values=values, **kw))
    return RedirectResponse(clocks.case_link(found.case), status_code=303)


@router.post("/fraud-payees/{payee_id:int}/{step}")
async def payee_step(payee_id: int, step: str, request: Request, db: DbSession, user=FraudWriter):
    if step not in ("renew", "freeze"):
        return Response(status_code=404)
    form = await request.form()
    return await run_in_threadpool(_payee_step, request, db, user, payee_id, step, form)


def _payee_step(request: Request, db: Session, user: User, payee_id: int, step: str, form):
    payee = repo.payee_for_bank(db, payee_id, None)
    repo.get_report(db, user, payee.report_id)
    try:
        if step == "renew":
            fraud.renew_stop(db, payee=payee, actor=user)
        else:
            fraud.freeze(db, payee=payee, actor=user,
                         data=parse(FreezeIn, filled(form_values(form, ("approver", "note")))))
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _fraud_page(request, db, user, **kw))
    return RedirectResponse("/cases/fraud", status_code=303)


# ---- task forces --------------------------------------------------------------------------------------------

def _board(request: Request, db: Session, user: User, status_code: int = 200, **kw):
    forces = repo.task_forces(db, user)
    return page(request, "cases/taskforces.html", {
        "forces": forces, "users": {u.id: u for u in repo.users_of(db, {i for f in forces for i in f.member_ids}
                                                                      | {t.assignee_id for f in forces for t in f.tasks
                                                                         if t.assignee_id})},
        "task_events": task_table.EVENTS, "allowed": task_table.allowed, **kw}, status_code=status_code)


@router.get("/task-forces")
def board(request: Request, db: DbSession, user=Reader):
    return _board(request, db, user)


@router.post("/task-forces/{force_id:int}/tasks")
async def raise_task(force_id: int, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_raise_task, request, db, user, force_id, form)


def _raise_task(request: Request, db: Session, user: User, force_id: int, form):
    force = repo.get_task_force(db, user, force_id)
    data = filled(form_values(form, ("title", "due_at", "assignee_username")))
    if "due_at" in data:
        data["due_at"] = local_time(data["due_at"])
    try:
        taskforces.raise_task(db, force=force, data=parse(TaskIn, data), actor=user)
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _board(request, db, user, **kw))
    return RedirectResponse("/cases/task-forces", status_code=303)


@router.post("/task-forces/{force_id:int}/tasks/{task_id:int}")
async def move_task(force_id: int, task_id: int, request: Request, db: DbSession, user=Writer):
    form = await request.form()
    return await run_in_threadpool(_move_task, request, db, user, force_id, task_id, form)


def _move_task(request: Request, db: Session, user: User, force_id: int, task_id: int, form):
    force = repo.get_task_force(db, user, force_id)
    try:
        taskforces.move_task(db, force=force, task_id=task_id, actor=user,
                             data=parse(TaskStepIn, filled(form_values(form, ("event", "assignee_username",
                                                                              "result")))))
    except AppError as exc:
        return _retry(db, exc, lambda **kw: _board(request, db, user, **kw))
    return RedirectResponse("/cases/task-forces", status_code=303)
