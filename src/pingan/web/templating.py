"""Jinja2 environment for server-rendered pages: language (Chinese first), CSRF token, local times, masks."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import yaml
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from pingan.core import clock, identity
from pingan.core.db import session_factory
from pingan.platform.auth import service as auth
from pingan.platform.users.models import User
from pingan.web import nav
from pingan.web.deps import CSRF_COOKIE, SESSION_COOKIE, csrf_cookie_valid, new_csrf_token, put_csrf_cookie

PACKAGE_DIR = Path(__file__).resolve().parents[1]
log = logging.getLogger("pingan.web")
LANG_COOKIE = "pingan_lang"
LANGUAGES = ("zh", "en")

templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
env = templates.env
env.filters["localtime"] = clock.format_local
env.filters["mask_id"] = identity.mask_id_number
env.filters["mask_phone"] = identity.mask_phone
env.filters["mask_account"] = identity.mask_account
env.filters["mask_name"] = identity.mask_name
env.globals["nav_menu"] = nav.menu_for


@functools.cache
def english() -> dict[str, str]:
    """Chinese → English catalogue; every ``*.yaml`` in locales/ is merged (modules add their own)."""
    catalogue: dict[str, str] = {}
    for path in sorted((PACKAGE_DIR / "web" / "locales").glob("*.yaml")):
        catalogue.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return catalogue


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "zh")
    return lang if lang in LANGUAGES else "zh"


def translator(lang: str):
    if lang == "zh":
        return lambda text, **kw: text.format(**kw) if kw else text
    catalogue = english()
    return lambda text, **kw: (catalogue.get(text, text).format(**kw) if kw else catalogue.get(text, text))


@pass_context
def bilingual(context, message: str | None) -> str:
    """The page's half of a ``"中文 / English"`` message (errors carry both); other text is unchanged."""
    if not message:
        return ""
    zh, sep, en = str(message).partition(" / ")
    return en if sep and context.get("lang") == "en" else zh


env.filters["bilingual"] = bilingual


def csrf_token(request: Request) -> str:
    """The page's CSRF token: reuse the browser's cookie if it is bound to its session, or mint one the
    response will set."""
    session_token = request.cookies.get(SESSION_COOKIE)
    cookie = request.cookies.get(CSRF_COOKIE)
    token = cookie if csrf_cookie_valid(cookie, session_token) else getattr(request.state, "new_csrf", None)
    if token is None:
        token = request.state.new_csrf = new_csrf_token(session_token)
    return token


def page_user(request: Request) -> User | None:
    """The signed-in user for the page frame (name, navigation).

    Error pages need care: a 404 for an unknown address never ran the log-in dependency, and after a
    failed request the request's session has been rolled back and closed, leaving its user detached
    and expired. In both cases the user is read afresh, so an error page keeps the navigation.
    """
    user = getattr(request.state, "user", None)
    if user is None:
        token = request.cookies.get(SESSION_COOKIE)
        return _read_user(request, lambda db: auth.user_for_session(db, token)) if token else None
    state = inspect(user)
    if not (state.detached and state.expired_attributes):
        return user
    user_id = state.identity[0]
    return _read_user(request, lambda db: db.get(User, user_id))


def _read_user(request: Request, find) -> User | None:
    try:
        with session_factory()() as db:
            user = find(db)
            if user is not None:
                _ = user.unit, user.branch  # loaded now: the template reads them after the session closes
    except SQLAlchemyError:
        log.warning("could not read the user for the page frame", exc_info=True)
        user = None
    request.state.user = user
    return user


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200) -> HTMLResponse:
    lang = language(request)
    ctx = {
        "request": request,
        "user": page_user(request),
        "lang": lang,
        "_": translator(lang),
        "csrf_token": csrf_token(request),
        # Set by the security middleware (pingan.web.security) for <script nonce="{{ csp_nonce }}">.
        "csp_nonce": request.scope.get("state", {}).get("csp_nonce", ""),
        "now": clock.now(),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    set_csrf_cookie(request, response)
    return response


def set_csrf_cookie(request: Request, response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new is not None:
        put_csrf_cookie(response, new)

