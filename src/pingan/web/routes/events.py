"""The caller's notification feed: a server-sent-event stream and a JSON list, scoped like every query."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from pingan.core.db import session_factory
from pingan.platform.auth.models import Role, User
from pingan.platform.notify import broker
from pingan.platform.notify import service as notify
from pingan.web.deps import CurrentUser, DbSession

router = APIRouter()

POLL_SECONDS = 1.0
KEEPALIVE_SECONDS = 15.0
BATCH = 100
RETRY_MS = 3000


@router.get("/api/v1/events", tags=["platform"])
def list_events(
    db: DbSession,
    user: CurrentUser,
    after: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
) -> list[dict]:
    """Events visible to the caller with an id above ``after``, oldest first."""
    branch = _teller_branch(user)
    return [item for item in (notify.event_dict(e) for e in notify.feed_for(db, user, after_id=after, limit=limit))
            if _shown(item, branch)]


@router.get("/api/v1/events/stream", tags=["platform"], response_class=StreamingResponse)
def stream_events(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    after: int | None = Query(None, ge=0, description="resume after this event id"),
    last_event_id: int | None = Header(None, ge=0, description="set by EventSource when it reconnects"),
) -> StreamingResponse:
    """Live feed (text/event-stream): ``id`` is the event id, ``event`` its topic, ``data`` the event as JSON.

    Without ``Last-Event-ID`` or ``after`` the stream starts with events newer than the connection.
    """
    start = last_event_id if last_event_id is not None else after
    if start is None:
        start = notify.latest_event_id(db)
    # Only the user's id crosses into the stream: the request's session closes when this handler returns.
    return StreamingResponse(
        _stream(request, user.id, start, _teller_branch(user)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _poll(user_id: int, after: int) -> list[dict] | None:
    """One short session per poll; ``None`` once the user is gone or disabled, which ends the stream."""
    with session_factory()() as db:
        user = db.get(User, user_id)
        if user is None or not user.is_active:
            return None
        return [notify.event_dict(e) for e in notify.feed_for(db, user, after_id=after, limit=BATCH)]


def _teller_branch(user: User) -> str | None:
    """A teller's branch code: the bank's events reach the whole bank, a teller sees their own branch's."""
    if user.role is not Role.TELLER:
        return None
    return user.branch.code if user.branch is not None else ""


def _shown(item: dict, branch: str | None) -> bool:
    return branch is None or item.get("branch_code") in (None, branch)


def _frame(item: dict) -> bytes:
    topic = item["topic"].replace("\n", " ")
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (item["id"], topic.encode(), orjson.dumps(item))


async def _stream(request: Request, user_id: int, after: int, branch: str | None) -> AsyncIterator[bytes]:
    yield b"retry: %d\n\n" % RETRY_MS
    last_write = time.monotonic()
    with broker.listening() as woken:
        while not await request.is_disconnected():
            # Cleared before polling: a commit landing during the poll sets it again and is not missed.
            woken.clear()
            batch = await run_in_threadpool(_poll, user_id, after)
            if batch is None:
                return
            for item in batch:
                after = item["id"]
                if _shown(item, branch):
                    yield _frame(item)
            if batch:
                last_write = time.monotonic()
            elif time.monotonic() - last_write >= KEEPALIVE_SECONDS:
                yield b": keep-alive\n\n"
                last_write = time.monotonic()
            if len(batch) == BATCH:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), POLL_SECONDS)
