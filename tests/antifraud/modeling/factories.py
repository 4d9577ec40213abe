"""Screenings as stored (a hold opens its alert), with a shadow answer, and alerts closed with an outcome:
the data the shadow comparison and the evaluation on outcomes read."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

import orjson
from sqlalchemy import select

from pingan.antifraud.alert import opening as alerts
from pingan.antifraud.models import Alert, AlertStatus, Screening
from pingan.core import clock
from pingan.platform.org.models import BankBranch
from tests.antifraud.engine.factories import ADULT_MAN, body

_ids = itertools.count(1)
SCORES = {"allow": 100, "warn": 400, "hold": 800}


def store_screening(db, *, decision: str, shadow: str | None, challenger: str = "challenger",
                    model: str = "active-model", at: dt.datetime | None = None,
                    amount: str = "30000.00") -> Alert | None:
    """One screening decided `decision`, whose challenger would have said `shadow` (None: no challenger);
    returns the alert a hold opens."""
    branch = db.scalar(select(BankBranch).where(BankBranch.code == "TZB-01"))
    n = next(_ids)
    at = at or clock.now()
    req = body(request_id=f"cmp-{n}", occurred_at=at.isoformat(), amount=amount,
               customer={"id_number": ADULT_MAN}, payee={"account_no": f"62170000{n:08d}"})
    text = orjson.dumps(req).decode()
    row = {"id": f"c{n:08d}{at.timestamp():.0f}", "bank_id": branch.bank_id, "branch_id": branch.id,
           "station_id": branch.station_id, "request_id": req["request_id"],
           "request_hash": hashlib.sha256(text.encode()).hexdigest(), "request": text, "channel": req["channel"],
           "occurred_at": at, "received_at": at, "amount": Decimal(amount), "customer_id_number": ADULT_MAN,
           "payee_account": req["payee"]["account_no"], "decision": decision, "score": SCORES[decision],
           "typology": "brushing_rebate" if decision != "allow" else None, "reasons": [], "questions": [],
           "fired_rules": [], "features": [], "feature_set_version": "t", "model_version": model,
           "model_probability": SCORES[decision] / 1000, "ruleset_version": "default",
           "thresholds": {"warn": 300, "hold": 700}, "elapsed_ms": 1.0, "submitted_by_id": None,
           "shadow": None if shadow is None else {"model_version": challenger, "probability": SCORES[shadow] / 1000,
                                                  "score": SCORES[shadow], "decision": shadow}}
    db.add(Screening(**row))
    db.flush()
    return alerts.open_alert(db, row=row) if decision == "hold" else None


def close(db, alert: Alert, outcome: str, typology: str | None = "brushing_rebate") -> None:
    """Close an alert with an outcome (the state the alert workflow leaves it in)."""
    alert.status, alert.outcome, alert.closed_at = AlertStatus.CLOSED, outcome, clock.now()
    alert.confirmed_typology = typology if outcome in ("fraud_confirmed", "dissuaded", "insisted") else None
    db.flush()
