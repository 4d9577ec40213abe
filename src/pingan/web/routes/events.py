"""The caller's notification feed: a server-sent-event stream and a JSON list, scoped like every query.

A stream is a long request. It holds no database session: it polls through a small pool of its own
(`events_pool_size` connections and threads), so that many streams neither wait for nor starve the
requests; it re-checks its session or API key every `events_recheck_seconds` and ends once that is
gone; and each process caps its streams per user and in all (429 beyond).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session, sessionmaker

from pingan.core.config import get_settings
from pingan.core.db import make_engine
from pingan.core.errors import TooManyRequests
from pingan.core.schemas import ERROR_RESPONSES, Time
from pingan.platform.auth import service as auth
from pingan.platform.notify import broker
from pingan.platform.notify import service as notify
from pingan.platform.users.models import Role, User
from pingan.web.deps import SESSION_COOKIE, CurrentUser, DbSession

router = APIRouter()

POLL_SECONDS = 1.0
KEEPALIVE_SECONDS = 15.0
BATCH = 100
RETRY_MS = 3000


class EventOut(BaseModel):
    """An event of the feed; the fields of its payload (``alert_id``, ``clock_id`` …) come with it."""

    model_config = ConfigDict(extra="allow")

    id: int
    topic: str
    title: str
    body: str | None
    link: str | None
    created_at: Time


@router.get("/api/v1/events", tags=["platform"], response_model=list[EventOut], responses=ERROR_RESPONSES)
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


@router.get("/api/v1/events/stream", tags=["platform"], response_class=StreamingResponse, responses={
    200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": "the live feed"},
    **ERROR_RESPONSES, 429: {"description": "too many open streams for this user or this server"}})
def stream_events(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    after: int | None = Query(None, ge=0, description="resume after this event id"),
    last_event_id: int | None = Header(None, ge=0, description="set by EventSource when it reconnects"),
) -> StreamingResponse:
    """Live feed (text/event-stream): ``id`` is the event id, ``event`` its topic, ``data`` the event as JSON.

    Without ``Last-Event-ID`` or ``after`` the stream starts with events newer than the connection. The
    stream ends when the caller's session ends or API key is revoked.
    """
    start = last_event_id if last_event_id is not None else after
    if start is None:
        start = notify.latest_event_id(db)
    streams.open(user.id)
    # Only the user's id and credential cross into the stream: the request's session closes when this
    # handler returns.
    return SlotStream(
        _stream(request, _Credential.of(request), user.id, start, _teller_branch(user)),
        on_close=functools.partial(streams.close, user.id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@dataclass(frozen=True)
class _Credential:
    """What the stream's caller proved itself with (as `web.deps` reads it), to ask again later."""

    api_key: str | None = None
    session: str | None = None

    @classmethod
    def of(cls, request: Request) -> _Credential:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return cls(api_key=token.strip())
        return cls(session=request.cookies.get(SESSION_COOKIE, ""))

    def user(self, db: Session) -> User | None:
        if self.api_key is not None:
            return auth.user_for_api_key(db, self.api_key)
        return auth.user_for_session(db, self.session) if self.session else None


class StreamSlots:
    """This process's open streams of one kind, per user and in all, held to caps read from the settings at each
    opening (``caps()`` gives per user, in all); beyond either, 429 with ``<kind>.too_many_streams`` or
    ``<kind>.server_busy``. The platform's feed is one kind; a module's own stream (grid's video signals) another."""

    def __init__(self, kind: str, caps: Callable[[], tuple[int, int]]) -> None:
        self._lock = threading.Lock()
        self._kind, self._caps = kind, caps
        self.per_user: Counter[int] = Counter()

    def open(self, user_id: int) -> None:
        per_user, total = self._caps()
        with self._lock:
            if self.per_user[user_id] >= per_user:
                raise TooManyRequests(f"{self._kind}.too_many_streams",
                                      "打开的实时推送过多，请关闭其他页面 / too many open event streams for this user")
            if self.per_user.total() >= total:
                raise TooManyRequests(f"{self._kind}.server_busy",
                                      "实时推送连接已满，请稍后重试 / event streams are full, retry later")
            self.per_user[user_id] += 1

    def close(self, user_id: int) -> None:
        with self._lock:
            self.per_user[user_id] -= 1
            if self.per_user[user_id] <= 0:
                del self.per_user[user_id]


def _event_caps() -> tuple[int, int]:
    settings = get_settings()
    return settings.events_max_streams_per_user, settings.events_max_streams


streams = StreamSlots("events", _event_caps)


class SlotStream(StreamingResponse):
    """A streaming answer that gives its slot back however it ends (done, client gone, or never started)."""

    def __init__(self, content, *, on_close, **kwargs) -> None:
        super().__init__(content, **kwargs)
        self._on_close = on_close

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._on_close()


@functools.cache
def _pool(url: str, size: int) -> tuple[sessionmaker[Session], ThreadPoolExecutor]:
    """The streams' own sessions and threads: ``size`` of each, whatever the number of streams."""
    return (sessionmaker(bind=make_engine(url), expire_on_commit=False),
            ThreadPoolExecutor(max_workers=size, thread_name_prefix="pingan-events"))


def _poll(credential: _Credential, user_id: int, after: int, recheck: bool) -> list[dict] | None:
    """One short session per poll; ``None`` once the credential or the user is gone, which ends the stream."""
    settings = get_settings()
    sessions, _ = _pool(settings.resolved_database_url, settings.events_pool_size)
    with sessions() as db:
        user = credential.user(db) if recheck else db.get(User, user_id)
        if user is None or user.id != user_id or not user.is_active:
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


async def _stream(request: Request, credential: _Credential, user_id: int, after: int,
                  branch: str | None) -> AsyncIterator[bytes]:
    settings = get_settings()
    _, threads = _pool(settings.resolved_database_url, settings.events_pool_size)
    loop = asyncio.get_running_loop()
    yield b"retry: %d\n\n" % RETRY_MS
    last_write = time.monotonic()
    next_check = last_write + settings.events_recheck_seconds
    with broker.listening() as woken:
        while not await request.is_disconnected():
            # Cleared before polling: a commit landing during the poll sets it again and is not missed.
            woken.clear()
            recheck = time.monotonic() >= next_check
            batch = await loop.run_in_executor(threads, _poll, credential, user_id, after, recheck)
            if batch is None:
                return
            if recheck:
                next_check = time.monotonic() + settings.events_recheck_seconds
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
            wait = min(POLL_SECONDS, max(0.0, next_check - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), wait)
