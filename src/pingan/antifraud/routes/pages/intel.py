"""The intel-list page: analysts list fraud-linked accounts, phones, ID numbers and devices one at a time
or by CSV (all rows or none), and delist with a reason; leaders and duty officers search and read."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import BeforeValidator
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from pingan.antifraud.engine.contract import TYPOLOGIES
from pingan.antifraud.intel import service as intel
from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.core import clock
from pingan.core.errors import ValidationFailed
from pingan.platform.users.models import Role, User
from pingan.web.deps import DbSession

from .common import OptionalStr, blank, field_errors, field_message, page, pages_of

router = APIRouter()
PAGE_SIZE = 50
MAX_CSV_BYTES = 5 * 1024 * 1024
ADD_FIELDS = ("kind", "value", "typology", "source", "listed_on", "expires_on")

KindFilter = Annotated[Literal["account", "phone", "id_number", "device"] | None, BeforeValidator(blank)]


def _context(db: Session, user: User, *, kind=None, q=None, status="active", page_no=1, **extra) -> dict:
    entries, total = intel.search(db, kind=kind, q=q, status=None if status == "all" else status,
                                  limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    return {
        "entries": entries, "total": total, "pager": pages_of(total, PAGE_SIZE, page_no),
        "filters": {"kind": kind or "", "q": q or "", "status": status},
        "can_edit": user.role in (Role.ANALYST, Role.ADMIN), "typology_codes": TYPOLOGIES,
        "add": {"data": {"listed_on": clock.today_local().isoformat()}, "errors": {}},
        "csv_errors": None, "notice": None, **extra,
    }


@router.get("/intel")
def intel_page(
    request: Request,
    db: DbSession,
    user=PoliceReader,
    kind: KindFilter = None,
    q: Annotated[str | None, BeforeValidator(blank), Query(max_length=64)] = None,
    status: Literal["active", "removed", "all"] = "active",
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
    notice: OptionalStr = None,
    created: int = 0,
    updated: int = 0,
    unchanged: int = 0,
):
    counts = {"created": created, "updated": updated, "unchanged": unchanged}
    return page(request, "antifraud/intel.html", _context(db, user, kind=kind, q=q, status=status, page_no=page_no,
                                                          notice=notice, counts=counts))


def _listed(counts: dict) -> RedirectResponse:
    return RedirectResponse(f"/antifraud/intel?{urlencode({'notice': 'listed', **counts})}", status_code=303)


@router.post("/intel")
async def add_entry(request: Request, db: DbSession, user=Analyst):
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in ADD_FIELDS}
    return await run_in_threadpool(_add_entry, request, db, user, values)


def _add_entry(request: Request, db: Session, user: User, values: dict):
    try:
        rows = intel.check_rows([{k: v for k, v in values.items() if v}])
    except ValidationFailed as exc:
        errors = field_errors(exc.details, strip_prefix="rows[0].")
        return page(request, "antifraud/intel.html",
                    _context(db, user, add={"data": values, "errors": errors}), status_code=422)
    return _listed(intel.list_entries(db, rows, actor=user))


@router.post("/intel/upload")
async def upload_csv(request: Request, db: DbSession, user=Analyst):
    form = await request.form()
    upload = form.get("file")
    data = await upload.read(MAX_CSV_BYTES + 1) if isinstance(upload, UploadFile) else b""
    return await run_in_threadpool(_upload, request, db, user, data, getattr(upload, "filename", None))


def _decode(data: bytes) -> str:
    # Excel on a Chinese desktop saves CSV as GB18030 unless told otherwise; accept both.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _upload(request: Request, db: Session, user: User, data: bytes, filename: str | None):
    def refuse(message: str, details=()):
        return page(request, "antifraud/intel.html", _context(db, user, csv_errors={
            "message": message, "details": list(details), "filename": filename}), status_code=422)

    if not data:
        return refuse("请选择要导入的 CSV 文件 / choose a CSV file to import")
    if len(data) > MAX_CSV_BYTES:
        return refuse("文件超过 5 MB，请分批导入 / file larger than 5 MB, import it in parts")
    try:
        rows = intel.parse_csv(_decode(data))
    except UnicodeDecodeError:
        return refuse("无法识别文件编码，请另存为 UTF-8 的 CSV / save the file as UTF-8 CSV")
    except ValidationFailed as exc:
        return refuse(exc.message, [{"field": d.field, "message": field_message(d)} for d in exc.details])
    if not rows:
        return refuse("文件中没有数据行 / the file has no data rows")
    return _listed(intel.list_entries(db, rows, actor=user))


@router.post("/intel/{entry_id}/delist")
async def delist(entry_id: int, request: Request, db: DbSession, user=Analyst):
    form = await request.form()
    reason = str(form.get("reason") or "").strip()[:500]
    # An empty reason is refused by intel.delist (422 page); the form's `required` stops it in the browser.
    await run_in_threadpool(intel.delist, db, entry_id=entry_id, reason=reason, actor=user)
    return RedirectResponse("/antifraud/intel?notice=delisted&status=removed", status_code=303)
