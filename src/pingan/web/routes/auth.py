"""Log-in, log-out and language switch pages; ``/api/v1/me`` for API callers."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from pingan.core.config import get_settings
from pingan.core.errors import AppError
from pingan.core.schemas import ERROR_RESPONSES
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role
from pingan.web.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    DbSession,
    OptionalUser,
    check_csrf,
    new_csrf_token,
    put_csrf_cookie,
)
from pingan.web.templating import LANG_COOKIE, LANGUAGES, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after log-in would help phishing.
    if not target or urlparse(target).netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, user: OptionalUser, next: str | None = None):
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", include_in_schema=False)
async def login(
    request: Request,
    db: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str | None, Form()] = None,
):
    await check_csrf(request)
    if not hasattr(request.app.state, "login_throttle"):  # one per application, made on the event loop
        request.app.state.login_throttle = auth.login_throttle()
    # The password hash takes a fifth of a second of CPU: never on the event loop.
    return await run_in_threadpool(_log_in, request, db, username.strip(), password, _safe_next(next))


def _log_in(request: Request, db: Session, username: str, password: str, next_path: str):
    address = request.client.host if request.client else "unknown"
    found = auth.credentials(db, username)
    db.commit()  # ends the read before the hash: on SQLite a transaction that may write holds the write lock
    try:
        user = auth.authenticate(db, username=username, password=password, found=found, address=address,
                                 throttle=request.app.state.login_throttle)
    except AppError as exc:
        return render(request, "login.html", {"next": next_path, "error": exc.message, "username": username},
                      status_code=exc.status_code)
    token = auth.start_session(db, user=user, ip=address)
    response = RedirectResponse(next_path, status_code=303)
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.is_production,
                        max_age=int(settings.session_hours * 3600))
    put_csrf_cookie(response, new_csrf_token(token))  # a new token, bound to the new session
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: DbSession, user: CurrentUser):
    auth.end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def _back_to(request: Request) -> str:
    """Where to return after switching language: the referring page if it is on this site, else home."""
    referer = urlparse(request.headers.get("referer", ""))
    if referer.scheme not in ("http", "https") or referer.netloc != request.url.netloc:
        return "/"
    return _safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))


@router.get("/lang/{lang}", include_in_schema=False)
def switch_language(lang: str, request: Request):
    response = RedirectResponse(_back_to(request), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax", max_age=365 * 86400)
    return response


class MeOut(BaseModel):
    username: str
    display_name: str
    role: Role
    unit: str | None
    bank: str | None
    branch: str | None


@router.get("/api/v1/me", tags=["platform"], response_model=MeOut, responses=ERROR_RESPONSES)
def me(user: CurrentUser) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "unit": user.unit.code if user.unit else None,
        "bank": user.bank.code if user.bank else None,
        "branch": user.branch.code if user.branch else None,
    }
