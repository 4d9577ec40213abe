"""Standard-address steps: import a CSV file (all or nothing, idempotent by code), edit an address, resolve a
code a module was given, record that a module's record took place at an address (linking repeats)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.errors import Conflict, ErrorDetail, ValidationFailed
from pingan.platform.audit import service as audit
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import repository as repo
from pingan.platform.places.models import Address, Mention
from pingan.platform.places.normalise import clean, level, road_key
from pingan.platform.places.schemas import AddressIn
from pingan.platform.places.settings import get_places_settings
from pingan.platform.places.vocabulary import COLUMN_LABELS, IMPORT_COLUMNS
from pingan.platform.records import Record
from pingan.platform.users.models import User

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_NUMBER = re.compile(r"^\d{1,6}(-\d{1,4})?$")
_ROAD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_MAX_ERRORS = 50


@dataclass
class _Row:
    line: int
    code: str
    grid: OrgUnit
    values: dict


def _import_error(details: list[ErrorDetail]) -> ValidationFailed:
    return ValidationFailed("places.import_invalid",
                            "地址文件有误，未导入任何地址 / the address file has errors; nothing was imported",
                            details[:_MAX_ERRORS])


def _parts(raw: dict[str, str], line: int, errors: list[ErrorDetail]) -> dict | None:
    """The address's stored parts from one CSV row's text, or None with the faults added to ``errors``."""
    before = len(errors)

    def fault(field: str, code: str, message: str) -> None:
        errors.append(ErrorDetail(f"line {line}.{field}", code, f"第{line}行 {COLUMN_LABELS[field]}：{message}"))

    road = clean(raw.get("road", ""))
    if not road or len(road) > 60 or not _ROAD.search(road):
        fault("road", "road.invalid", "须为1至60字的道路或村名 / road or village name of 1-60 characters")
    number = level(raw.get("number", ""))
    if not _NUMBER.match(number):
        fault("number", "number.invalid", "门牌号应为数字，如 32 或 32-1 / house number such as 32 or 32-1")
    parts = {}
    for field, column in (("building", "building"), ("unit", "unit_no"), ("room", "room")):
        value = level(raw.get(field, ""))
        if len(value) > 16:
            fault(field, f"{field}.too_long", "最多16个字符 / at most 16 characters")
        parts[column] = value
    if len(errors) > before:
        return None
    return {"road": road, "road_key": road_key(road), "number": number, **parts}


def read_csv(db: Session, text: str) -> list[_Row]:
    """Parse and check the whole file; ValidationFailed naming every faulty line and field (up to 50)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        raise _import_error([ErrorDetail("line 1", "header.missing",
                                         f"缺少列 / missing columns: {', '.join(missing)}")])
    grids = {u.code: u for u in db.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.GRID))}
    errors: list[ErrorDetail] = []
    rows: list[_Row] = []
    seen_codes: dict[str, int] = {}
    seen_positions: dict[tuple, int] = {}
    for line, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        code = raw.get("code", "")
        if not _CODE.match(code):
            errors.append(ErrorDetail(f"line {line}.code", "code.invalid",
                                      f"第{line}行 地址编码：须为1至40位字母、数字或 - _ . / code of 1-40 letters, "
                                      "digits, - _ ."))
        elif code in seen_codes:
            errors.append(ErrorDetail(f"line {line}.code", "code.duplicate",
                                      f"第{line}行 地址编码：与第{seen_codes[code]}行重复 / repeats line "
                                      f"{seen_codes[code]}"))
        seen_codes.setdefault(code, line)
        grid = grids.get(raw.get("grid", ""))
        if grid is None:
            errors.append(ErrorDetail(f"line {line}.grid", "grid.unknown",
                                      f"第{line}行 网格编码：没有这个网格 / no such grid"))
        values = _parts(raw, line, errors)
        if grid is None or values is None:
            continue
        position = (grid.id, values["road_key"], values["number"], values["building"], values["unit_no"],
                    values["room"])
        if position in seen_positions:
            errors.append(ErrorDetail(f"line {line}.road", "address.duplicate",
                                      f"第{line}行：与第{seen_positions[position]}行是同一地址 / the same address as "
                                      f"line {seen_positions[position]}"))
        seen_positions.setdefault(position, line)
        rows.append(_Row(line, code, grid, values))
    if errors:
        raise _import_error(errors)
    return rows


def import_csv(db: Session, text: str, *, actor: User | None = None) -> dict[str, int]:
    """Create or update addresses by code from CSV text (see docs/register.md); a second run changes nothing."""
    rows = read_csv(db, text)
    existing = repo.by_codes(db, [r.code for r in rows])
    taken = repo.positions(db, {r.grid.id for r in rows})
    errors = []
    for r in rows:
        owner = taken.get((r.grid.id, r.values["road_key"], r.values["number"], r.values["building"],
                           r.values["unit_no"], r.values["room"]))
        if owner is not None and owner != r.code:
            errors.append(ErrorDetail(f"line {r.line}.code", "address.taken",
                                      f"第{r.line}行：该地址已登记为 {owner} / already registered as {owner}"))
    if errors:
        raise _import_error(errors)
    now = clock.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for r in rows:
        address = existing.get(r.code)
        values = {**r.values, "grid_id": r.grid.id}
        if address is None:
            db.add(Address(code=r.code, is_active=True, created_at=now, updated_at=now, **values))
            counts["created"] += 1
        elif _update(address, values):
            address.updated_at = now
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    db.flush()
    if counts["created"] or counts["updated"]:
        audit.record(db, actor=actor, action="places.address.imported", entity_type="places_address", data=counts)
    return counts


def _update(address: Address, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(address, key) != value:
            setattr(address, key, value)
            changed = True
    return changed


def update(db: Session, *, address: Address, data: AddressIn, actor: User) -> Address:
    """Correct an address's parts or retire it; its code (what modules hold) never changes."""
    errors: list[ErrorDetail] = []
    raw = {"road": data.road, "number": data.number, "building": data.building, "unit": data.unit,
           "room": data.room}
    values = _parts(raw, 1, errors)
    if values is None:
        raise ValidationFailed("request.invalid", "请求内容不合法 / invalid request",
                               [ErrorDetail(e.field.removeprefix("line 1."), e.code, e.message) for e in errors])
    owner = repo.positions(db, {address.grid_id}).get((address.grid_id, values["road_key"], values["number"],
                                                       values["building"], values["unit_no"], values["room"]))
    if owner is not None and owner != address.code:
        raise Conflict("address.taken", f"该地址已登记为 {owner} / already registered as {owner}")
    before = address.text
    if _update(address, {**values, "is_active": data.is_active}):
        address.updated_at = clock.now()
        audit.record(db, actor=actor, action="places.address.updated", entity=address, unit_id=address.grid_id,
                     data={"before": before, "after": address.text, "active": address.is_active})
    return address


def resolve(db: Session, code: str, *, field: str = "address_code") -> Address:
    """The active address a module was given by code; 422 on ``field`` when there is none."""
    address = repo.by_code(db, code)
    if address is None or not address.is_active:
        raise ValidationFailed("request.invalid", "请求内容不合法 / invalid request",
                               [ErrorDetail(field, "address.unknown", "没有这个标准地址 / no such standard address")])
    return address


def mentioned(db: Session, *, address: Address, record: Record, unit_id: int | None, at: dt.datetime,
              link: str | None = None) -> Mention:
    """Record that ``record`` took place at ``address`` (in the caller's transaction; again is harmless),
    linked to the latest other record there within the repeat window."""
    record_id = str(record.id)
    existing = repo.mention_of(db, address.id, record.module, record.kind, record_id)
    if existing is not None:
        return existing
    window = dt.timedelta(days=get_places_settings().repeat_window_days)
    earlier = repo.latest_mention(db, address.id, since=at - window,
                                  other_than=(record.module, record.kind, record_id))
    mention = Mention(address_id=address.id, module=record.module, record_kind=record.kind, record_id=record_id,
                      unit_id=unit_id, link=link, at=at, repeat_of_id=earlier.id if earlier else None)
    db.add(mention)
    db.flush()
    return mention
