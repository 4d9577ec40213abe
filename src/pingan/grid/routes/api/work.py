"""The grid API, part two: information collection, joint patrols and their check-in points, publicity events,
yearly targets and progress, and the figures (JSON or Excel)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from pingan.core import clock
from pingan.grid import figures, workbook
from pingan.grid import repository as repo
from pingan.grid.collection import service as collection
from pingan.grid.patrol import service as patrols
from pingan.grid.permissions import Officer, Reader, Reporter
from pingan.grid.publicity import service as publicity
from pingan.grid.report import photos
from pingan.grid.routes.serialize import (
    checkpoint_out,
    collection_out,
    figures_out,
    patrol_out,
    progress_out,
    publicity_out,
    report_out,
)
from pingan.grid.schemas import (
    CheckInIn,
    CheckPointIn,
    CheckPointOut,
    CollectionIn,
    CollectionOut,
    FiguresOut,
    PatrolIn,
    PatrolOut,
    PublicityIn,
    PublicityOut,
    ReportIn,
    ReportOut,
    TargetIn,
    TargetsOut,
)
from pingan.grid.settings import get_grid_settings
from pingan.grid.target import service as targets
from pingan.web.deps import DbSession

router = APIRouter()
Year = Annotated[int | None, Query(ge=2000, le=2100)]


@router.post("/collections", status_code=201, response_model=CollectionOut,
             responses={200: {"model": CollectionOut, "description": "a second collection: the record updated"}},
             summary="Collect at a standard address; the same subject again updates it (200), a version kept")
def collect(body: CollectionIn, response: Response, db: DbSession, user=Reporter) -> dict:
    record, created = collection.collect(db, data=body, actor=user)
    response.status_code = 201 if created else 200
    return collection_out(record)


@router.get("/collections/{collection_id}", response_model=CollectionOut, summary="A collected record, its versions")
def get_collection(collection_id: int, db: DbSession, user=Reader) -> dict:
    return collection_out(repo.get_collection(db, user, collection_id))


@router.post("/collections/{collection_id}/verify", response_model=CollectionOut,
             summary="The officer verifies the record (it then counts; a flagged conflict is cleared)")
def verify_collection(collection_id: int, db: DbSession, user=Officer) -> dict:
    return collection_out(collection.verify(db, record=repo.get_collection(db, user, collection_id), actor=user))


@router.post("/patrols", status_code=201, response_model=PatrolOut,
             responses={200: {"model": PatrolOut, "description": "the same idempotency key again: the first patrol"}},
             summary="Plan a joint patrol with its people (sent once per idempotency key)")
def plan_patrol(body: PatrolIn, response: Response, db: DbSession, user=Reporter) -> dict:
    sent = body.idempotency_key is not None and repo.patrol_by_key(db, user, body.idempotency_key) is not None
    patrol = patrols.plan(db, data=body, actor=user)
    db.flush()
    response.status_code = 200 if sent else 201
    return patrol_out(patrol, repo.findings(db, patrol))


@router.get("/patrols/{patrol_id}", response_model=PatrolOut, summary="A patrol with check-ins and findings")
def get_patrol(patrol_id: int, db: DbSession, user=Reader) -> dict:
    patrol = repo.get_patrol(db, user, patrol_id)
    return patrol_out(patrol, repo.findings(db, patrol))


def _patrol_step(db, user, patrol_id: int, step) -> dict:
    patrol = repo.get_patrol(db, user, patrol_id)
    step(patrol)
    return patrol_out(patrol, repo.findings(db, patrol))


@router.post("/patrols/{patrol_id}/start", response_model=PatrolOut, summary="The patrol sets out")
def start_patrol(patrol_id: int, db: DbSession, user=Reporter) -> dict:
    return _patrol_step(db, user, patrol_id, lambda p: patrols.start(db, patrol=p, actor=user))


@router.post("/patrols/{patrol_id}/check-ins", response_model=PatrolOut,
             summary="Check in at a point (its QR code's token); the same point twice is one check-in")
def check_in(patrol_id: int, body: CheckInIn, db: DbSession, user=Reporter) -> dict:
    return _patrol_step(db, user, patrol_id, lambda p: patrols.check_in(db, patrol=p, token=body.token, actor=user))


@router.post("/patrols/{patrol_id}/findings", status_code=201, response_model=ReportOut,
             summary="A finding of the patrol, reported from the grid")
def finding(patrol_id: int, body: ReportIn, db: DbSession, user=Reporter) -> dict:
    report = patrols.finding(db, patrol=repo.get_patrol(db, user, patrol_id), data=body, actor=user)
    return report_out(db, report)


@router.post("/patrols/{patrol_id}/end", response_model=PatrolOut, summary="The patrol ends")
def end_patrol(patrol_id: int, db: DbSession, user=Reporter) -> dict:
    return _patrol_step(db, user, patrol_id, lambda p: patrols.end(db, patrol=p, actor=user))


@router.post("/patrols/{patrol_id}/verify", response_model=PatrolOut, summary="The officer verifies an ended patrol")
def verify_patrol(patrol_id: int, db: DbSession, user=Officer) -> dict:
    return _patrol_step(db, user, patrol_id, lambda p: patrols.verify(db, patrol=p, actor=user))


@router.post("/checkpoints", status_code=201, response_model=CheckPointOut,
             summary="Set up a check-in point; its QR code comes back as SVG")
def add_checkpoint(body: CheckPointIn, request: Request, db: DbSession, user=Officer) -> dict:
    point = patrols.add_checkpoint(db, data=body, actor=user)
    db.flush()
    return checkpoint_out(point, body.grid_code, patrols.qr_svg(point, str(request.base_url)))


@router.post("/publicity", status_code=201, response_model=PublicityOut,
             responses={200: {"model": PublicityOut, "description": "the same idempotency key again: the first one"}},
             summary="Record a publicity event (sent once per idempotency key)")
def record_publicity(body: PublicityIn, response: Response, db: DbSession, user=Reporter) -> dict:
    sent = body.idempotency_key is not None and repo.publicity_by_key(db, user, body.idempotency_key) is not None
    event = publicity.record(db, data=body, actor=user)
    db.flush()
    response.status_code = 200 if sent else 201
    return publicity_out(event)


@router.post("/publicity/{publicity_id}/photos", status_code=201, response_model=PublicityOut,
             summary="Attach a JPEG or PNG photo of the event (413 past the size limit)")
async def publicity_photo(publicity_id: int, db: DbSession, photo: Annotated[UploadFile, File()],
                          user=Reporter) -> dict:
    data = await photo.read(get_grid_settings().photo_max_bytes + 1)
    if len(data) > get_grid_settings().photo_max_bytes:
        raise photos.too_large()
    event = repo.get_publicity(db, user, publicity_id)
    publicity.add_photo(db, event=event, data=data, actor=user)
    return publicity_out(event)


@router.post("/publicity/{publicity_id}/verify", response_model=PublicityOut, summary="The officer verifies it")
def verify_publicity(publicity_id: int, db: DbSession, user=Officer) -> dict:
    return publicity_out(publicity.verify(db, event=repo.get_publicity(db, user, publicity_id), actor=user))


@router.post("/targets", response_model=TargetsOut, summary="Set a yearly target of a grid or one of its members")
def set_target(body: TargetIn, db: DbSession, user=Officer) -> dict:
    targets.set_target(db, data=body, actor=user)
    db.flush()
    return _targets(db, user, body.grid_code, body.year)


def _targets(db, user, grid_code: str, year: int) -> dict:
    grid = repo.get_grid(db, user, grid_code)
    bars, members = targets.progress(db, grid, year)
    return {"year": year, "grid_code": grid.code, "grid": progress_out(bars),
            "members": [{"member_id": m.id, "name": m.name, "progress": progress_out(b)} for m, b in members]}


@router.get("/grids/{grid_code}/targets", response_model=TargetsOut,
            summary="A grid's targets and the progress of verified work")
def get_targets(grid_code: str, db: DbSession, user=Reader, year: Year = None) -> dict:
    return _targets(db, user, grid_code, year or clock.today_local().year)


@router.get("/figures", response_model=FiguresOut,
            summary="Reports by category, grid and month; handed calls, on-time feedback, repeats; verified work")
def get_figures(db: DbSession, user=Reader, year: Year = None) -> dict:
    return figures_out(figures.compute(db, user, year or clock.today_local().year))


@router.get("/figures.xlsx", response_class=Response, summary="The figures as an Excel workbook", responses={
    200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
          "description": "the workbook"}})
def figures_excel(db: DbSession, user=Reader, year: Year = None) -> Response:
    year = year or clock.today_local().year
    data = workbook.figures_xlsx(figures.compute(db, user, year))
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="grid-figures-{year}.xlsx"'})
