"""The grid API, part one: categories, reports from the grid (with photos, steps and deadlines), non-police calls handed
to the grid and their steps, the grid force. Scoped to the caller's grids (out of scope → 404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile

from pingan.grid import repository as repo
from pingan.grid import service as force
from pingan.grid.call import service as calls
from pingan.grid.permissions import CallWorker, Dispatcher, Officer, Reader, Reporter
from pingan.grid.report import photos
from pingan.grid.report import service as reports
from pingan.grid.routes.serialize import call_out, categories_out, member_out, report_out
from pingan.grid.schemas import (
    CallBackIn,
    CallIn,
    CallOut,
    CategoryOut,
    CoverageIn,
    FeedbackIn,
    HandleIn,
    HandoverIn,
    LinkIn,
    MemberIn,
    MemberOut,
    ReportIn,
    ReportOut,
    ReturnIn,
    StepIn,
)
from pingan.grid.settings import get_grid_settings
from pingan.web.deps import DbSession

router = APIRouter()


@router.get("/categories", response_model=list[CategoryOut],
            summary="Report categories and the fields of each one's form (Open311-like definitions)")
def get_categories(user=Reader) -> list[dict]:
    return categories_out()


@router.post("/reports", status_code=201, response_model=ReportOut,
             responses={200: {"model": ReportOut, "description": "the same idempotency key again: the first report"}},
             summary="Report from the grid; the same idempotency key again returns the first report (200)")
def submit(body: ReportIn, response: Response, db: DbSession, user=Reporter) -> dict:
    report, created = reports.submit(db, data=body, actor=user)
    if not created:
        response.status_code = 200
    return report_out(db, report)


@router.get("/reports", response_model=list[ReportOut], summary="Open reports of the caller's grids")
def list_reports(db: DbSession, user=Reader) -> list[dict]:
    return [report_out(db, r) for r in repo.reports(db, user, open_only=True, limit=100)]


@router.get("/reports/{report_id}", response_model=ReportOut,
            summary="A report with its deadlines, photos, possible duplicates and timeline (read is audited)")
def get_report(report_id: int, db: DbSession, user=Reader) -> dict:
    return report_out(db, reports.view(db, user=user, report_id=report_id))


@router.post("/reports/{report_id}/photos", status_code=201, response_model=ReportOut,
             summary="Attach a JPEG or PNG photo (checked by content; 413 past the size limit)")
async def add_photo(report_id: int, db: DbSession, photo: Annotated[UploadFile, File()], user=Reporter) -> dict:
    data = await photo.read(get_grid_settings().photo_max_bytes + 1)
    if len(data) > get_grid_settings().photo_max_bytes:
        raise photos.too_large()
    report = repo.get_report(db, user, report_id)
    reports.add_photo(db, report=report, data=data, actor=user)
    return report_out(db, report)


@router.get("/reports/{report_id}/photos/{photo_id}", response_class=Response, summary="A report's photo",
            responses={200: {"content": {"image/jpeg": {}, "image/png": {}}, "description": "the photo as stored"}})
def get_photo(report_id: int, photo_id: int, db: DbSession, user=Reader) -> Response:
    found = reports.photo(db, user=user, report_id=report_id, photo_id=photo_id)
    return Response(found.data, media_type=found.content_type, headers={"Cache-Control": "private, max-age=3600"})


@router.post("/reports/{report_id}/accept", response_model=ReportOut, summary="The community officer accepts it")
def accept(report_id: int, body: StepIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.accept(db, report=report, note=body.note, actor=user))


@router.post("/reports/{report_id}/handle", response_model=ReportOut, summary="Record how it was dealt with")
def handle(report_id: int, body: HandleIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.handle(db, report=report, handling=body.handling, actor=user))


@router.post("/reports/{report_id}/handover", response_model=ReportOut,
             summary="Hand it on: to mediation (a dispute is taken in), to cases or another department")
def handover(report_id: int, body: HandoverIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.handover(db, report=report, data=body, actor=user))


@router.post("/reports/{report_id}/feedback", response_model=ReportOut, summary="Feed back to the reporter")
def feedback(report_id: int, body: FeedbackIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.feedback(db, report=report, text=body.feedback, actor=user))


@router.post("/reports/{report_id}/close", response_model=ReportOut,
             summary="Close it (409 report.feedback_required before the feedback)")
def close(report_id: int, body: StepIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.close(db, report=report, note=body.note, actor=user))


@router.post("/reports/{report_id}/link", response_model=ReportOut,
             summary="Link a copy to its original report: the copy takes no further updates")
def link(report_id: int, body: LinkIn, db: DbSession, user=Officer) -> dict:
    report = repo.get_report(db, user, report_id)
    return report_out(db, reports.link(db, report=report, original_id=body.original_id, actor=user))


@router.post("/calls", status_code=201, response_model=CallOut,
             summary="Hand a non-police 110 call to the grid of its address")
def receive_call(body: CallIn, db: DbSession, user=Dispatcher) -> dict:
    return call_out(db, calls.receive_call(db, actor=user, **body.model_dump()))


@router.get("/calls/{call_id}", response_model=CallOut, summary="A handed call with its deadlines and timeline")
def get_call(call_id: int, db: DbSession, user=Reader) -> dict:
    return call_out(db, calls.view(db, user=user, call_id=call_id))


@router.post("/calls/{call_id}/accept", response_model=CallOut, summary="The grid signs for the call")
def accept_call(call_id: int, body: StepIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.accept(db, call=call, note=body.note, actor=user))


@router.post("/calls/{call_id}/handle", response_model=CallOut, summary="Record how the call was dealt with")
def handle_call(call_id: int, body: HandleIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.handle(db, call=call, handling=body.handling, actor=user))


@router.post("/calls/{call_id}/feedback", response_model=CallOut,
             summary="Feed back to the caller and to the station that handed the call over")
def feedback_call(call_id: int, body: FeedbackIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.feedback(db, call=call, text=body.feedback, actor=user))


@router.post("/calls/{call_id}/close", response_model=CallOut, summary="Close the call; the call-back is due next day")
def close_call(call_id: int, body: StepIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.close(db, call=call, note=body.note, actor=user))


@router.post("/calls/{call_id}/call-back", response_model=CallOut, summary="The call-back the day after closure")
def call_back(call_id: int, body: CallBackIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.call_back(db, call=call, note=body.note, satisfied=body.satisfied, actor=user))


@router.post("/calls/{call_id}/return", response_model=CallOut,
             summary="Return the call to its station: police work after all, with the reason")
def return_call(call_id: int, body: ReturnIn, db: DbSession, user=CallWorker) -> dict:
    call = repo.get_call(db, user, call_id)
    return call_out(db, calls.return_call(db, call=call, reason=body.reason, actor=user))


@router.post("/members", status_code=201, response_model=MemberOut, summary="Register a member of the grid force")
def add_member(body: MemberIn, db: DbSession, user=Officer) -> dict:
    member = force.add_member(db, data=body, actor=user)
    db.flush()
    return member_out(member)


@router.get("/members", response_model=list[MemberOut], summary="The grid force of the caller's grids")
def list_members(db: DbSession, user=Reader) -> list[dict]:
    return [member_out(m) for m in repo.members(db, user)]


@router.post("/coverage", response_model=dict[str, str], summary="Name the community officer covering a grid")
def assign_coverage(body: CoverageIn, db: DbSession, user=Officer) -> dict:
    force.assign_coverage(db, data=body, actor=user)
    return {"grid_code": body.grid_code, "officer_username": body.officer_username}
