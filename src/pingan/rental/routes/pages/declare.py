"""The public declaration page a unit's code opens (一房一码): no account, phone first, with the optional photo
of the ID card. A revoked or unknown code is 404 and stores nothing; declarations are limited per code and per
client (429), counted in the server's memory with the log-in throttle."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import PayloadTooLarge, TooManyRequests, ValidationFailed, not_found
from pingan.platform.auth.throttle import LoginThrottle
from pingan.rental import id_photos, service
from pingan.rental import repository as repo
from pingan.rental.schemas import DeclarationIn, parse
from pingan.rental.settings import get_rental_settings
from pingan.web.deps import DbSession, check_csrf
from pingan.web.forms import field_errors

from .common import page, values_of

router = APIRouter()
FIELDS = ("name", "id_number", "phone", "moved_in_on")


class DeclarationThrottle:
    """Declarations per code and per client within the window (the log-in throttle's counting, keyed by
    the code alone and by the client address alone)."""

    def __init__(self) -> None:
        s = get_rental_settings()
        window = dt.timedelta(minutes=s.declaration_window_minutes)
        self.codes = LoginThrottle(per_account=s.declarations_per_code, per_address=s.declarations_per_code,
                                   window=window)
        self.clients = LoginThrottle(per_account=s.declarations_per_client,
                                     per_address=s.declarations_per_client, window=window)

    @staticmethod
    def _count(throttle: LoginThrottle, key: str) -> None:
        if throttle.blocked(key, ""):
            raise TooManyRequests("declaration.too_many", "申报过于频繁，请稍后再试 / too many declarations: try later")
        throttle.failed(key, "")

    def client(self, client: str) -> None:
        """Every attempt from the client counts, guessed codes too."""
        self._count(self.clients, client)

    def code(self, token: str) -> None:
        self._count(self.codes, f"code:{token}")


def _throttle(request: Request) -> DeclarationThrottle:
    if not hasattr(request.app.state, "rental_declarations"):  # one per application, made on the event loop
        request.app.state.rental_declarations = DeclarationThrottle()
    return request.app.state.rental_declarations


def _unit(db: Session, token: str):
    unit = repo.unit_by_token(db, token)
    if unit is None:
        raise not_found("code", "房屋码")
    return unit


def _form(request: Request, unit, values: dict, errors: dict, status_code: int = 200):
    return page(request, "rental/declare.html", {"unit": unit, "values": values, "errors": errors,
                                                 "today": clock.today_local(),
                                                 "photo_max_bytes": get_rental_settings().id_photo_max_bytes},
                status_code=status_code)


@router.get("/r/{token}")
def declaration_form(token: str, request: Request, db: DbSession):
    return _form(request, _unit(db, token), {"moved_in_on": clock.today_local().isoformat()}, {})


@router.post("/r/{token}")
async def declare(token: str, request: Request, db: DbSession):
    form = await request.form()
    await check_csrf(request)
    client = request.client.host if request.client else "unknown"
    upload = form.get(id_photos.FIELD)
    # Read one byte past the limit, no more: enough to tell a photo that is too large.
    photo = await upload.read(get_rental_settings().id_photo_max_bytes + 1) if hasattr(upload, "read") else b""
    return await run_in_threadpool(_declare, request, db, token, client, values_of(form, FIELDS), photo)


def _declare(request: Request, db: Session, token: str, client: str, values: dict, photo: bytes):
    throttle = _throttle(request)
    throttle.client(client)
    unit = _unit(db, token)
    throttle.code(token)
    try:
        service.declare_public(db, unit=unit, data=parse(DeclarationIn, {k: v for k, v in values.items() if v}),
                               id_photo=photo or None)
    except (ValidationFailed, PayloadTooLarge) as exc:
        db.rollback()
        return _form(request, _unit(db, token), values, field_errors(exc.details), status_code=exc.status_code)
    return page(request, "rental/declared.html", {"unit": unit})
