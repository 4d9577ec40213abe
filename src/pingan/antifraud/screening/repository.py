"""Anti-fraud queries and the batch insert behind the group-commit writer."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from pingan.antifraud.models import Alert, Screening
from pingan.core.db import copy_rows, insert_rows, json_text
from pingan.platform import access
from pingan.platform.org.models import BankBranch
from pingan.platform.users.models import User

_JSON_COLUMNS = frozenset(("reasons", "questions", "fired_rules", "features", "thresholds", "shadow"))


SCREENING_COLUMNS = (
    "id", "bank_id", "branch_id", "station_id", "request_id", "request_hash", "request", "channel", "occurred_at",
    "received_at", "amount", "customer_id_number", "payee_account", "decision", "score", "risk", "typology",
    "reasons",
    "questions", "fired_rules", "features", "feature_set_version", "model_version", "model_probability",
    "ruleset_version", "thresholds", "elapsed_ms", "submitted_by_id", "shadow",
)


def screening_values(p) -> tuple:
    """A decided screening as plain values in `SCREENING_COLUMNS` order: cheap to make in the screening
    process and to `marshal` to the store process, which turns them into a row (`screening_row`)."""
    req, d, branch = p.request, p.decision, p.branch
    return (
        p.screening_id, branch.bank_id, branch.branch_id, branch.station_id, req.request_id, req.request_hash,
        req.request_json, req.channel, req.occurred_at, p.received_at.isoformat(), req.amount,
        req.customer_id_number, req.payee_account, d.decision, d.score, d.risk, d.typology,
        tuple((r.code, r.message) for r in d.reasons), d.questions, d.fired, d.features, d.feature_set_version,
        d.model_version, d.model_probability, d.ruleset_version, (d.thresholds.warn, d.thresholds.hold),
        round(p.elapsed_ms, 3), p.submitted_by_id, p.shadow,
    )  # fmt: skip


def screening_row(values: tuple) -> dict:
    """The row to insert for `screening_values`, its JSON columns encoded (a NaN feature becomes null, which
    `restore_features` reads back as NaN)."""
    row = dict(zip(SCREENING_COLUMNS, values, strict=True))
    row["occurred_at"] = dt.datetime.fromisoformat(row["occurred_at"])
    row["received_at"] = _received_at(row["received_at"])
    row["amount"] = Decimal(row["amount"])
    row["reasons"] = _reasons_json(row["reasons"])
    row["thresholds"] = _thresholds_json(row["thresholds"])
    row["questions"] = _list_json(row["questions"])
    row["fired_rules"] = _list_json(row["fired_rules"])
    row["features"] = json_text(row["features"])
    if row["shadow"] is not None:
        row["shadow"] = json_text(row["shadow"])
    return row


# The columns below take few distinct values (a batch's screenings are received together; most fire no
# rule and ask no question): each is parsed or encoded once, not once per screening. The returned datetime
# is shared, which is safe as datetimes are immutable.
@functools.lru_cache(maxsize=256)
def _received_at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@functools.lru_cache(maxsize=1024)
def _reasons_json(reasons: tuple[tuple[str, str], ...]) -> str:
    return json_text([{"code": code, "message": message} for code, message in reasons])


@functools.lru_cache(maxsize=64)
def _thresholds_json(thresholds: tuple[int, int]) -> str:
    warn, hold = thresholds
    return json_text({"warn": warn, "hold": hold})


@functools.lru_cache(maxsize=1024)
def _list_json(items: tuple[str, ...]) -> str:
    return json_text(items)


def insert_screening_rows(db: Session, rows: Sequence[dict]) -> None:
    """Insert decided screenings (rows as `screening_row` gives them) with one statement: COPY on
    PostgreSQL (several times faster there than a multi-row INSERT), a multi-row INSERT elsewhere."""
    if db.get_bind().dialect.name == "postgresql":
        copy_rows(db, Screening.__table__, rows, encoded=_JSON_COLUMNS)
    else:
        insert_rows(db, Screening.__table__, rows, encoded=_JSON_COLUMNS)


def stored_screening(db: Session, screening_id: str) -> tuple[str, int | None] | None:
    """A stored screening's id and its alert's id (None if it has none); None if no such screening."""
    return db.execute(select(Screening.id, Alert.id).outerjoin(Alert, Alert.screening_id == Screening.id)
                      .where(Screening.id == screening_id)).first()


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


def get_screening(db: Session, screening_id: str) -> Screening | None:
    return db.get(Screening, screening_id)


def scoped_screenings(db: Session, user: User) -> Select:
    return access.scope(db, select(Screening), user, unit_column=Screening.station_id,
                        bank_column=Screening.bank_id, branch_column=Screening.branch_id)
