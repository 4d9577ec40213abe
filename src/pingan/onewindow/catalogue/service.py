"""The service catalogue as a data file an operator edits: parsed whole (a fault names its line and field,
and nothing is loaded), then applied by code, so loading the same file twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core.schemas import StrictModel
from pingan.onewindow.models import Bureau, CatalogueItem, Department, LimitKind
from pingan.onewindow.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message names the line and the field."""


class _ItemIn(StrictModel):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")
    name: str = Field(min_length=1, max_length=100)
    department: Department
    materials: list[str] = Field(default_factory=list)
    fee: float = Field(ge=0, le=100_000)
    limit_days: int = Field(ge=1, le=365)
    limit_kind: LimitKind
    on_the_spot: bool = False
    spot_stations: list[str] = Field(default_factory=list)
    online: bool = False
    windows: list[str] = Field(min_length=1)
    ticket_prefix: str = Field(default="A", pattern=r"^[A-Z]$")
    # A partner bureau's item: the code of one of the file's bureaus.
    bureau: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{1,15}$")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def parse(text: str) -> list[dict]:
    """The items of a catalogue file as table rows; CatalogueError (line, field) on the first fault."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CatalogueError("line 1: the file needs a mapping with 'materials' and 'items'")
    materials = data.get("materials") or {}
    if not isinstance(materials, dict):
        raise CatalogueError("line 1: materials: a mapping of code → name")
    bureaus = data.get("bureaus") or {}
    if not isinstance(bureaus, dict) or not all(isinstance(v, str) and v for v in bureaus.values()):
        raise CatalogueError("line 1: bureaus: a mapping of code → name")
    item_nodes = next(v for k, v in root.value if k.value == "items").value
    rows, seen = [], set()
    for i, (raw, node) in enumerate(zip(data["items"], item_nodes, strict=True)):
        try:
            item = _ItemIn.model_validate(raw)
        except ValidationError as exc:
            fault = exc.errors()[0]
            field = ".".join(str(p) for p in fault["loc"])
            field_node = next((v for k, v in getattr(node, "value", []) if isinstance(k, yaml.Node)
                               and k.value == str(fault["loc"][0])), node) if fault["loc"] else node
            raise CatalogueError(f"line {_line(field_node)}: items[{i}].{field}: {fault['msg']}") from None
        if item.code in seen:
            raise CatalogueError(f"line {_line(node)}: items[{i}].code: {item.code} appears twice")
        seen.add(item.code)
        unknown = [m for m in item.materials if m not in materials]
        if unknown:
            raise CatalogueError(f"line {_line(node)}: items[{i}].materials: unknown material {unknown[0]}")
        if item.bureau is not None and item.bureau not in bureaus:
            raise CatalogueError(f"line {_line(node)}: items[{i}].bureau: unknown bureau {item.bureau}")
        rows.append({"code": item.code, "name": item.name, "department": item.department,
                     "materials": [{"code": m, "name": materials[m]} for m in item.materials],
                     "fee_fen": round(item.fee * 100), "limit_days": item.limit_days,
                     "limit_kind": item.limit_kind, "on_the_spot": item.on_the_spot,
                     "spot_stations": item.spot_stations, "online": item.online, "windows": item.windows,
                     "ticket_prefix": item.ticket_prefix, "bureau": item.bureau})
    return rows


def parse_bureaus(text: str) -> dict[str, str]:
    """The partner bureaus of a catalogue file (code → name); the file is checked whole by ``parse``."""
    return dict((yaml.safe_load(text) or {}).get("bureaus") or {})


def apply_bureaus(db: Session, bureaus: dict[str, str]) -> None:
    """Create or rename each bureau by code."""
    existing = {b.code: b for b in db.scalars(select(Bureau))}
    for code, name in bureaus.items():
        if code not in existing:
            db.add(Bureau(code=code, name=name))
        elif existing[code].name != name:
            existing[code].name = name
    db.flush()


def apply(db: Session, rows: list[dict], *, actor: User | None = None, source: str = "") -> LoadResult:
    """Create or update each item by code (flushes; the caller commits)."""
    existing = {c.code: c for c in db.scalars(select(CatalogueItem))}
    created = updated = unchanged = 0
    for row in rows:
        item = existing.get(row["code"])
        if item is None:
            db.add(CatalogueItem(**row))
            created += 1
        elif any(getattr(item, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(item, k, v)
            updated += 1
        else:
            unchanged += 1
    db.flush()
    if created or updated:
        audit.record(db, actor=actor, action=Action.CATALOGUE_LOADED, entity_type="onewindow_catalogue_item",
                     note=source or None, data={"created": created, "updated": updated})
    return LoadResult(created, updated, unchanged)


def load_file(db: Session, path: Path, *, actor: User | None = None) -> LoadResult:
    text = Path(path).read_text(encoding="utf-8")
    rows = parse(text)
    apply_bureaus(db, parse_bureaus(text))
    return apply(db, rows, actor=actor, source=str(path))
