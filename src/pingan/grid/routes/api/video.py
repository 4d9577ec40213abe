"""The grid API, part three: the signalling of live video calls from a report (start, relay an offer, answer or
ICE candidate, answer, decline, hang up, snapshot). The media never pass through Pingan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from pingan.grid import repository as repo
from pingan.grid.permissions import Reader
from pingan.grid.report import photos
from pingan.grid.routes.serialize import video_out
from pingan.grid.schemas import SignalIn, VideoCallOut
from pingan.grid.settings import get_grid_settings
from pingan.grid.video import service as video
from pingan.web.deps import DbSession

router = APIRouter()


@router.post("/reports/{report_id}/video-calls", status_code=201, response_model=VideoCallOut,
             summary="Call the other side of the report by video: the officer's browser rings")
def start_call(report_id: int, db: DbSession, user=Reader) -> dict:
    return video_out(video.start(db, report=repo.get_report(db, user, report_id), actor=user))


@router.get("/video-calls/{call_id}", response_model=VideoCallOut, summary="A video call: who, when, how long")
def get_call(call_id: int, db: DbSession, user=Reader) -> dict:
    return video_out(video.get(db, user, call_id))


@router.post("/video-calls/{call_id}/signals", response_model=VideoCallOut,
             summary="Relay an offer, answer or ICE candidate to the other browser")
def relay(call_id: int, body: SignalIn, db: DbSession, user=Reader) -> dict:
    call = video.get(db, user, call_id)
    video.relay(db, call=call, kind=body.kind, payload=body.payload, actor=user)
    return video_out(call)


@router.post("/video-calls/{call_id}/answer", response_model=VideoCallOut, summary="The called side answers")
def answer(call_id: int, db: DbSession, user=Reader) -> dict:
    return video_out(video.answer(db, call=video.get(db, user, call_id), actor=user))


@router.post("/video-calls/{call_id}/decline", response_model=VideoCallOut, summary="The called side declines")
def decline(call_id: int, db: DbSession, user=Reader) -> dict:
    return video_out(video.decline(db, call=video.get(db, user, call_id), actor=user))


@router.post("/video-calls/{call_id}/end", response_model=VideoCallOut, summary="Either side hangs up")
def end(call_id: int, db: DbSession, user=Reader) -> dict:
    return video_out(video.end(db, call=video.get(db, user, call_id), actor=user))


@router.post("/video-calls/{call_id}/snapshot", response_model=VideoCallOut,
             summary="A frame of the call (JPEG or PNG), attached to the report")
async def snapshot(call_id: int, db: DbSession, photo: Annotated[UploadFile, File()], user=Reader) -> dict:
    data = await photo.read(get_grid_settings().photo_max_bytes + 1)
    if len(data) > get_grid_settings().photo_max_bytes:
        raise photos.too_large()
    return video_out(video.snapshot(db, call=video.get(db, user, call_id), data=data, actor=user))
