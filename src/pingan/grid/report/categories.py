"""The report categories' form definitions (data/grid_categories.yaml, Open311-like) and the check of a report's
``fields`` against its category's: required, datatype and list values, each fault named ``fields.<code>``."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from pingan.core.errors import ErrorDetail
from pingan.grid.models import ReportCategory

FILE = Path(__file__).resolve().parents[2] / "data" / "grid_categories.yaml"
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    order: int
    description: str
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Definition:
    category: ReportCategory
    name: str
    description: str
    complex: bool
    attributes: tuple[Attribute, ...]


@functools.cache
def definitions() -> dict[ReportCategory, Definition]:
    raw = yaml.safe_load(FILE.read_text(encoding="utf-8"))["categories"]
    out = {}
    for c in raw:
        attrs = tuple(sorted((Attribute(a["code"], a["datatype"], bool(a.get("required")), int(a.get("order", 0)),
                                        a.get("description", ""),
                                        tuple((str(v["key"]), v["name"]) for v in a.get("values", [])))
                              for a in c.get("attributes", [])), key=lambda a: a.order))
        for a in attrs:
            if a.datatype not in DATATYPES:
                raise ValueError(f"{FILE.name}: {c['code']}.{a.code}: unknown datatype {a.datatype}")
        category = ReportCategory(c["code"])
        out[category] = Definition(category, c["name"], c.get("description", ""), bool(c.get("complex")), attrs)
    return out


def _fault(code: str, reason: str, message: str) -> ErrorDetail:
    return ErrorDetail(f"fields.{code}", reason, message)


def _check(a: Attribute, value: object) -> tuple[object, ErrorDetail | None]:
    keys = {k for k, _ in a.values}
    if a.datatype in ("string", "text"):
        limit = 200 if a.datatype == "string" else 4000
        if not isinstance(value, str) or len(value) > limit:
            return None, _fault(a.code, "field.text", f"须为不超过{limit}字的文字 / text of at most {limit} characters")
        return value.strip(), None
    if a.datatype == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, _fault(a.code, "field.number", "须为数字 / must be a number")
        try:
            number = float(value)
        except ValueError:
            return None, _fault(a.code, "field.number", "须为数字 / must be a number")
        return (int(number) if number.is_integer() else number), None
    if a.datatype == "datetime":
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None, _fault(a.code, "field.datetime", "时间格式不正确 / not a date and time")
        return parsed.isoformat(), None
    if a.datatype == "singlevaluelist":
        if str(value) not in keys:
            return None, _fault(a.code, "not_allowed", "选项无效 / not one of the choices")
        return str(value), None
    items = value if isinstance(value, list) else [value]
    if not items or any(str(v) not in keys for v in items):
        return None, _fault(a.code, "not_allowed", "选项无效 / not one of the choices")
    return sorted({str(v) for v in items}), None


def check_fields(category: ReportCategory, fields: dict) -> tuple[dict, list[ErrorDetail]]:
    """The fields as stored (typed, unknown ones refused) and every fault, in the form's order."""
    definition = definitions()[category]
    known = {a.code for a in definition.attributes}
    errors = [_fault(code, "unknown_field", "该类别没有这一项 / the category has no such field")
              for code in fields if code not in known]
    clean: dict = {}
    for a in definition.attributes:
        value = fields.get(a.code)
        if value is None or value == "" or value == []:
            if a.required:
                errors.append(_fault(a.code, "required", f"请填写{a.description} / required"))
            continue
        typed, fault = _check(a, value)
        if fault is not None:
            errors.append(fault)
        else:
            clean[a.code] = typed
    return clean, errors
