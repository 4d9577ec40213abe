"""The video calls' event stream (text/event-stream): rings and signals addressed to the signed-in user, as they
are written. It holds no request session: each poll opens a short unit of work; after ``STREAM_SECONDS`` it
ends and the browser's EventSource reconnects with ``Last-Event-ID``. Open streams are capped per user and in
all, as the platform's feed is (429 ``video.too_many_streams`` / ``video.server_busy``)."""

from __future__ import annotations

import asyncio
import functools
import time

import orjson
from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool

from pingan.core.db import unit_of_work
from pingan.grid.permissions import Reader
from pingan.grid.settings import get_grid_settings
from pingan.grid.video import service as video
from pingan.web.deps import DbSession
from pingan.web.routes.events import SlotStream, StreamSlots

router = APIRouter(prefix="/grid")
POLL_SECONDS = 0.3
STREAM_SECONDS = 50.0


def _caps() -> tuple[int, int]:
    settings = get_grid_settings()
    return settings.video_max_streams_per_user, settings.video_max_streams


streams = StreamSlots("video", _caps)


def _poll(user_id: int, after: int) -> list[tuple[int, str, bytes]]:
    with unit_of_work() as db:
        return [(s.id, s.kind, orjson.dumps({"call_id": s.call_id, **s.payload}))
                for s in video.signals_for(db, user_id, after)]


async def _stream(request: Request, user_id: int, after: int, rings: list[tuple[int, str, bytes]]):
    yield b"retry: 1000\n\n"
    for sid, kind, data in rings:
        yield b"id: %d\nevent: %s\ndata: %s\n\n" % (sid, kind.encode(), data)
    ends = time.monotonic() + STREAM_SECONDS
    while time.monotonic() < ends and not await request.is_disconnected():
        for sid, kind, data in await run_in_threadpool(_poll, user_id, after):
            after = sid
            yield b"id: %d\nevent: %s\ndata: %s\n\n" % (sid, kind.encode(), data)
        await asyncio.sleep(POLL_SECONDS)


@router.get("/video/events")
def events(request: Request, db: DbSession, user=Reader, last_event_id: int | None = Header(None, ge=0)):
    """From the last event the browser saw, or from now plus the rings of calls still ringing."""
    if last_event_id is not None:
        start, rings = last_event_id, []
    else:
        start = video.latest_signal_id(db)
        rings = [(s.id, s.kind, orjson.dumps({"call_id": s.call_id, **s.payload}))
                 for s in video.ringing_for(db, user.id)]
    streams.open(user.id)
    return SlotStream(_stream(request, user.id, start, rings), on_close=functools.partial(streams.close, user.id),
                      media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
