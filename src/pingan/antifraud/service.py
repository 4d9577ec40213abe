"""Screening answers as the bank sees them, and screening from the teller's page."""

from __future__ import annotations

import time

from sqlalchemy.orm import Session

from pingan.antifraud.models import Screening
from pingan.antifraud.runtime import Submission, get_runtime
from pingan.antifraud.schemas import ScreeningRequest
from pingan.core.db import session_factory
from pingan.core.errors import NotFound, PermissionDenied
from pingan.platform.auth.models import Role, User


def result_dict(submission: Submission, alert_id: int | None) -> dict:
    """Contract v1 response for a fresh decision; ``elapsed_ms`` is the time from receipt to decision."""
    d, req = submission.decision, submission.pending.request
    return {
        "screening_id": submission.screening_id,
        "request_id": req.request_id,
        "decision": d.decision,
        "score": d.score,
        "reasons": [{"code": r.code, "message": r.message} for r in d.reasons],
        "typology": d.typology,
        "questions": list(d.questions),
        "alert_id": alert_id,
        "model_version": d.model_version,
        "elapsed_ms": round(submission.pending.elapsed_ms, 3),
    }


def answer_of(s: Screening) -> dict:
    """Contract v1 response rebuilt from the stored screening (a repeated request_id gets the first answer)."""
    return {
        "screening_id": s.id,
        "request_id": s.request_id,
        "decision": s.decision.value,
        "score": s.score,
        "reasons": s.reasons,
        "typology": s.typology,
        "questions": s.questions,
        "alert_id": s.alert.id if s.alert else None,
        "model_version": s.model_version,
        "elapsed_ms": s.elapsed_ms,
    }


def stored_result(screening_id: str) -> dict:
    with session_factory()() as db:
        screening = db.get(Screening, screening_id)
        if screening is None:  # written by the writer before the future resolved, so this is a bug
            raise NotFound("screening.not_found", "筛查记录不存在 / screening not found")
        return answer_of(screening)


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
    screening = db.get(Screening, submission.screening_id)
    return screening
