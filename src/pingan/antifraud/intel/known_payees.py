"""The known-payee list: merchant and organisation accounts analysts vouch for (the water company, a school,
a hospital, a landlord's rent account), with the source, the reason and an expiry. A listed account never
triggers the fan-in rules; every other rule and the model still judge transfers to it. Listing and
delisting are audited; the engines of every process follow (at once here, within seconds elsewhere)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pingan.antifraud.engine import changes
from pingan.antifraud.engine.contract import normalize_account_no
from pingan.antifraud.models import IntelStatus, KnownPayee
from pingan.antifraud.vocabulary import Action
from pingan.core import clock
from pingan.core.db import after_commit
from pingan.core.errors import ErrorDetail, ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.users.models import User


@dataclass(frozen=True, slots=True)
class KnownPayeeRow:
    account_no: str
    name: str | None
    source: str
    reason: str
    listed_on: dt.date
    expires_on: dt.date | None = None


def check_row(*, account_no: str, name: str | None, source: str, reason: str, listed_on: dt.date | None,
              expires_on: dt.date | None) -> KnownPayeeRow:
    """Validate one listing; every faulty field is named."""
    errors = []
    try:
        account_no = normalize_account_no(account_no or "")
    except ValueError:
        errors.append(ErrorDetail("account_no", "account_no.format", "账号格式错误，应为6至34位字母或数字 / "
                                  "account number must be 6-34 letters or digits"))
    if not (source or "").strip():
        errors.append(ErrorDetail("source", "required", "须填写来源 / source is required"))
    if not (reason or "").strip():
        errors.append(ErrorDetail("reason", "required", "须说明理由 / a reason is required"))
    listed_on = listed_on or clock.today_local()
    if expires_on is not None and expires_on <= listed_on:
        errors.append(ErrorDetail("expires_on", "known_payee.expiry",
                                  "失效日期须晚于列入日期 / expiry must be after the listing date"))
    if errors:
        raise ValidationFailed("known_payee.invalid", "已知收款方信息有误 / invalid known payee", errors)
    return KnownPayeeRow(account_no, (name or "").strip() or None, source.strip(), reason.strip(), listed_on,
                         expires_on)


def list_payee(db: Session, row: KnownPayeeRow, *, actor: User | None) -> KnownPayee:
    """List an account (or list it again, with the new source, reason and expiry)."""
    now = clock.now()
    entry = db.scalar(select(KnownPayee).where(KnownPayee.account_no == row.account_no))
    values = {"name": row.name, "source": row.source, "reason": row.reason, "listed_on": row.listed_on,
              "expires_on": row.expires_on, "status": IntelStatus.ACTIVE, "removed_reason": None}
    if entry is None:
        entry = KnownPayee(account_no=row.account_no, created_at=now, updated_at=now,
                           created_by_id=actor.id if actor else None, **values)
        db.add(entry)
    else:
        for key, value in values.items():
            setattr(entry, key, value)
        entry.updated_at = now
    db.flush()
    audit.record(db, actor=actor, action=Action.KNOWN_PAYEE_LISTED, entity=entry, note=row.reason,
                 data={"account_no": row.account_no, "name": row.name, "source": row.source,
                       "expires_on": row.expires_on.isoformat() if row.expires_on else None})
    after_commit(db, lambda: changes.publish("known_payees", [entry]))
    return entry


def delist(db: Session, *, entry_id: int, reason: str, actor: User | None) -> KnownPayee:
    entry = db.get(KnownPayee, entry_id)
    if entry is None:
        raise not_found("known_payee", "已知收款方")
    if not reason.strip():
        raise ValidationFailed("known_payee.reason_required", "须说明移除原因 / a reason is required",
                               [ErrorDetail("reason", "required")])
    if entry.status is IntelStatus.REMOVED:
        return entry
    entry.status, entry.removed_reason, entry.updated_at = IntelStatus.REMOVED, reason.strip(), clock.now()
    db.flush()
    audit.record(db, actor=actor, action=Action.KNOWN_PAYEE_DELISTED, entity=entry, note=reason)
    after_commit(db, lambda: changes.publish("known_payees", [entry]))
    return entry


def search(db: Session, *, q: str | None = None, status: str | None = "active", limit: int = 50,
           offset: int = 0) -> tuple[list[KnownPayee], int]:
    stmt = select(KnownPayee)
    if status:
        stmt = stmt.where(KnownPayee.status == IntelStatus(status))
    if q:
        needle = q.strip()
        stmt = stmt.where(or_(KnownPayee.account_no.contains(needle), KnownPayee.name.contains(needle),
                              KnownPayee.source.contains(needle)))
    total = db.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.scalars(stmt.order_by(KnownPayee.updated_at.desc(), KnownPayee.id.desc()).limit(limit).offset(offset))
    return list(rows), total
