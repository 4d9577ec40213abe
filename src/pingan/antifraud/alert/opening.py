"""Alerts: every hold opens one, routed to the station whose area covers the bank branch, with its clocks.

``open_alerts`` runs on the screening store path for the holds of every stored batch, so it does only what
must happen in the screenings' own transaction: the alert row, its three clocks and the announcement.
Everything after that (the steps, the outcome) lives in ``alert_flow``.
"""

from __future__ import annotations

import datetime as dt
import threading

import orjson
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pingan.antifraud.models import Alert, AlertKind, AlertOutcome, AlertStatus
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.vocabulary import CLOCK_LABELS, TYPOLOGY_LABELS, Clock, Topic
from pingan.core.identity import mask_account, mask_id_number, mask_name
from pingan.platform.deadlines import service as deadlines
from pingan.platform.notify import service as notify
from pingan.platform.org.models import OrgUnit, UnitKind

OWNER_TYPE = "antifraud_alert"

REMOTE_CHANNELS = frozenset({"mobile", "online"})
# The final instruction to the bank for each outcome (both kinds of alert).
INSTRUCTIONS = {AlertOutcome.DISSUADED: "cancel", AlertOutcome.NOT_FRAUD: "release", AlertOutcome.INSISTED: "release",
                AlertOutcome.FRAUD_CONFIRMED: "cancel", AlertOutcome.UNREACHABLE: "cancel",
                AlertOutcome.NO_ANSWER: "cancel"}


class _Units:
    """Station id → (station code, bureau id), read once per process: the org tree changes rarely and the store
    path must not query it for every hold."""

    def __init__(self) -> None:
        self._map: dict[int, tuple[str, int | None]] = {}
        self._lock = threading.Lock()

    def clear(self) -> None:
        self._map = {}

    def get(self, db: Session, station_id: int) -> tuple[str, int | None]:
        found = self._map.get(station_id)
        if found is None:
            with self._lock:
                self._map = self._load(db)
            found = self._map.get(station_id, ("", None))
        return found

    @staticmethod
    def _load(db: Session) -> dict[int, tuple[str, int | None]]:
        units = db.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.kind, OrgUnit.path)).all()
        bureaus = {path: uid for uid, _, kind, path in units if kind is UnitKind.BUREAU}
        out = {}
        for uid, code, _kind, path in units:
            root = path.split("/", 1)[0] + "/"
            out[uid] = (code, bureaus.get(root))
        return out


units = _Units()


@event.listens_for(OrgUnit, "after_insert")
@event.listens_for(OrgUnit, "after_update")
def _org_changed(*_args) -> None:
    # Changes made in this process are seen at once; other processes see new units on their next miss.
    units.clear()


def bureau_of(db: Session, station_id: int) -> int | None:
    return units.get(db, station_id)[1]


def clock_plan(db: Session, *, kind: AlertKind, station_id: int) -> list[tuple[str, dt.timedelta, bool]]:
    """(clock kind, time allowed, owned by the bureau centre) for a new alert."""
    settings = get_antifraud_settings()
    code = units.get(db, station_id)[0]
    ack = dt.timedelta(seconds=settings.ack_seconds)
    hold = dt.timedelta(minutes=settings.hold_minutes)
    if kind is AlertKind.CALLBACK:
        callback = dt.timedelta(minutes=settings.callback_minutes)
        return [(Clock.ACKNOWLEDGED, ack, True), (Clock.CALLED_BACK, callback, True),
                (Clock.HOLD_INSTRUCTED, hold, True)]
    arrive = dt.timedelta(minutes=settings.arrive_minutes_by_station.get(code, settings.arrive_minutes))
    return [(Clock.ACKNOWLEDGED, ack, False), (Clock.ARRIVED, arrive, False),
            (Clock.HOLD_INSTRUCTED, hold, False)]


def open_alert(db: Session, *, row: dict) -> Alert:
    """Create the alert for a held screening (a screening row), start its clocks and announce it to the station,
    all in the screening's transaction (outbox)."""
    (alert,) = open_alerts(db, [row])
    return alert


def open_alerts(db: Session, rows: list[dict]) -> list[Alert]:
    """`open_alert` for the holds of one stored batch: one flush for the alerts, one for their clocks and
    announcements."""
    if not rows:
        return []
    opened = []
    for row in rows:
        kind = AlertKind.CALLBACK if row["channel"] in REMOTE_CHANNELS else AlertKind.ON_SITE
        created = row["received_at"]
        plan = clock_plan(db, kind=kind, station_id=row["station_id"])
        alert = Alert(screening_id=row["id"], station_id=row["station_id"], bank_id=row["bank_id"],
                      branch_id=row["branch_id"], kind=kind, status=AlertStatus.NEW, created_at=created,
                      hold_expires_at=created + plan[-1][1])
        opened.append((row, kind, plan, alert))
    db.add_all([alert for *_, alert in opened])
    db.flush()
    events = []
    for row, kind, plan, alert in opened:
        bureau = bureau_of(db, row["station_id"]) if kind is AlertKind.CALLBACK else None
        link = f"/antifraud/alerts/{alert.id}"
        for clock_kind, allowed, central in plan:
            deadlines.start(
                db, owner_type=OWNER_TYPE, owner_id=alert.id, kind=clock_kind,
                title=f"止付预警 #{alert.id} {CLOCK_LABELS[clock_kind]}", link=link,
                unit_id=bureau if central and bureau else row["station_id"], due_in=allowed,
                started_at=row["received_at"], new_owner=True)
        request = orjson.loads(row["request"])
        customer, payee = request["customer"], request["payee"]
        label = TYPOLOGY_LABELS.get(row["typology"] or "", "可疑交易")
        events.append({
            "topic": Topic.ALERT_CREATED, "unit_id": row["station_id"], "bank_id": row["bank_id"],
            "title": f"止付预警：{label} ¥{row['amount']:,.2f}",
            "body": f"{mask_name(customer['name'])} {mask_id_number(customer['id_number'])} → "
                    f"{mask_account(payee['account_no'])}",
            "link": link,
            "payload": {"alert_id": alert.id, "screening_id": row["id"], "amount": str(row["amount"]),
                        "typology": row["typology"], "score": row["score"], "channel": row["channel"],
                        "kind": kind.value, "branch_code": request["branch_code"]},
        })
    notify.publish_many(db, events)
    return [alert for *_, alert in opened]


def progress(alert: Alert) -> dict:
    """Where an alert stands, as the bank sees it (screening status) and the pages show it."""

    def at(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "alert_id": alert.id, "kind": alert.kind.value, "status": alert.status.value,
        "police_on_the_way": alert.status is AlertStatus.DISPATCHED,
        "outcome": alert.outcome, "instruction": alert.instruction,
        "created_at": at(alert.created_at), "acknowledged_at": at(alert.acknowledged_at),
        "dispatched_at": at(alert.dispatched_at), "arrived_at": at(alert.arrived_at),
        "closed_at": at(alert.closed_at), "hold_expires_at": at(alert.hold_expires_at),
    }
