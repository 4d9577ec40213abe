"""Jinja2 environment for server-rendered pages: language (Chinese first), CSRF token, local times, masks."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from fastapi import Request
from jinja2 import pass_context
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pingan.core import clock, identity
from pingan.web import nav
from pingan.web.deps import CSRF_COOKIE, new_csrf_token

PACKAGE_DIR = Path(__file__).resolve().parents[1]
LANG_COOKIE = "pingan_lang"
LANGUAGES = ("zh", "en")

templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
env = templates.env
env.filters["localtime"] = clock.format_local
env.filters["mask_id"] = identity.mask_id_number
env.filters["mask_phone"] = identity.mask_phone
env.filters["mask_account"] = identity.mask_account
env.filters["mask_name"] = identity.mask_name
env.globals["nav_items"] = nav.items_for


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
    """The page's CSRF token: reuse the browser's cookie, or mint one the response will set."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if token is None:
        token = request.state.new_csrf = new_csrf_token()
    return token


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200) -> HTMLResponse:
    lang = language(request)
    ctx = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "lang": lang,
        "_": translator(lang),
        "csrf_token": csrf_token(request),
        "now": clock.now(),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    set_csrf_cookie(request, response)
    return response


def set_csrf_cookie(request: Request, response) -> None:
    new = getattr(request.state, "new_csrf", None)
    if new is not None:
        response.set_cookie(CSRF_COOKIE, new, httponly=False, samesite="lax", path="/")

