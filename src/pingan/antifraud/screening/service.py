"""Screening answers as the bank sees them, screening from the teller's page, and what the anti-fraud pages
read: scoped lists, and single screenings whose every reading (and every reveal of personal data) is audited."""

from __future__ import annotations

import datetime as dt
import time

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.engine.contract import ScreeningRequest
from pingan.antifraud.models import Decision, Screening
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.screening.runtime.runtime import PendingScreening
from pingan.antifraud.vocabulary import Action
from pingan.core.db import session_factory
from pingan.core.errors import AppError, NotFound, PermissionDenied, not_found
from pingan.platform import access
from pingan.platform.audit import service as audit
from pingan.platform.org.models import BankBranch
from pingan.platform.users.models import Role, User


def result_dict(pending: PendingScreening, alert_id: int | None) -> dict:
    """Contract v1 response for a fresh decision; ``elapsed_ms`` is the time from receipt to decision."""
    d = pending.decision
    return {
        "screening_id": pending.screening_id,
        "request_id": pending.request.request_id,
        "decision": d.decision,
        "score": d.score,
        "risk": d.risk,
        "reasons": [{"code": r.code, "message": r.message} for r in d.reasons],
        "typology": d.typology,
        "questions": list(d.questions),
        "alert_id": alert_id,
        "model_version": d.model_version,
        "elapsed_ms": round(pending.elapsed_ms, 3),
    }


def answer_of(s: Screening) -> dict:
    """Contract v1 response rebuilt from the stored screening (a repeated request_id gets the first answer)."""
    return {
        "screening_id": s.id,
        "request_id": s.request_id,
        "decision": s.decision.value,
        "score": s.score,
        "risk": s.score if s.risk is None else s.risk,
        "reasons": s.reasons,
        "typology": s.typology,
        "questions": s.questions,
        "alert_id": s.alert.id if s.alert else None,
        "model_version": s.model_version,
        "elapsed_ms": s.elapsed_ms,
    }


# How long a repeat waits for a first answer another process claimed (a commit takes milliseconds).
CLAIM_WAIT_SECONDS = 5.0


def stored_result(screening_id: str, *, wait_seconds: float = 0.0) -> dict:
    """The stored answer. A first screening made by another process (a shared state) may still be on its
    way to the database: it is waited for up to ``wait_seconds``, then the bank is told to retry."""
    deadline = time.monotonic() + wait_seconds
    while True:
        with session_factory()() as db:
            screening = db.get(Screening, screening_id)
            if screening is not None:
                return answer_of(screening)
        if time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    if wait_seconds:
        raise FirstAnswerPending("screening.first_pending",
                                 "首次筛查尚未保存，请重试 / the first screening is not stored yet, retry")
    # Written by the writer before the future resolved, so this is a bug.
    raise NotFound("screening.not_found", "筛查记录不存在 / screening not found")


class FirstAnswerPending(AppError):
    status_code = 503


def screening_status(s: Screening) -> dict:
    """The answer plus where the screening stands now (the alert's progress for a hold)."""
    alert = s.alert
    return {
        **answer_of(s),
        "bank_code": s.branch.bank.code,
        "branch_code": s.branch.code,
        "received_at": s.received_at.isoformat(),
        "status": alert.status.value if alert else "decided",
        "outcome": alert.outcome if alert else None,
        # For a hold: what the bank does with the money once the police close the alert ("release" or
        # "cancel"; null while the alert is open), and the alert's progress.
        "instruction": alert.instruction if alert else None,
        "alert": alerts.progress(alert) if alert else None,
    }


def screen_at_counter(db: Session, *, user: User, req: ScreeningRequest) -> Screening:
    """A teller's screening from the counter page: same engine and storage as the API; waits for the write."""
    if user.role is not Role.TELLER and user.role is not Role.ADMIN:
        raise PermissionDenied("auth.role", "仅柜员可在柜面提交筛查 / only tellers screen at the counter")
    started = time.perf_counter()
    caller_bank = user.bank_id if user.role is Role.TELLER else None
    if user.role is Role.TELLER and user.branch is not None and req.branch_code != user.branch.code:
        raise PermissionDenied("antifraud.other_branch", "只能为本网点提交 / you may only screen for your branch")
    submission = get_runtime().submit(req, caller_bank_id=caller_bank, submitted_by_id=user.id, started=started)
    submission.stored.result(timeout=30)
    # The writer committed on a connection of its own; on SQLite this request's transaction may still read
    # the snapshot it began with, so the stored screening is read back (with its alert) in a fresh session.
    with session_factory()() as fresh:
        screening = fresh.scalar(select(Screening).where(Screening.id == submission.screening_id)
                                 .options(joinedload(Screening.branch), selectinload(Screening.alert)))
    if screening is None:
        raise NotFound("screening.not_found", "筛查记录不存在 / screening not found")
    return screening


# ---- pages: scoped lists, reading a screening (audited), revealing personal data (audited) -------------

LIST_COUNT_CAP = 10_000


def person_of(s: Screening) -> dict:
    """Customer and payee as the bank sent them (read from the stored request), for pages to mask or show."""
    req = orjson.loads(s.request)
    customer, payee = req.get("customer") or {}, req.get("payee") or {}
    return {
        "name": customer.get("name"), "id_number": s.customer_id_number, "phone": customer.get("phone"),
        "account_no": customer.get("account_no"), "balance": customer.get("balance"),
        "payee_account": s.payee_account, "payee_name": payee.get("name"), "payee_bank": payee.get("bank_code"),
        "payee_region": payee.get("region_code"), "purpose": req.get("purpose"),
        "signals": req.get("signals") or [], "occurred_at": s.occurred_at,
    }


def visible_branches(db: Session, user: User) -> list[BankBranch]:
    """Bank branches in the user's jurisdiction (their own branch for a teller), for filters and forms."""
    stmt = access.scope(db, select(BankBranch).order_by(BankBranch.code), user, unit_column=BankBranch.station_id,
                        bank_column=BankBranch.bank_id, branch_column=BankBranch.id)
    return list(db.scalars(stmt))


def search_screenings(
    db: Session,
    *,
    user: User,
    decision: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    branch_id: int | None = None,
    min_score: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Screening], int]:
    """Screenings the user may see, newest first, and how many match (counted up to LIST_COUNT_CAP + 1)."""
    stmt = repo.scoped_screenings(db, user)
    if decision:
        stmt = stmt.where(Screening.decision == Decision(decision))
    if since is not None:
        stmt = stmt.where(Screening.received_at >= since)
    if until is not None:
        stmt = stmt.where(Screening.received_at < until)
    if branch_id is not None:
        stmt = stmt.where(Screening.branch_id == branch_id)
    if min_score is not None:
        stmt = stmt.where(Screening.score >= min_score)
    # Counting is capped: a county's year of screenings must not make every page view a full scan.
    total = db.scalar(select(func.count()).select_from(stmt.limit(LIST_COUNT_CAP + 1).subquery()))
    rows = db.scalars(stmt.options(joinedload(Screening.branch), selectinload(Screening.alert))
                      .order_by(Screening.received_at.desc(), Screening.id.desc()).limit(limit).offset(offset))
    return list(rows), total


def recent_screenings(*, user: User, limit: int) -> list[tuple[Screening, dict]]:
    """The newest screenings the user may see, with their people, read in a session of its own.

    Shown right after a counter screening: the writer committed it on another connection, and on SQLite the
    request's own transaction still reads the snapshot it began with.
    """
    with session_factory()() as db:
        rows, _ = search_screenings(db, user=user, limit=limit)
        return [(s, person_of(s)) for s in rows]


def _scoped_screening(db: Session, user: User, screening_id: str) -> Screening:
    screening = db.scalar(repo.scoped_screenings(db, user).where(Screening.id == screening_id))
    if screening is None:
        raise not_found("screening", "筛查记录")
    return screening


def open_screening(db: Session, *, user: User, screening_id: str) -> Screening:
    """A screening for its detail page; 404 outside the user's scope; every reading is audited."""
    screening = _scoped_screening(db, user, screening_id)
    audit.record(db, actor=user, action=Action.SCREENING_VIEWED, entity=screening)
    return screening


def reveal_person(db: Session, *, user: User, screening_id: str) -> tuple[Screening, dict]:
    """The unmasked personal data of a screening, for someone who must contact the customer; audited."""
    screening = _scoped_screening(db, user, screening_id)
    audit.record(db, actor=user, action=Action.SCREENING_REVEALED, entity=screening,
                 data={"fields": ["name", "id_number", "phone", "account_no", "payee_account", "payee_name"]})
    return screening, person_of(screening)


def screening_for_request(db: Session, *, user: User, request_id: str) -> Screening | None:
    """The screening the user's bank already stored under ``request_id`` (a form submitted twice)."""
    return db.scalar(repo.scoped_screenings(db, user).where(Screening.request_id == request_id)
                     .where(Screening.bank_id == user.bank_id))


def rule_version_authors(db: Session, versions: list) -> dict[int, str]:
    """Display names of whoever saved each rule-set version, by user id."""
    ids = {v.created_by_id for v in versions if v.created_by_id is not None}
    if not ids:
        return {}
    return {u.id: u.display_name for u in db.scalars(select(User).where(User.id.in_(ids)))}
