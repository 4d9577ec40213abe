"""The 打击 API: 110 calls, cases and their steps and people, fugitives, seized goods and their custody chain,
telecom-fraud reports (and the banks' answers to stop-payment requests), task forces and the figures. Scoped
to the caller's jurisdiction: another station's record is 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pingan.cases import figures
from pingan.cases import repository as repo
from pingan.cases.calls import service as calls
from pingan.cases.case import service as cases
from pingan.cases.fraud import service as fraud
from pingan.cases.fugitive import service as fugitives
from pingan.cases.models import FilingTrack
from pingan.cases.permissions import Bank, FraudWriter, Reader, Writer
from pingan.cases.routes.serialize import (
    call_out,
    case_out,
    fugitive_out,
    item_out,
    payee_out,
    report_out,
    task_force_out,
)
from pingan.cases.schemas import (
    CallIn,
    CallOut,
    CaseIn,
    CaseOut,
    CustodyIn,
    DisposeIn,
    FiguresOut,
    FraudReportIn,
    FraudReportOut,
    FreezeIn,
    FugitiveEndIn,
    FugitiveIn,
    FugitiveOut,
    ItemOut,
    PayeeAnswerIn,
    PayeeOut,
    PersonIn,
    PersonStatusIn,
    SeizureIn,
    StepIn,
    TaskForceIn,
    TaskForceOut,
    TaskIn,
    TaskStepIn,
)
from pingan.cases.seizure import service as seizures
from pingan.cases.taskforce import service as taskforces
from pingan.core import clock
from pingan.core.errors import NotFound
from pingan.core.schemas import ERROR_RESPONSES
from pingan.web.deps import DbSession

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=ERROR_RESPONSES)
Year = Annotated[int | None, Query(ge=2000, le=2100)]


# ---- calls ------------------------------------------------------------------------------------------------

@router.post("/calls", status_code=201, response_model=CallOut,
             summary="Record a 110 call; a repeat when the same phone or address called within 30 days")
def record_call(body: CallIn, db: DbSession, user=Writer) -> dict:
    return call_out(calls.record(db, data=body, actor=user))


@router.get("/calls/{call_id}", response_model=CallOut, summary="A call and its disposition")
def get_call(call_id: int, db: DbSession, user=Reader) -> dict:
    return call_out(repo.get_call(db, user, call_id))


@router.post("/calls/{call_id}/dispose", response_model=CallOut,
             summary="Dispose of a call: case, dispute (to mediation), grid, false or repeat")
def dispose_call(call_id: int, body: DisposeIn, db: DbSession, user=Writer) -> dict:
    return call_out(calls.dispose(db, call=repo.get_call(db, user, call_id), data=body, actor=user))


# ---- fugitives --------------------------------------------------------------------------------------------

@router.post("/fugitives", status_code=201, response_model=FugitiveOut,
             summary="Register a fugitive on a case (and on the fugitives watch list)")
def register_fugitive(body: FugitiveIn, db: DbSession, user=Writer) -> dict:
    return fugitive_out(fugitives.register_fugitive(db, data=body, actor=user))


@router.get("/fugitives", response_model=list[FugitiveOut], summary="The fugitive register")
def list_fugitives(db: DbSession, user=Reader) -> list[dict]:
    return [fugitive_out(f) for f in repo.fugitives(db, user)]


@router.post("/fugitives/{fugitive_id}/{how}", response_model=FugitiveOut,
             summary="End a fugitive record: arrest (closes it and moves the case), dead or revoke")
def end_fugitive(fugitive_id: int, how: str, body: FugitiveEndIn, db: DbSession, user=Writer) -> dict:
    if how not in fugitives.ENDINGS:
        raise NotFound("step.unknown", "没有这个操作 / no such step")
    found = repo.get_fugitive(db, user, fugitive_id)
    return fugitive_out(fugitives.end(db, fugitive=found, how=how, data=body, actor=user))


# ---- seized items -----------------------------------------------------------------------------------------

@router.get("/seizures/{item_id}", response_model=ItemOut, summary="A seized item with its custody chain")
def get_item(item_id: int, db: DbSession, user=Reader) -> dict:
    return item_out(db, repo.get_item(db, user, item_id))


@router.post("/seizures/{item_id}/custody", status_code=201, response_model=ItemOut,
             summary="Append a custody movement (signed by both sides); out of order is 409")
def move_item(item_id: int, body: CustodyIn, db: DbSession, user=Writer) -> dict:
    item = repo.get_item(db, user, item_id)
    seizures.move(db, item=item, data=body, actor=user)
    return item_out(db, item)


# ---- fraud reports ----------------------------------------------------------------------------------------

@router.post("/fraud-reports", status_code=201, response_model=FraudReportOut,
             summary="A victim's telecom-fraud report: case, stop-payments, intel listings, missed screenings")
def report_fraud(body: FraudReportIn, db: DbSession, user=FraudWriter) -> dict:
    return report_out(db, fraud.report(db, data=body, actor=user))


@router.get("/fraud-reports/{report_id}", response_model=FraudReportOut, summary="A fraud report")
def get_report(report_id: int, db: DbSession, user=Reader) -> dict:
    return report_out(db, repo.get_report(db, user, report_id))


@router.post("/fraud-payees/{payee_id}/answer", response_model=PayeeOut,
             summary="The bank's answer to a stop-payment request (bank systems, own bank's accounts only)")
def answer_stop(payee_id: int, body: PayeeAnswerIn, db: DbSession, user=Bank) -> dict:
    payee = repo.payee_for_bank(db, payee_id, user.bank_id)
    return payee_out(db, fraud.answer(db, payee=payee, data=body, actor=user))


def _payee(db, user, payee_id: int):
    payee = repo.payee_for_bank(db, payee_id, None)
    repo.get_report(db, user, payee.report_id)  # another station's account is 404
    return payee


@router.post("/fraud-payees/{payee_id}/renew", response_model=PayeeOut,
             summary="Renew the stop-payment for 48 hours (once)")
def renew_stop(payee_id: int, db: DbSession, user=FraudWriter) -> dict:
    return payee_out(db, fraud.renew_stop(db, payee=_payee(db, user, payee_id), actor=user))


@router.post("/fraud-payees/{payee_id}/freeze", response_model=PayeeOut,
             summary="Freeze the stopped account for 6 months, or renew the freeze")
def freeze(payee_id: int, body: FreezeIn, db: DbSession, user=FraudWriter) -> dict:
    return payee_out(db, fraud.freeze(db, payee=_payee(db, user, payee_id), data=body, actor=user))


# ---- task forces ------------------------------------------------------------------------------------------

@router.post("/task-forces", status_code=201, response_model=TaskForceOut, summary="Set up a task force")
def create_task_force(body: TaskForceIn, db: DbSession, user=Writer) -> dict:
    return task_force_out(taskforces.create(db, data=body, actor=user))


@router.get("/task-forces/{force_id}", response_model=TaskForceOut, summary="A task force and its tasks")
def get_task_force(force_id: int, db: DbSession, user=Reader) -> dict:
    return task_force_out(repo.get_task_force(db, user, force_id))


@router.post("/task-forces/{force_id}/tasks", status_code=201, response_model=TaskForceOut,
             summary="Raise a task with its due time")
def raise_task(force_id: int, body: TaskIn, db: DbSession, user=Writer) -> dict:
    force = repo.get_task_force(db, user, force_id)
    taskforces.raise_task(db, force=force, data=body, actor=user)
    return task_force_out(force)


@router.post("/task-forces/{force_id}/tasks/{task_id}", response_model=TaskForceOut,
             summary="Move a task: allocate, done, result")
def move_task(force_id: int, task_id: int, body: TaskStepIn, db: DbSession, user=Writer) -> dict:
    force = repo.get_task_force(db, user, force_id)
    taskforces.move_task(db, force=force, task_id=task_id, data=body, actor=user)
    return task_force_out(force)


# ---- figures ----------------------------------------------------------------------------------------------

@router.get("/figures", response_model=FiguresOut, summary="Calls, cases, clearance, fraud, fugitives, seizures")
def get_figures(db: DbSession, user=Reader, year: Year = None) -> dict:
    return figures.as_dict(figures.compute(db, user, year or clock.today_local().year))


# ---- cases (last: their paths begin with the case's id) ---------------------------------------------------

@router.post("", status_code=201, response_model=CaseOut, summary="Register a case (受案); its legal clocks start")
def register_case(body: CaseIn, db: DbSession, user=Writer) -> dict:
    return case_out(db, cases.register(db, data=body, actor=user))


@router.get("/{case_id:int}", response_model=CaseOut,
            summary="A case with its people, timeline and deadlines (the read is audited)")
def get_case(case_id: int, db: DbSession, user=Reader) -> dict:
    return case_out(db, cases.view(db, user=user, case_id=case_id))


@router.post("/{case_id:int}/persons", status_code=201, response_model=CaseOut,
             summary="Add a suspect, victim or witness (through the people register)")
def add_person(case_id: int, body: PersonIn, db: DbSession, user=Writer) -> dict:
    case = repo.get_case(db, user, case_id)
    cases.add_person(db, case=case, data=body, actor=user)
    return case_out(db, case)


@router.post("/{case_id:int}/persons/{person_id:int}/status", response_model=CaseOut,
             summary="Change a suspect's status")
def set_suspect_status(case_id: int, person_id: int, body: PersonStatusIn, db: DbSession, user=Writer) -> dict:
    case = repo.get_case(db, user, case_id)
    cases.set_suspect_status(db, case=case, person_id=person_id, data=body, actor=user)
    return case_out(db, case)


@router.post("/{case_id:int}/seizures", status_code=201, response_model=ItemOut,
             summary="Seize an item on the case; the 24-hour hand-over clock starts")
def seize(case_id: int, body: SeizureIn, db: DbSession, user=Writer) -> dict:
    case = repo.get_case(db, user, case_id)
    return item_out(db, seizures.seize(db, case=case, data=body, actor=user))


_TRACKS = {"check_clues": FilingTrack.CLUE_CHECK, "complex": FilingTrack.COMPLEX}


@router.post("/{case_id:int}/{step}", response_model=CaseOut,
             summary="A step: file, not_file, investigate, solve, transfer, close, withdraw; check_clues, complex "
                     "(longer filing limits), extend (a public-order case, with approval). 409 when refused")
def take_step(case_id: int, step: str, body: StepIn, db: DbSession, user=Writer) -> dict:
    case = repo.get_case(db, user, case_id)
    if step in _TRACKS:
        cases.retrack(db, case=case, track=_TRACKS[step], data=body, actor=user)
    elif step == "extend":
        cases.extend(db, case=case, data=body, actor=user)
    elif step in cases.STEP_ACTIONS:
        cases.step(db, case=case, name=step, data=body, actor=user)
    else:
        raise NotFound("step.unknown", "没有这个操作 / no such step")
    return case_out(db, case)
