"""``POST /api/v1/antifraud/screenings`` — the hot path — and reading a screening back.

The POST is answered by a bare handler (`answer_screening`) that reads the body itself instead of
declaring a Pydantic parameter: validation then runs once, in the engine's own schema, and the route adds
almost nothing to the time a bank waits. The declared route publishes the contract in /openapi.json.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time

import orjson
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from pingan.antifraud.engine.contract import ScreeningRequest, ScreeningResult
from pingan.antifraud.models import Screening
from pingan.antifraud.routes.api.schemas import ScreeningStatus
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening import service
from pingan.antifraud.screening.helpers import preparer
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core.db import session_factory
from pingan.core.errors import AppError, PayloadTooLarge, PermissionDenied, Unauthenticated, ValidationFailed, not_found
from pingan.core.schemas import ERROR_RESPONSES, ErrorBody
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role
from pingan.web.deps import CurrentUser, DbSession
from pingan.web.errors import error_body

router = APIRouter(prefix="/api/v1/antifraud", tags=["antifraud"], responses=ERROR_RESPONSES)
log = logging.getLogger("pingan.antifraud")

_key_cache: dict[str, tuple[float, int | None, Role]] = {}  # key digest → (expiry, bank id, role)
_lookups: dict[str, asyncio.Future] = {}  # key digest → its look-up under way: (bank id, role) or the refusal


def _caller_sync(token: str) -> tuple[int | None, Role]:
    with session_factory()() as db:
        user = auth.user_for_api_key(db, token)
        if user is None:
            raise Unauthenticated("auth.bad_api_key", "API 密钥无效或已吊销 / invalid or revoked API key")
        return user.bank_id, user.role


async def _caller(authorization: str) -> tuple[int | None, Role]:
    """The calling bank system, from its API key. Answers are cached briefly (revocation: see docs), and a
    key is looked up by one request at a time: while its entry is refreshed, its last answer stands, and
    requests for a key not yet known wait for the one look-up."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("auth.required", "需要银行系统的 API 密钥 / a bank system API key is required")
    digest = hashlib.sha256(token.encode()).hexdigest()
    cached = _key_cache.get(digest)
    if cached is not None and cached[0] >= time.monotonic():
        return cached[1], cached[2]
    loop = asyncio.get_running_loop()
    lookup = _lookups.get(digest)
    if lookup is not None and lookup.get_loop() is loop:
        if cached is not None:
            return cached[1], cached[2]
        outcome = await asyncio.shield(lookup)
        if outcome is None:  # the request looking it up went away before it knew
            return await _caller(authorization)
        if isinstance(outcome, AppError):
            raise outcome
        return outcome
    lookup = _lookups[digest] = loop.create_future()
    try:
        bank_id, role = await run_in_threadpool(_caller_sync, token)
    except AppError as exc:
        _key_cache.pop(digest, None)
        lookup.set_result(exc)
        raise
    else:
        _key_cache[digest] = (time.monotonic() + get_antifraud_settings().api_key_cache_seconds, bank_id, role)
        lookup.set_result((bank_id, role))
        return bank_id, role
    finally:
        if _lookups.get(digest) is lookup:
            del _lookups[digest]
        if not lookup.done():
            lookup.set_result(None)


async def screen_body(authorization: str, body: bytes, started: float) -> bytes:
    """Screen one request body for the bank system behind ``authorization``; the JSON answer, or AppError."""
    bank_id, role = await _caller(authorization)
    if role is not Role.BANK_SYSTEM:
        raise PermissionDenied("auth.role", "仅银行系统可提交筛查 / only bank systems may screen")
    prepared = await preparer.prepare_on_loop(body)
    runtime = get_runtime()
    submission = runtime.submit_prepared(prepared, caller_bank_id=bank_id, submitted_by_id=None,
                                         started=started, on_loop=True)
    alert_id = await submission.wait()
    if submission.decision is None:
        if submission.claimed is None:
            return orjson.dumps(await run_in_threadpool(service.stored_result, submission.screening_id))
        # Claimed in the shared state by another process: its first answer may still be on the way to the
        # database. Not there after a few seconds (a commit takes milliseconds), that process died before
        # storing it and never answered: the retry is screened anew.
        try:
            return orjson.dumps(await run_in_threadpool(service.stored_result, submission.screening_id,
                                                        wait_seconds=CLAIM_WAIT_SECONDS))
        except service.FirstAnswerPending:
            await run_in_threadpool(runtime.forget_dead_claim, submission.claimed)
            submission = runtime.submit_prepared(prepared, caller_bank_id=bank_id, submitted_by_id=None,
                                                 started=started, on_loop=True)
            alert_id = await submission.wait()
            if submission.decision is None:  # claimed again meanwhile, by another retry: its answer
                return orjson.dumps(await run_in_threadpool(service.stored_result, submission.screening_id,
                                                            wait_seconds=CLAIM_WAIT_SECONDS))
    return orjson.dumps(service.result_dict(submission.pending, alert_id))


@router.post("/screenings", summary="Screen one remittance (contract v1)", response_model=ScreeningResult,
             responses={413: {"model": ErrorBody, "description": "body over 64 KiB"},
                        503: {"model": ErrorBody, "description": "the decision could not be stored; retry"}})
async def screen(request: Request, body: ScreeningRequest) -> Response:
    """Documents the endpoint (its body and answer, with their components in the spec); requests are
    answered by ``answer_screening`` before routing, which validates the body once, in the engine."""
    started = time.perf_counter()
    answer = await screen_body(request.headers.get("authorization", ""), await request.body(), started)
    return Response(answer, media_type="application/json")


SCREENING_PATH = "/api/v1/antifraud/screenings"
CLAIM_WAIT_SECONDS = service.CLAIM_WAIT_SECONDS
MAX_BODY = 64 * 1024


async def answer_screening(scope, receive, send) -> None:
    """``POST /api/v1/antifraud/screenings`` as a bare ASGI handler, which the app runs before its
    framework stack (see `pingan.app.PinganApp`).

    The screening call is the one the banks wait on thousands of times a second; skipping the middleware,
    router, dependency machinery and per-request exit stacks saves a large share of its time. Errors are
    rendered exactly as the app's error handlers render them.
    """
    started = time.perf_counter()
    authorization = ""
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
    status, answer = 200, b""
    try:
        body = await _read_body(receive)
        answer = await screen_body(authorization, body, started)
    except AppError as exc:
        status = exc.status_code
        answer = orjson.dumps(error_body(exc.code, exc.message, [d.as_dict() for d in exc.details]))
    except Exception:  # outside the framework's error middleware: answer as its handler would
        log.exception("unhandled error on POST %s", SCREENING_PATH)
        status = 500
        answer = orjson.dumps(error_body("server.error", "系统内部错误，请联系管理员 / internal error"))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(answer)).encode())]})
    await send({"type": "http.response.body", "body": answer})


async def _read_body(receive) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ValidationFailed("request.incomplete", "请求不完整 / request body incomplete")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise PayloadTooLarge("request.too_large", "请求过大 / request body too large")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


@router.get("/screenings/{screening_id}", response_model=ScreeningStatus,
            summary="A screening's decision and current status")
def get_screening(screening_id: str, db: DbSession, user: CurrentUser) -> dict:
    screening = db.scalar(repo.scoped_screenings(db, user).where(Screening.id == screening_id))
    if screening is None:
        raise not_found("screening", "筛查记录")
    return service.screening_status(screening)

