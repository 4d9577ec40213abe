"""Intel lists: fraud-linked accounts, phones, ID numbers and devices shared by every bank.

The database is the record; each process's in-memory engine state follows it — at once in the process
that made the change (after commit), within seconds elsewhere (the ``antifraud.sync`` job).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pingan.antifraud.engine import changes
from pingan.antifraud.engine.contract import TYPOLOGIES
from pingan.antifraud.engine.state import normalize_intel_value
from pingan.antifraud.intel import register
from pingan.antifraud.intel import repository as repo
from pingan.antifraud.models import IntelEntry, IntelKind, IntelStatus, MissedFraud
from pingan.antifraud.vocabulary import Action
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User

CSV_HEADER = ["kind", "value", "typology", "source", "listed_on"]
MAX_REPORTED_ERRORS = 50


@dataclass(frozen=True, slots=True)
class IntelRow:
    kind: str
    value: str
    typology: str | None
    source: str
    listed_on: dt.date
    expires_on: dt.date | None = None


def check_rows(raw_rows: list[dict], *, where: str = "rows") -> list[IntelRow]:
    """Validate every row; refuse all of them, naming each faulty row and field, if any is wrong."""
    rows, errors = [], []
    for i, raw in enumerate(raw_rows):
        place = f"{where}[{i}]" if where == "rows" else f"line {i + 2}"

        def bad(field: str, code: str, message: str, place=place) -> None:
            errors.append(ErrorDetail(f"{place}.{field}", code, message))

        kind = str(raw.get("kind") or "").strip()
        if kind not in IntelKind.__members__.values():
            bad("kind", "intel.kind", "类型应为 account/phone/id_number/device / kind must be account, phone, "
                "id_number or device")
            continue
        try:
            value = normalize_intel_value(kind, str(raw.get("value") or ""))
        except ValueError as exc:
            bad("value", getattr(exc, "code", "intel.value"), f"值无效 / invalid value: {exc}")
            continue
        typology = (str(raw.get("typology") or "").strip()) or None
        if typology is not None and typology not in TYPOLOGIES:
            bad("typology", "intel.typology", f"未知诈骗类型 / unknown typology {typology}")
            continue
        source = str(raw.get("source") or "").strip()
        if not source or len(source) > 100:
            bad("source", "intel.source", "须填写来源（100 字以内）/ source is required (≤ 100 characters)")
            continue
        try:
            listed_on = _date(raw.get("listed_on"))
            expires_on = _date(raw.get("expires_on")) if raw.get("expires_on") else None
        except ValueError:
            bad("listed_on", "intel.date", "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD")
            continue
        if expires_on is not None and expires_on <= listed_on:
            bad("expires_on", "intel.expiry", "失效日期须晚于列入日期 / expiry must be after the listing date")
            continue
        rows.append(IntelRow(kind, value, typology, source, listed_on, expires_on))
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        raise ValidationFailed("intel.invalid",
                               f"{len(errors)} 行有误，未导入任何数据 / {len(errors)} faulty rows, nothing imported",
                               shown)
    return rows


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value or "").strip())


def parse_csv(text: str) -> list[IntelRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != CSV_HEADER:
        raise ValidationFailed("intel.header", f"表头应为 {','.join(CSV_HEADER)} / header must be "
                               f"{','.join(CSV_HEADER)}")
    return check_rows(list(reader), where="csv")


def list_entries(db: Session, rows: list[IntelRow], *, actor: User | None, alert_id: int | None = None,
                 ) -> dict[str, int]:
    """Create or update entries by (kind, value); a removed entry listed again becomes active again."""
    now = clock.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = repo.by_value(db, (r.value for r in rows))
    touched: list[IntelEntry] = []
    for row in rows:
        entry = existing.get((row.kind, row.value))
        values = {"typology": row.typology, "source": row.source, "listed_on": row.listed_on,
                  "expires_on": row.expires_on, "status": IntelStatus.ACTIVE, "removed_reason": None,
                  "removed_at": None}
        if entry is None:
            entry = IntelEntry(kind=IntelKind(row.kind), value=row.value, created_at=now, updated_at=now,
                               alert_id=alert_id, **values)
            db.add(entry)
            existing[(row.kind, row.value)] = entry
            touched.append(entry)
            counts["created"] += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(entry, k, v)
            entry.updated_at = now
            touched.append(entry)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    db.flush()
    register.follow_intel(db, touched, actor=actor)
    audit.record(db, actor=actor, action=Action.INTEL_LISTED, entity_type="antifraud_intel_entry", data=counts)
    after_commit(db, lambda: changes.publish("intel", touched))
    return counts


def record_missed_fraud(db: Session, *, id_number: str, since: dt.datetime, until: dt.datetime, case_ref: str,
                        typology: str | None, actor: User | None) -> list[str]:
    """A victim reported a fraud (cases' fraud report): their screenings allowed in the window are missed
    fraud, each a fraud label for `train --from-outcomes`. Returns the screening ids; again adds nothing."""
    found = repo.allowed_screenings(db, id_number, since=since, until=until)
    now = clock.now()
    for screening in found:
        db.add(MissedFraud(screening_id=screening.id, case_ref=case_ref, typology=typology, reported_at=now))
    if found:
        db.flush()
        audit.record(db, actor=actor, action=Action.FRAUD_MISSED, entity_type="antifraud_screening",
                     data={"case_ref": case_ref, "screenings": [s.id for s in found]})
    return [s.id for s in found]


def delist(db: Session, *, entry_id: int, reason: str, actor: User) -> IntelEntry:
    """Take an entry off the list (e.g. an account locked by mistake); the reason is kept and audited."""
    entry = db.get(IntelEntry, entry_id)
    if entry is None:
        raise not_found("intel_entry", "情报条目")
    if not reason.strip():
        raise ValidationFailed("intel.reason_required", "须说明移除原因 / a reason is required",
                               [ErrorDetail("reason", "required")])
    if entry.status is IntelStatus.REMOVED:
        return entry
    entry.status = IntelStatus.REMOVED
    entry.removed_reason = reason.strip()
    entry.removed_at = entry.updated_at = clock.now()
    register.follow_intel(db, [entry], actor=actor)
    audit.record(db, actor=actor, action=Action.INTEL_DELISTED, entity=entry, note=reason)
    after_commit(db, lambda: changes.publish("intel", [entry]))
    return entry


def search(db: Session, *, kind: str | None = None, q: str | None = None, status: str | None = "active",
           limit: int = 50, offset: int = 0) -> tuple[list[IntelEntry], int]:
    stmt = select(IntelEntry)
    if kind:
        stmt = stmt.where(IntelEntry.kind == IntelKind(kind))
    if status:
        stmt = stmt.where(IntelEntry.status == IntelStatus(status))
    if q:
        stmt = stmt.where(or_(IntelEntry.value.contains(q.strip()), IntelEntry.source.contains(q.strip())))
    total = db.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.scalars(stmt.order_by(IntelEntry.updated_at.desc(), IntelEntry.id.desc()).limit(limit).offset(offset))
    return list(rows), total
