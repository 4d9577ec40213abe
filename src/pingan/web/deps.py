"""Request dependencies: the per-request transaction, the caller (session cookie or API key), CSRF, roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from pingan.core.config import get_settings
from pingan.core.db import unit_of_work
from pingan.core.errors import PermissionDenied, Unauthenticated
from pingan.platform import access
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role, User

SESSION_COOKIE = "pingan_session"
CSRF_COOKIE = "pingan_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_db() -> Iterator[Session]:
    """One transaction per request: committed when the handler returns, rolled back if it raises."""
    with unit_of_work() as db:
        yield db


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def new_csrf_token(session_token: str | None) -> str:
    """A CSRF token bound to the browser's session (or to no session, for the log-in form)."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(nonce, session_token)}"


def _sign(nonce: str, session_token: str | None) -> str:
    key = get_settings().secret_key.encode()
    bound = hashlib.sha256((session_token or "").encode()).hexdigest()
    return hmac.new(key, f"csrf|{nonce}|{bound}".encode(), hashlib.sha256).hexdigest()[:32]


def csrf_cookie_valid(cookie: str | None, session_token: str | None) -> bool:
    """The CSRF cookie carries our signature for this very session (a token of another session is void)."""
    if not cookie:
        return False
    nonce, _, sig = cookie.partition(".")
    return bool(nonce) and hmac.compare_digest(sig, _sign(nonce, session_token))


def csrf_token_valid(cookie: str | None, presented: str | None, session_token: str | None) -> bool:
    """Double-submit check: the form/header token equals the cookie, which is signed for the session."""
    if not cookie or not presented or not hmac.compare_digest(cookie, presented):
        return False
    return csrf_cookie_valid(cookie, session_token)


def put_csrf_cookie(response, token: str) -> None:
    response.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="lax", path="/",
                        secure=get_settings().is_production)


async def _read_form(request: Request) -> None:
    """Read a form body now (Starlette caches it), before any transaction begins: never hold one while a
    client is still sending."""
    if request.method not in SAFE_METHODS and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        await request.form()


async def check_csrf(request: Request) -> None:
    if request.method in SAFE_METHODS:
        return
    presented = request.headers.get(CSRF_HEADER)
    if presented is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        presented = (await request.form()).get(CSRF_FIELD)
    if not csrf_token_valid(request.cookies.get(CSRF_COOKIE), presented, request.cookies.get(SESSION_COOKIE)):
        raise PermissionDenied("auth.csrf", "页面已过期或来源不明，请刷新后重试 / missing or invalid CSRF token")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _caller(request: Request, db: Session) -> User:
    token = _bearer(request)
    if token is not None:
        user = auth.user_for_api_key(db, token)
        if user is None:
            raise Unauthenticated("auth.bad_api_key", "API 密钥无效或已吊销 / invalid or revoked API key")
        return user
    cookie = request.cookies.get(SESSION_COOKIE)
    user = auth.user_for_session(db, cookie) if cookie else None
    if user is None:
        raise Unauthenticated("auth.required", "请先登录 / please log in")
    return user


async def _current_user(request: Request, db: DbSession) -> User:
    # The body first, then the look-up in a worker thread: on SQLite the request's transaction takes the
    # write lock when it begins, and waiting for it must block neither the event loop nor other requests.
    await _read_form(request)
    user = await run_in_threadpool(_caller, request, db)
    if _bearer(request) is None:
        await check_csrf(request)
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(_current_user)]


def _optional_user(request: Request, db: DbSession) -> User | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return auth.user_for_session(db, cookie) if cookie else None


OptionalUser = Annotated[User | None, Depends(_optional_user)]


def require(*roles: Role):
    """Dependency: the caller must hold one of ``roles`` (admins always may)."""

    def check(user: CurrentUser) -> User:
        access.require_role(user, *roles)
        return user

    return Depends(check)
