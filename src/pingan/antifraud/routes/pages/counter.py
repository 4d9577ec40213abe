"""The teller's counter page: enter a remittance with what the teller observes, see the decision at once.

The form is validated by the screening contract itself (`parse_screening_request`) and screened by the
same runtime as the bank API. Its request_id is minted when the form is shown, so a form sent twice is
one screening, never two alerts.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pingan.antifraud.engine.contract import SIGNALS, error_details, parse_screening_request
from pingan.antifraud.permissions import Teller
from pingan.antifraud.screening import service
from pingan.core import clock
from pingan.core.errors import AppError, Conflict
from pingan.platform.users.models import Role, User
from pingan.web.deps import DbSession

from .alerts import ALERT_LABELS
from .common import field_message, is_htmx, page

router = APIRouter()

BEIJING = dt.timezone(dt.timedelta(hours=8))
RECENT = 12
# Form field → where it goes in the request; the names are the contract's own field paths.
FIELDS = ("customer.name", "customer.id_number", "customer.phone", "customer.account_no", "customer.balance",
          "amount", "purpose", "payee.account_no", "payee.name", "payee.bank_code", "payee.region_code")
_MONEY = ("amount", "customer.balance")
_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


def _new_request_id() -> str:
    return uuid.uuid4().hex


def _blank_form() -> dict:
    return {"request_id": _new_request_id(), "data": {}, "signals": [], "branch_code": ""}


def _branch_for(db: Session, user: User, code: str | None):
    """A teller's own branch; an administrator picks one (for demonstrations and support)."""
    if user.role is Role.TELLER:
        return user.branch
    return next((b for b in service.visible_branches(db, user) if b.code == code), None)


def _context(db: Session, user: User, *, form: dict, errors: dict | None = None, general: list[str] | None = None,
             screening=None, notice: str | None = None) -> dict:
    branches = service.visible_branches(db, user) if user.role is not Role.TELLER else []
    return {
        "form": form, "errors": errors or {}, "general_errors": general or [], "screening": screening,
        "person": service.person_of(screening) if screening is not None else None, "notice": notice,
        "branch": user.branch if user.role is Role.TELLER else None, "branches": branches,
        "recent": service.recent_screenings(user=user, limit=RECENT),
        "fields_order": FIELDS, "signal_codes": list(SIGNALS), **ALERT_LABELS,
    }


@router.get("/counter")
def counter_page(request: Request, db: DbSession, user=Teller):
    return page(request, "antifraud/counter.html", _context(db, user, form=_blank_form()))


@router.post("/counter")
async def counter_submit(request: Request, db: DbSession, user=Teller):
    form = await request.form()  # already read (and cached) by the CSRF check
    return await run_in_threadpool(_submit, request, db, user, form)


def _submit(request: Request, db: Session, user: User, raw: FormData):
    values = {name: str(raw.get(name) or "").strip() for name in FIELDS}
    signals = [str(s) for s in raw.getlist("signals")]
    request_id = str(raw.get("request_id") or "")
    form = {"request_id": request_id if _REQUEST_ID.match(request_id) else _new_request_id(), "data": values,
            "signals": signals, "branch_code": str(raw.get("branch_code") or "")}
    branch = _branch_for(db, user, form["branch_code"])
    if branch is None:
        general = ["请选择办理网点"] if user.role is not Role.TELLER else ["您的账号未关联银行网点，请联系管理员"]
        return _respond(request, db, user, form=form, general=general, status=422)
    try:
        req = parse_screening_request(_request_body(form, branch))
    except ValidationError as exc:
        errors, general = _split_errors(error_details(exc))
        return _respond(request, db, user, form=form, errors=errors, general=general, status=422)
    # The screening waits for the store to commit it: on SQLite this request's transaction holds the write
    # lock (it began with BEGIN IMMEDIATE), so it ends here, before the wait.
    db.commit()
    try:
        screening = service.screen_at_counter(db, user=user, req=req)
    except Conflict:
        # The same form sent again after a change (back button): show what was decided the first time.
        screening = service.screening_for_request(db, user=user, request_id=req.request_id)
        if screening is None:
            raise
        return _respond(request, db, user, form=_blank_form(), screening=screening,
                        notice="此表单已提交过，以下为首次筛查的结果；如需办理新的业务，请重新填写。")
    except AppError as exc:
        return _respond(request, db, user, form=form, general=[exc.message], status=exc.status_code)
    return _respond(request, db, user, form=_blank_form(), screening=screening)


def _split_errors(details) -> tuple[dict[str, str], list[str]]:
    """Errors beside the boxes they concern; anything else (a time, a branch) above the form."""
    errors: dict[str, str] = {}
    general: list[str] = []
    for d in details:
        field = "signals" if d.field.startswith("signals") else d.field
        if field in FIELDS or field == "signals":
            errors.setdefault(field, field_message(d))
        else:
            general.append(f"{d.field}: {field_message(d)}")
    return errors, general


def _request_body(form: dict, branch) -> dict:
    body: dict = {
        "request_id": form["request_id"], "bank_code": branch.bank.code, "branch_code": branch.code,
        "channel": "counter", "occurred_at": clock.now().astimezone(BEIJING).isoformat(timespec="seconds"),
        "customer": {}, "payee": {}, "signals": form["signals"],
    }
    for name, value in form["data"].items():
        if not value:
            continue  # an empty optional box is an absent field; an empty required one reads "此项必填"
        if name in _MONEY:
            value = value.replace(",", "").replace("，", "").replace("¥", "").strip()
        if name == "customer.id_number":
            value = value.upper()
        head, _, tail = name.partition(".")
        if tail:
            body[head][tail] = value
        else:
            body[head] = value
    return body


def _respond(request: Request, db: Session, user: User, *, status: int = 200, **kwargs):
    context = _context(db, user, **kwargs)
    if is_htmx(request):
        # htmx swaps only 2xx answers, so a refused form comes back as 200 with its errors in place.
        return page(request, "antifraud/_counter_swap.html", context)
    return page(request, "antifraud/counter.html", context, status_code=status)
