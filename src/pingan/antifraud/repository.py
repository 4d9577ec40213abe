"""Anti-fraud queries and the batch insert behind the group-commit writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from pingan.antifraud import alerts
from pingan.antifraud.models import IntelEntry, IntelStatus, RuleSetVersion, Screening
from pingan.core.db import insert_rows, json_text
from pingan.platform import access
from pingan.platform.auth.models import User
from pingan.platform.org.models import BankBranch

_JSON_COLUMNS = frozenset(("reasons", "questions", "fired_rules", "features", "thresholds", "shadow"))


def screening_row(p) -> dict:
    """A decided screening as a row of plain values (JSON-able, so it can cross to the store process), its
    JSON columns already encoded (a NaN feature becomes null, which `restore_features` reads back as NaN)."""
    req, d = p.request, p.decision
    return {
        "id": p.screening_id, "bank_id": p.branch.bank_id, "branch_id": p.branch.branch_id,
        "station_id": p.branch.station_id, "request_id": req.request_id, "request_hash": req.request_hash,
        "request": req.request_json, "channel": req.channel, "occurred_at": req.occurred_at,
        "received_at": p.received_at, "amount": req.amount, "customer_id_number": req.customer_id_number,
        "payee_account": req.payee_account, "decision": d.decision, "score": d.score,
        "typology": d.typology, "reasons": json_text([{"code": r.code, "message": r.message} for r in d.reasons]),
        "questions": json_text(d.questions), "fired_rules": json_text(d.fired),
        "features": json_text(d.features), "feature_set_version": d.feature_set_version,
        "model_version": d.model_version, "model_probability": d.model_probability,
        "ruleset_version": d.ruleset_version,
        "thresholds": json_text({"warn": d.thresholds.warn, "hold": d.thresholds.hold}),
        "elapsed_ms": round(p.elapsed_ms, 3), "submitted_by_id": p.submitted_by_id,
        "shadow": None if p.shadow is None else json_text(p.shadow),
    }


def write_screening_rows(db: Session, rows: Sequence[dict]) -> list[int | None]:
    """Insert decided screenings (and open the alert of each hold); returns the alert ids in order."""
    for row in rows:
        for key in ("occurred_at", "received_at"):
            if isinstance(row[key], str):
                row[key] = dt.datetime.fromisoformat(row[key])
        row["amount"] = Decimal(row["amount"])
    insert_rows(db, Screening.__table__, rows, encoded=_JSON_COLUMNS)
    opened = iter(alerts.open_alerts(db, [row for row in rows if row["decision"] == "hold"]))
    return [next(opened).id if row["decision"] == "hold" else None for row in rows]


def requests_since(db: Session, since: dt.datetime) -> Iterator[str]:
    """Stored request bodies received since ``since``, oldest first (to rebuild the engine state)."""
    stmt = (select(Screening.request).where(Screening.received_at >= since)
            .order_by(Screening.received_at, Screening.id).execution_options(yield_per=5000))
    yield from db.scalars(stmt)


def request_ids_since(db: Session, since: dt.datetime):
    stmt = select(Screening.bank_id, Screening.request_id, Screening.request_hash, Screening.id).where(
        Screening.received_at >= since)
    return db.execute(stmt.execution_options(yield_per=5000))


def branches(db: Session) -> list[BankBranch]:
    return list(db.scalars(select(BankBranch).options(joinedload(BankBranch.bank))))


def active_ruleset(db: Session) -> RuleSetVersion | None:
    return db.scalar(select(RuleSetVersion).where(RuleSetVersion.is_active.is_(True)))


def active_intel(db: Session) -> list[IntelEntry]:
    return list(db.scalars(select(IntelEntry).where(IntelEntry.status == IntelStatus.ACTIVE)))


def get_screening(db: Session, screening_id: str) -> Screening | None:
    return db.get(Screening, screening_id)


def scoped_screenings(db: Session, user: User) -> Select:
    return access.scope(db, select(Screening), user, unit_column=Screening.station_id,
                        bank_column=Screening.bank_id, branch_column=Screening.branch_id)
