"""What every 打击 page shares: the Chinese labels of codes, the page renderer, form values and form errors."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.cases import vocabulary as v
from pingan.cases.permissions import can_write
from pingan.core import clock
from pingan.core.errors import ErrorDetail
from pingan.platform import access
from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.users.models import User
from pingan.web import forms
from pingan.web.templating import render


def _values(labels: dict) -> dict[str, str]:
    return {k.value: label for k, label in labels.items()}


LABELS = {
    "call_category_labels": _values(v.CALL_CATEGORY_LABELS), "disposition_labels": _values(v.DISPOSITION_LABELS),
    "kind_labels": _values(v.KIND_LABELS), "category_labels": _values(v.CATEGORY_LABELS),
    "status_labels": _values(v.STATUS_LABELS), "track_labels": _values(v.TRACK_LABELS),
    "person_kind_labels": _values(v.PERSON_KIND_LABELS), "suspect_status_labels": _values(v.SUSPECT_STATUS_LABELS),
    "danger_labels": _values(v.DANGER_LABELS), "fugitive_status_labels": _values(v.FUGITIVE_STATUS_LABELS),
    "unit_labels": _values(v.UNIT_LABELS), "item_status_labels": _values(v.ITEM_STATUS_LABELS),
    "movement_labels": _values(v.MOVEMENT_LABELS), "disposal_labels": _values(v.DISPOSAL_LABELS),
    "contact_labels": _values(v.CONTACT_LABELS), "payee_status_labels": _values(v.PAYEE_STATUS_LABELS),
    "task_status_labels": _values(v.TASK_STATUS_LABELS), "clock_labels": v.CLOCK_LABELS,
    "event_labels": v.EVENT_LABELS,
}

# The wording of the cases' own field faults (the shared ones are web.forms.MESSAGES).
_MESSAGES = {"datetime_format": "时间格式不正确", "date_format": "日期格式应为 YYYY-MM-DD",
             "greater_than_equal": "不能为负数", "decimal_parsing": "须为数字", "string_pattern_mismatch": "格式不正确"}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = request.state.user
    return render(request, name, {**LABELS, "can_write": can_write(user), "now": clock.now(), **context},
                  status_code=status_code)


def field_errors(details: list[ErrorDetail]) -> dict[str, str]:
    """``{form field: message}``; a fault of the whole form (no field) under ``_``."""
    return {field or "_": message for field, message in forms.field_errors(details, messages=_MESSAGES).items()}


def form_values(form, fields) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip() for k in fields}


def filled(values: dict[str, str]) -> dict[str, str]:
    return {k: val for k, val in values.items() if val}


def local_time(value: str) -> str:
    """A ``datetime-local`` box sends no offset: the officer means Beijing time."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.LOCAL_TZ)).isoformat()


def stations(db: Session, user: User) -> list[OrgUnit]:
    """The stations a form may name: those in the user's jurisdiction (a community officer's own station)."""
    stmt = select(OrgUnit).where(OrgUnit.kind == UnitKind.STATION).order_by(OrgUnit.path)
    found = list(db.scalars(access.scope_units(db, stmt, user, OrgUnit.id)))
    if not found and user.unit is not None and user.unit.parent is not None:
        found = [u for u in (user.unit.parent, user.unit.parent.parent) if u and u.kind is UnitKind.STATION]
    return found


def communities(db: Session, user: User) -> list[OrgUnit]:
    stmt = select(OrgUnit).where(OrgUnit.kind == UnitKind.COMMUNITY).order_by(OrgUnit.path)
    return list(db.scalars(access.scope_units(db, stmt, user, OrgUnit.id)))


def own_station_code(user: User) -> str:
    unit = user.unit
    while unit is not None and unit.kind is not UnitKind.STATION:
        unit = unit.parent
    return unit.code if unit is not None else ""
