"""The edge of the web app: request bodies limited in size and in time, and the security headers of every answer.

One ASGI middleware, outside the router, so that no route can forget it. The screening fast route
(`pingan.app.PinganApp`) is answered before it and keeps its own, smaller, body limit.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time

import orjson
from starlette.exceptions import HTTPException

from pingan.core.config import Settings
from pingan.web.errors import error_body, http_message

# Assets are the same for everyone and carry no personal data: the browser may cache them.
CACHEABLE_PREFIXES = ("/static/", "/vendor/")
def page_policy(nonce: str) -> str:
    """The Content-Security-Policy of the pages: our own files, and inline code only with this answer's nonce.

    Style attributes stay allowed (``style-src-attr``): a few templates set one, and an attribute can
    neither run script nor load anything that ``default-src`` does not allow.
    """
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
            "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class WebSecurity:
    """Refuses a body over its limit (413) or one sent too slowly (408), and adds the security headers.

    ``upload_paths`` are the routes that take files or bulk rows (the modules' ``UPLOAD_PATHS``, regular
    expressions of whole paths): they get `max_upload_bytes` instead of `max_body_bytes`.
    """

    def __init__(self, app, *, settings: Settings, upload_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self.uploads = re.compile("|".join(f"(?:{path})" for path in upload_paths)) if upload_paths else None
        self.body_limit = settings.max_body_bytes
        self.upload_limit = settings.max_upload_bytes
        self.body_timeout = settings.body_timeout_seconds
        self.hsts = (f"max-age={settings.hsts_seconds}; includeSubDomains".encode()
                     if settings.is_production and settings.hsts_seconds else None)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        path = scope["path"]
        upload = self.uploads is not None and self.uploads.fullmatch(path) is not None
        body = _Body(scope, self.upload_limit if upload else self.body_limit)
        send = self._with_headers(send, path, nonce, body)
        if body.declared is not None and body.declared > body.limit:
            await _refuse(send, 413)
            return
        await self.app(scope, self._limited(receive, body), send)

    def _limited(self, receive, body: _Body):
        """``receive`` that counts the body (a chunked one declares no length) and gives up on a slow one."""
        deadline = time.monotonic() + self.body_timeout

        async def limited_receive():
            if body.done:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                raise HTTPException(408, headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                body.received += len(message.get("body", b""))
                if body.received > body.limit:
                    raise HTTPException(413, headers={"Connection": "close"})
                body.done = not message.get("more_body", False)
            return message

        return limited_receive

    def _with_headers(self, send, path: str, nonce: str, body: _Body):
        policy = page_policy(nonce).encode()
        cacheable = path.startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [(b"content-security-policy", policy), (b"x-frame-options", b"DENY"),
                            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
                if self.hsts is not None:
                    headers.append((b"strict-transport-security", self.hsts))
                if not cacheable and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if body.unread and b"connection" not in names:
                    # Answered without reading the body (a 401, say): the rest of it is not waited for, so a
                    # client cannot keep the connection by sending it slowly.
                    headers.append((b"connection", b"close"))
                message = {**message, "headers": headers}
            await send(message)

        return send_with_headers


class _Body:
    """What a request's body declared and how much of it the app has read."""

    def __init__(self, scope, limit: int) -> None:
        self.limit = limit
        self.declared = _content_length(scope)
        self.chunked = any(name == b"transfer-encoding" for name, _ in scope["headers"])
        self.received = 0
        self.done = False

    @property
    def unread(self) -> bool:
        return not self.done and (self.chunked or bool(self.declared))


def _content_length(scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, status: int) -> None:
    """Answer before the app sees the request (and before its body is read), in the house error shape."""
    body = orjson.dumps(error_body(*http_message(status)))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
