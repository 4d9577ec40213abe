"""Rule thresholds as analysts manage them: every change is a new stored version (audited), exactly one
version is active, and any earlier version can be made active again."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pingan.antifraud.engine import DecisionThresholds, RuleSet, RuleSetError, changes
from pingan.antifraud.engine.rules import DEFAULT_THRESHOLDS, RULES, THRESHOLD_LABELS
from pingan.antifraud.models import RuleSetVersion
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.vocabulary import Action
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User


def active(db: Session) -> RuleSetVersion | None:
    return db.scalar(select(RuleSetVersion).where(RuleSetVersion.is_active.is_(True)))


def versions(db: Session) -> list[RuleSetVersion]:
    return list(db.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id.desc())))


def overview(db: Session) -> dict:
    """The rules with their current thresholds and switches, for the analysts' page and API."""
    row = active(db)
    settings = get_antifraud_settings()
    ruleset = RuleSet(version=row.version, thresholds=row.thresholds, enabled=row.enabled) if row else \
        RuleSet(version="default")
    return {
        "version": ruleset.version,
        "warn_threshold": row.warn_threshold if row else settings.warn_threshold,
        "hold_threshold": row.hold_threshold if row else settings.hold_threshold,
        "thresholds": [{"name": name, "label": THRESHOLD_LABELS.get(name, name), "value": ruleset.thresholds[name],
                        "default": DEFAULT_THRESHOLDS[name]} for name in DEFAULT_THRESHOLDS],
        "rules": [{"code": r.code, "message": r.message, "weight": r.weight, "forces_hold": r.forces_hold,
                   "enabled": ruleset.enabled[r.code], "conditions": [str(c) for c in (*r.all_of, *r.any_of)]}
                  for r in RULES],
    }


def save_version(db: Session, *, thresholds: dict, enabled: dict, warn_threshold: int, hold_threshold: int,
                 note: str | None, actor: User) -> RuleSetVersion:
    """Validate and store a new version of the rule settings, and make it the active one."""
    number = (db.scalar(select(func.count()).select_from(RuleSetVersion)) or 0) + 1
    version = f"r{number}"
    try:
        RuleSet(version=version, thresholds=thresholds, enabled=enabled)
        DecisionThresholds(warn_threshold, hold_threshold)
    except RuleSetError as exc:
        raise ValidationFailed("rules.invalid", "规则设置有误 / invalid rule settings",
                               [ErrorDetail("thresholds", "rules.invalid", p) for p in exc.problems]) from None
    except ValueError as exc:
        raise ValidationFailed("rules.invalid", "预警/止付阈值有误 / invalid decision thresholds",
                               [ErrorDetail("hold_threshold", "rules.decision_thresholds", str(exc))]) from None
    row = RuleSetVersion(version=version, thresholds=dict(thresholds), enabled=dict(enabled),
                         warn_threshold=warn_threshold, hold_threshold=hold_threshold, note=note,
                         created_at=clock.now(), created_by_id=actor.id)
    db.add(row)
    _make_active(db, row)
    audit.record(db, actor=actor, action=Action.RULESET_SAVED, entity=row, note=note,
                 data={"thresholds": thresholds, "enabled": enabled, "warn": warn_threshold, "hold": hold_threshold})
    return row


def activate(db: Session, *, version_id: int, actor: User) -> RuleSetVersion:
    """Make an earlier version active again (undo a change)."""
    row = db.get(RuleSetVersion, version_id)
    if row is None:
        raise not_found("ruleset", "规则版本")
    _make_active(db, row)
    audit.record(db, actor=actor, action=Action.RULESET_ACTIVATED, entity=row)
    return row


def _make_active(db: Session, row: RuleSetVersion) -> None:
    db.execute(update(RuleSetVersion).where(RuleSetVersion.is_active.is_(True)).values(is_active=False))
    row.is_active = True
    db.flush()
    after_commit(db, lambda: changes.publish("ruleset", row))
