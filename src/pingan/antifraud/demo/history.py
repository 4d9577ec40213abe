"""The demo's two years of 警银通 work before its simulated month: last year's and this year's remittances
screened, holds raised and carried to an outcome, so that holds, dissuasions, money protected and response
times have a last year to compare with (more holds and more dissuasions this year, as the branch reports).

Tens of thousands of screenings through the runtime would slow the demo down, so they are written in bulk
— the rows the screening store and the alert steps write — as time-shifted copies of the month's own records,
which went through the module's code: each screening is a copy of one of the month's screenings under its
own id, request id and times (its canonical request and hash rewritten to match); each hold a copy of one
of the month's held screenings with its alert (one per hold), its steps, its audit trail and its clocks,
shifted by the same amount (not their announcements: nobody is told of an alert closed a year ago). The
customers of warned and held screenings join the register as the store has them join it. Holds the month
confirmed as fraud are not copied: a confirmed fraud lists intel and opens a fraud case, whose history is the
cases module's; a dissuaded customer's protection (days) has long run out. Last year's screenings are fewer
than the month's pace would make them, so that the demo stays quick to load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
from collections.abc import Callable

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.antifraud.alert.opening import OWNER_TYPE
from pingan.antifraud.intel import register
from pingan.antifraud.models import Alert, AlertOutcome, AlertStatus, AlertStep, Decision, Screening
from pingan.core import clock
from pingan.core.db import insert_rows
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines.models import DeadlineClock
from pingan.platform.demo.history import Season, insert_with_ids, last_and_this_year
from pingan.platform.people import service as people

# (what is being done, done so far, out of) — the CLI draws it as a progress bar.
Progress = Callable[[str, int, int], None]

PREFIX = "demo-history-"
TEMPLATES = "demo-sim"  # the simulated month's request ids
SEED = 20262
# Last year's count and this year's change to date against the same dates last year.
SCREENED = (30_000, 0.05)  # allowed and warned remittances (fewer than the month's pace: the demo stays quick)
HOLDS = (560, 0.22)
# The share of holds the police talked out of paying: last year, this year.
DISSUADED = (0.22, 0.32)
# Remittances move before the festival (gifts, bonuses home) and pause in its week.
SEASON = Season(before=1.4, holiday=0.6)
_DATETIMES = ("created_at", "hold_expires_at", "acknowledged_at", "dispatched_at", "arrived_at", "closed_at")


def _silent(_what: str, _done: int, _total: int) -> None:
    pass


def load_history(db: Session, *, progress: Progress = _silent) -> int:
    """Write the history before the month's first screening (idempotent); returns the screenings written."""
    if db.scalar(select(Screening.id).where(Screening.request_id.startswith(PREFIX)).limit(1)) is not None:
        return 0
    month = [dict(row) for row in db.execute(select(Screening.__table__).where(
        Screening.request_id.startswith(TEMPLATES)).order_by(Screening.received_at)).mappings()]
    if not month:
        return 0
    begins = month[0]["received_at"]
    held = _held_templates(db, {row["id"]: row for row in month})
    today = clock.today_local()
    rng = random.Random(SEED)
    until = clock.local(begins).date()
    plain = [row for row in month if row["decision"] is not Decision.HOLD]
    already = sum(1 for row in plain if clock.local(row["received_at"]).year == today.year)
    last, this = last_and_this_year(rng, *SCREENED, season=SEASON, hours=(0, 24), until=until, already=already)
    ids = _Ids()
    screenings = [_copy(row, at, ids) for row, at in zip((rng.choice(plain) for _ in last + this), last + this,
                                                        strict=True)]
    label = "history / 历史数据"
    progress(label, 0, 2)
    holds = _holds(db, rng, held, ids, today, until, screenings)
    insert_rows(db, Screening.__table__, screenings)
    acted = [row for row in screenings if row["decision"] is not Decision.ALLOW]
    people.seen_many(db, register.customers(acted), listed=set())
    progress(label, 1, 2)
    _write_alerts(db, holds)
    progress(label, 2, 2)
    return len(screenings)


def _held_templates(db: Session, month: dict[str, dict]) -> dict[bool, list[tuple[dict, dict]]]:
    """dissuaded? → the month's closed holds (screening row, alert row) to copy; no confirmed frauds."""
    alerts = db.execute(select(Alert.__table__).where(
        Alert.screening_id.in_(list(month)), Alert.status == AlertStatus.CLOSED,
        Alert.outcome != AlertOutcome.FRAUD_CONFIRMED)).mappings()
    out: dict[bool, list[tuple[dict, dict]]] = {True: [], False: []}
    for alert in alerts:
        out[alert["outcome"] is AlertOutcome.DISSUADED].append((month[alert["screening_id"]], dict(alert)))
    return out


class _Ids:
    """Screening ids in the runtime's form (milliseconds first, so they sort like the screenings they name)
    under a prefix of their own, and request ids in the demo's."""

    def __init__(self) -> None:
        self.count = itertools.count()

    def next(self, at: dt.datetime) -> tuple[str, str]:
        n = next(self.count)
        return f"{int(at.timestamp() * 1000):012x}d0d0d0{n % 0x1000000:06x}", f"{PREFIX}{n:08d}"


def _copy(row: dict, at: dt.datetime, ids: _Ids) -> dict:
    """The screening ``row`` as if received at ``at``: its request rewritten (request id, occurred at) and hashed
    as the runtime hashes the canonical request."""
    at = at.astimezone(dt.UTC)
    sid, request_id = ids.next(at)
    occurred = at - (row["received_at"] - row["occurred_at"])
    request = orjson.loads(row["request"])
    request["request_id"] = request_id
    offset = dt.datetime.fromisoformat(request["occurred_at"]).utcoffset()
    request["occurred_at"] = occurred.astimezone(dt.timezone(offset) if offset else dt.UTC).isoformat()
    text = orjson.dumps(request).decode()
    return {**row, "id": sid, "request_id": request_id, "request": text,
            "request_hash": hashlib.sha256(text.encode()).hexdigest(), "occurred_at": occurred, "received_at": at}


def _holds(db: Session, rng: random.Random, held: dict[bool, list[tuple[dict, dict]]], ids: _Ids, today: dt.date,
           until: dt.date, screenings: list[dict]) -> list[tuple[dict, dict, dt.timedelta]]:
    """The held screenings (added to ``screenings``) and, for each, (its new alert row, the month's alert it
    copies, the shift)."""
    if not held[True] or not held[False]:
        return []
    month_holds = db.scalar(select(func.count()).select_from(Alert).where(
        func.extract("year", Alert.created_at) == today.year)) or 0
    last, this = last_and_this_year(rng, *HOLDS, season=SEASON, hours=(8, 20), until=until,
                                    already=month_holds)
    out = []
    for at, share in [(t, DISSUADED[0]) for t in last] + [(t, DISSUADED[1]) for t in this]:
        row, alert = rng.choice(held[rng.random() < share])
        copy = _copy(row, at, ids)
        screenings.append(copy)
        shift = copy["received_at"] - row["received_at"]
        new = {**alert, "screening_id": copy["id"],
               **{k: alert[k] + shift for k in _DATETIMES if alert[k] is not None}}
        out.append((new, alert, shift))
    return out


def _write_alerts(db: Session, holds: list[tuple[dict, dict, dt.timedelta]]) -> None:
    """Each alert with its steps, audit trail and clocks, as the month's alert it copies has them (in the order
    they were written: a page reads an alert's steps in id order)."""
    if not holds:
        return
    ids = insert_with_ids(db, Alert, [{k: v for k, v in new.items() if k != "id"} for new, _, _ in holds])
    by_old: dict[str, list[tuple[int, dt.timedelta]]] = {}  # the month's alert → its copies, with their shift
    for (_, old, shift), alert_id in zip(holds, ids, strict=True):
        by_old.setdefault(str(old["id"]), []).append((alert_id, shift))
    steps = db.execute(select(AlertStep.__table__).where(
        AlertStep.alert_id.in_([int(k) for k in by_old])).order_by(AlertStep.id)).mappings().all()
    audits = db.execute(select(AuditEvent.__table__).where(
        AuditEvent.entity_type == Alert.__tablename__, AuditEvent.entity_id.in_(list(by_old)))
        .order_by(AuditEvent.id)).mappings().all()
    clocks = db.execute(select(DeadlineClock.__table__).where(
        DeadlineClock.owner_type == OWNER_TYPE, DeadlineClock.owner_id.in_(list(by_old)))
        .order_by(DeadlineClock.id)).mappings().all()
    insert_with_ids(db, AlertStep, [
        {**{k: v for k, v in step.items() if k != "id"}, "alert_id": alert_id, "at": step["at"] + shift}
        for step in steps for alert_id, shift in by_old[str(step["alert_id"])]])
    insert_with_ids(db, AuditEvent, [
        {**{k: v for k, v in event.items() if k != "id"}, "entity_id": str(alert_id), "at": event["at"] + shift}
        for event in audits for alert_id, shift in by_old[event["entity_id"]]])
    insert_with_ids(db, DeadlineClock, [_clock(c, alert_id, shift) for c in clocks
                                        for alert_id, shift in by_old[c["owner_id"]]])


def _clock(row: dict, alert_id: int, shift: dt.timedelta) -> dict:
    old = f"#{row['owner_id']}"
    return {**{k: v for k, v in row.items() if k != "id"}, "owner_id": str(alert_id),
            "title": row["title"].replace(old, f"#{alert_id}"),
            "link": row["link"].replace(f"/{row['owner_id']}", f"/{alert_id}") if row["link"] else None,
            **{k: row[k] + shift for k in ("started_at", "warn_at", "due_at", "paused_at", "ended_at")
               if row[k] is not None}}
