"""The rule-settings page: every rule with its switch and conditions, every threshold with its default, the
decision thresholds; saving makes a new version (audited), and any earlier version can be restored."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pingan.antifraud.engine.rules import DEFAULT_THRESHOLDS, RULES, THRESHOLD_LABELS
from pingan.antifraud.permissions import Analyst, PoliceReader
from pingan.antifraud.ruleset import service as rules
from pingan.antifraud.screening import service
from pingan.core.errors import ValidationFailed
from pingan.platform.users.models import Role, User
from pingan.web.deps import DbSession

from .common import OptionalStr, page

router = APIRouter()


def _conditions(rule, thresholds: dict) -> list[dict]:
    """Each clause of a rule, naming the threshold it compares with (and that threshold's value)."""
    out = []
    for group, clauses in (("all", rule.all_of), ("any", rule.any_of)):
        for c in clauses:
            named = isinstance(c.value, str)
            out.append({"group": group, "feature": c.feature, "op": c.op,
                        "threshold": c.value if named else None,
                        "label": THRESHOLD_LABELS.get(c.value, c.value) if named else None,
                        "value": thresholds.get(c.value) if named else c.value})
    return out


def _context(db: Session, user: User, *, form: dict | None = None, errors: dict | None = None,
             general: list[str] | None = None, notice: str | None = None) -> dict:
    overview = rules.overview(db)
    thresholds = {t["name"]: t["value"] for t in overview["thresholds"]}
    versions = rules.versions(db)
    enabled = {r["code"]: r["enabled"] for r in overview["rules"]}
    if form is None:
        form = {"thresholds": {k: _number(v) for k, v in thresholds.items()}, "enabled": enabled,
                "warn_threshold": overview["warn_threshold"], "hold_threshold": overview["hold_threshold"],
                "note": ""}
    kind, _, version = (notice or "").partition("-")
    known = kind in ("saved", "restored") and any(v.version == version for v in versions)
    rows = [{"rule": r, "enabled": enabled[r.code], "conditions": _conditions(r, thresholds)} for r in RULES]
    return {
        "overview": overview, "rules": rows, "form": form, "errors": errors or {}, "general_errors": general or [],
        "notice": {"kind": kind, "version": version} if known else None,
        "versions": versions, "authors": service.rule_version_authors(db, versions),
        "changes": {v.id: _changes(v) for v in versions},
        "defaults": {k: _number(v) for k, v in DEFAULT_THRESHOLDS.items()}, "rule_count": len(RULES),
        "can_edit": user.role in (Role.ANALYST, Role.ADMIN),
    }


def _changes(version) -> dict[str, int]:
    """How far a stored version is from the defaults: thresholds changed, rules switched off."""
    changed = sum(1 for name, value in version.thresholds.items()
                  if name in DEFAULT_THRESHOLDS and float(value) != float(DEFAULT_THRESHOLDS[name]))
    return {"thresholds": changed, "off": sum(1 for on in version.enabled.values() if not on)}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@router.get("/rules")
def rules_page(request: Request, db: DbSession, user=PoliceReader, notice: OptionalStr = None):
    return page(request, "antifraud/rules.html", _context(db, user, notice=notice))


@router.post("/rules")
async def save_rules(request: Request, db: DbSession, user=Analyst):
    form = await request.form()
    return await run_in_threadpool(_save, request, db, user, form)


def _save(request: Request, db: Session, user: User, raw: FormData):
    form = {"thresholds": {name: str(raw.get(f"threshold.{name}") or "").strip() for name in DEFAULT_THRESHOLDS},
            "enabled": {r.code: raw.get(f"enabled.{r.code}") == "on" for r in RULES},
            "warn_threshold": str(raw.get("warn_threshold") or "").strip(),
            "hold_threshold": str(raw.get("hold_threshold") or "").strip(),
            "note": str(raw.get("note") or "").strip()[:500]}
    errors: dict[str, str] = {}
    thresholds: dict[str, float] = {}
    for name, text in form["thresholds"].items():
        try:
            value = float(text)
        except ValueError:
            errors[f"threshold.{name}"] = "请输入数字"
            continue
        if not math.isfinite(value) or value < 0:
            errors[f"threshold.{name}"] = "须为不小于 0 的数"
            continue
        thresholds[name] = int(value) if value.is_integer() else value
    decision = {}
    for key in ("warn_threshold", "hold_threshold"):
        try:
            decision[key] = int(form[key])
        except ValueError:
            errors[key] = "请输入 1 至 1000 的整数"
    if len(decision) == 2 and not 0 < decision["warn_threshold"] <= decision["hold_threshold"] <= 1000:
        errors["hold_threshold"] = "须满足 0 < 提醒阈值 ≤ 止付阈值 ≤ 1000"
    if errors:
        return _refused(request, db, user, form, errors,
                        ["有字段填写有误，未保存 / some fields are wrong; nothing saved"])
    try:
        row = rules.save_version(db, thresholds=thresholds, enabled=form["enabled"], note=form["note"] or None,
                                 actor=user, **decision)
    except ValidationFailed as exc:
        general = [exc.message] + [d.message for d in exc.details if d.message]
        if any(d.field == "hold_threshold" for d in exc.details):
            errors["hold_threshold"] = "须满足 0 < 提醒阈值 ≤ 止付阈值 ≤ 1000"
        return _refused(request, db, user, form, errors, general)
    return RedirectResponse(f"/antifraud/rules?notice=saved-{row.version}", status_code=303)


def _refused(request: Request, db: Session, user: User, form: dict, errors: dict, general: list[str]):
    return page(request, "antifraud/rules.html", _context(db, user, form=form, errors=errors, general=general),
                status_code=422)


@router.post("/rules/versions/{version_id}/activate")
def restore_version(version_id: int, db: DbSession, user=Analyst):
    row = rules.activate(db, version_id=version_id, actor=user)
    return RedirectResponse(f"/antifraud/rules?notice=restored-{row.version}", status_code=303)
