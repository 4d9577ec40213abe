"""The one place errors become HTTP: JSON for the API, a page (or a redirect to log-in) for people."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from pingan.core import schemas
from pingan.core.errors import AppError, Unauthenticated
from pingan.web.templating import render

log = logging.getLogger("pingan.web")

_HTTP_MESSAGES = {
    400: ("http.bad_request", "请求有误 / bad request"),
    401: ("auth.required", "请先登录 / please log in"),
    403: ("auth.forbidden", "无权访问 / forbidden"),
    404: ("http.not_found", "页面或记录不存在 / not found"),
    405: ("http.method_not_allowed", "不支持该方法 / method not allowed"),
    408: ("http.timeout", "请求发送超时 / request not received in time"),
    413: ("http.too_large", "请求过大 / request too large"),
    415: ("http.unsupported_media_type", "不支持的内容类型 / unsupported media type"),
}

_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def http_message(status: int) -> tuple[str, str]:
    """The house code and message of a bare HTTP status."""
    return _HTTP_MESSAGES.get(status, ("http.error", "请求失败 / request failed"))


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.headers.get("hx-request"):
        return not request.headers.get("hx-request")
    return "text/html" not in request.headers.get("accept", "")


def error_body(code: str, message: str, details: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def render_error(request: Request, status: int, code: str, message: str, details=None,
                 headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    response = render(request, "error.html", {"status": status, "code": code, "message": message,
                                              "details": details or []}, status_code=status)
    response.headers.update(headers or {})
    return response


def allowed_methods(request: Request) -> str:
    """Every method some route answers at this path (Starlette names only those of the first route it met)."""
    routes = request.app.router.routes
    allowed = [method for method in _METHODS
               if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)]
    return ", ".join(allowed)


def install(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError):
        status = exc.status_code
        if isinstance(exc, Unauthenticated) and request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return render_error(request, status, exc.code, exc.message, [d.as_dict() for d in exc.details])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return await app_error(request, schemas.invalid_request(schemas.error_details(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code, message = http_message(exc.status_code)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        return render_error(request, exc.status_code, code, message, headers=headers or None)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def impossible_value(request: Request, exc: Exception):
        # A number no column can hold (an id of 30 digits, say) names no record; the database refuses
        # it before any query runs, so it is answered as a missing record rather than a fault.
        return render_error(request, 404, "http.not_found", _HTTP_MESSAGES[404][1])

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return render_error(request, 500, "server.error", "系统内部错误，请联系管理员 / internal error")
