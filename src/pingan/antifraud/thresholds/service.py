"""Per-bank thresholds as analysts manage them: every change (by hand or calibrated) is a new stored version
for that bank (audited), at most one per bank is active, and any earlier one can be made active again. A
bank without one decides on the rule set's thresholds."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pingan.antifraud.engine import DecisionThresholds, Engine, InMemoryStateStore, RuleSet, changes
from pingan.antifraud.engine.state import KnownPayee as VouchedPayee
from pingan.antifraud.intel import repository as intel_repo
from pingan.antifraud.modeling import registry
from pingan.antifraud.models import BankThresholds
from pingan.antifraud.ruleset import service as ruleset_service
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.thresholds import calibration
from pingan.antifraud.vocabulary import Action
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.org import service as org
from pingan.platform.org.models import Bank
from pingan.platform.users.models import User


def active_by_bank(db: Session) -> dict[int, BankThresholds]:
    rows = db.scalars(select(BankThresholds).where(BankThresholds.is_active.is_(True)))
    return {row.bank_id: row for row in rows}


def bank_codes(db: Session) -> dict[int, str]:
    return dict(db.execute(select(Bank.id, Bank.code)).all())


def engine_thresholds(db: Session) -> dict[str, DecisionThresholds]:
    """Bank code → its active thresholds, as the engine reads them."""
    codes = bank_codes(db)
    return {codes[row.bank_id]: DecisionThresholds(row.warn_threshold, row.hold_threshold)
            for row in active_by_bank(db).values()}


def versions(db: Session, *, bank_id: int | None = None) -> list[BankThresholds]:
    stmt = select(BankThresholds).order_by(BankThresholds.bank_id, BankThresholds.version.desc())
    if bank_id is not None:
        stmt = stmt.where(BankThresholds.bank_id == bank_id)
    return list(db.scalars(stmt))


def _check_rates(hold_rate: float, warn_rate: float) -> None:
    problems = [ErrorDetail(name, "thresholds.rate", "须在 0 与 0.5 之间 / must be between 0 and 0.5")
                for name, value in (("hold_rate", hold_rate), ("warn_rate", warn_rate)) if not 0 < value <= 0.5]
    if problems:
        raise ValidationFailed("thresholds.invalid", "目标比例有误 / invalid target rates", problems)


def save(db: Session, *, bank: Bank, warn: int, hold: int, target_hold_rate: float | None = None,
         target_warn_rate: float | None = None, source: str = "manual", calibration_data: dict | None = None,
         note: str | None = None, actor: User | None) -> BankThresholds:
    """Store a new version of a bank's thresholds and make it the bank's active one (audited)."""
    settings = get_antifraud_settings()
    target_hold_rate = settings.target_hold_rate if target_hold_rate is None else target_hold_rate
    target_warn_rate = settings.target_warn_rate if target_warn_rate is None else target_warn_rate
    _check_rates(target_hold_rate, target_warn_rate)
    try:
        DecisionThresholds(warn, hold)
    except ValueError as exc:
        raise ValidationFailed("thresholds.invalid", "预警/止付阈值有误 / invalid decision thresholds",
                               [ErrorDetail("hold_threshold", "rules.decision_thresholds", str(exc))]) from None
    number = (db.scalar(select(func.max(BankThresholds.version)).where(BankThresholds.bank_id == bank.id)) or 0) + 1
    row = BankThresholds(bank_id=bank.id, version=number, warn_threshold=warn, hold_threshold=hold,
                         target_hold_rate=target_hold_rate, target_warn_rate=target_warn_rate, source=source,
                         calibration=calibration_data, note=note, created_at=clock.now(),
                         created_by_id=actor.id if actor else None)
    db.add(row)
    _make_active(db, row)
    action = Action.THRESHOLDS_CALIBRATED if source == "calibrated" else Action.THRESHOLDS_SAVED
    audit.record(db, actor=actor, action=action, entity=row, note=note,
                 data={"bank": bank.code, "version": number, "warn": warn, "hold": hold,
                       "target_hold_rate": target_hold_rate, "target_warn_rate": target_warn_rate,
                       **({"replay": calibration_data} if calibration_data else {})})
    return row


def activate(db: Session, *, version_id: int, actor: User | None) -> BankThresholds:
    """Make an earlier version of a bank's thresholds active again (undo a calibration)."""
    row = db.get(BankThresholds, version_id)
    if row is None:
        raise not_found("bank_thresholds", "银行阈值版本")
    _make_active(db, row)
    audit.record(db, actor=actor, action=Action.THRESHOLDS_ACTIVATED, entity=row,
                 data={"version": row.version, "warn": row.warn_threshold, "hold": row.hold_threshold})
    return row


def _make_active(db: Session, row: BankThresholds) -> None:
    db.execute(update(BankThresholds).where(BankThresholds.bank_id == row.bank_id,
                                            BankThresholds.is_active.is_(True)).values(is_active=False))
    row.is_active = True
    db.flush()
    after_commit(db, lambda: changes.publish("thresholds"))


def replay_engine(db: Session) -> Engine:
    """An engine as the service would decide now (active model and rule set, intel and known payees) on a
    fresh state, for replaying a bank's traffic."""
    store = InMemoryStateStore()
    for e in intel_repo.active_intel(db):
        store.list_entry(e.kind.value, e.value, typology=e.typology, source=e.source, listed_on=e.listed_on,
                         expires_on=e.expires_on)
    for e in intel_repo.active_known_payees(db):
        store.vouch_payee(VouchedPayee(e.account_no, e.name, e.source, e.reason, e.listed_on, e.expires_on))
    row = ruleset_service.active(db)
    ruleset = RuleSet(version=row.version, thresholds=row.thresholds, enabled=row.enabled) if row else \
        RuleSet(version="default")
    return Engine(store, ruleset=ruleset, model=registry.load_active_model(db))


def calibrate(db: Session, lines: Iterable[bytes], *, hold_rate: float, warn_rate: float,
              bank_code: str | None = None, note: str | None = None,
              actor: User | None) -> tuple[list[BankThresholds], calibration.Replayed]:
    """Replay a week of requests (no labels) and set each bank's thresholds (or only `bank_code`'s) to give
    those rates of holds and warnings; one new active version per bank, audited with the replay's figures."""
    _check_rates(hold_rate, warn_rate)
    if bank_code is not None:
        org.get_bank(db, bank_code)  # an unknown bank is refused before the replay
    engine = replay_engine(db)
    replayed = calibration.replay(engine, lines, bank_code=bank_code)
    found = calibration.calibrate(replayed, hold_rate=hold_rate, warn_rate=warn_rate)
    if not found:
        raise ValidationFailed("thresholds.no_traffic", "文件中没有该银行的有效请求 / no valid requests of the "
                               "bank in the file", [ErrorDetail("input", "thresholds.no_traffic")])
    rows = []
    for c in found:
        data = {"bank": c.bank_code, "screenings": c.screenings, "hold_rate": round(c.hold_rate, 6),
                "warn_rate": round(c.warn_rate, 6),
                "forced_holds": c.forced_holds, "model_version": engine.model.version,
                "ruleset_version": engine.ruleset.version, "bad_lines": len(replayed.bad_lines)}
        rows.append(save(db, bank=org.get_bank(db, c.bank_code), warn=c.warn, hold=c.hold, target_hold_rate=hold_rate,
                         target_warn_rate=warn_rate, source="calibrated", calibration_data=data, note=note,
                         actor=actor))
    return rows, replayed
