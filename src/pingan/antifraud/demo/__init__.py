"""The anti-fraud part of the demo county: a simulated month of the demo banks' remittances screened the way
the service screens them, the alerts of its holds carried along by the stations as officers would, the
intel known before the month, a model trained on the month's labels, and the two years before the month
(`history`: copies of the month's records, written in bulk) — loaded once; a second load changes nothing.

Every part goes through the module's own code: the simulator writes the month, the batch path's runtime
decides it (real decisions, alerts and clocks, each at the time it happened), the alert steps stamp and
audit each move, and the model is trained and activated through the registry.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.antifraud.alert import service as alert_service
from pingan.antifraud.demo import history
from pingan.antifraud.intel import service as intel
from pingan.antifraud.modeling import registry as model_registry
from pingan.antifraud.models import Alert, AlertKind, AlertStatus, IntelEntry, Screening
from pingan.antifraud.screening.prepared import PreparedRequest, prepare_body
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.screening.runtime.current import current_runtime, shutdown_runtime
from pingan.antifraud.simulator import load_config, simulate
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.demo import RESIDENT
from pingan.platform.org.models import BankBranch
from pingan.platform.users.models import User

# (what is being done, done so far, out of) — the CLI draws it as a progress bar.
Progress = Callable[[str, int, int], None]

DEMO_PREFIX = "demo-"
RESIDENT_REQUEST = DEMO_PREFIX + "resident-1"
MODEL_NOTE = "演示：模拟县域一个月的标注数据 / demo: a simulated month of labelled county data"
DEMO_BANKS = ("TZB", "HYRCB")
CUSTOMERS = 800
DAYS = 30
SEED = 20261
# Decided together, at the slot's last remittance time: the received times a duty console shows stay
# within minutes of the remittance while the month is stored in some hundreds of transactions.
SLOT_SECONDS = 15 * 60
# Station → the demo duty officer who acts for it; elsewhere the bureau's anti-fraud centre acts.
DUTY = {"331003-01": "duty_toutuo", "331003-02": "duty_jiangkou"}
CENTRE = "analyst"
OFFICERS = ("张警官", "李警官", "王警官", "陈警官", "刘警官")


@dataclass
class DemoSummary:
    screenings: int = 0
    alerts: int = 0
    closed: int = 0
    intel_entries: int = 0
    model_id: str | None = None

    def __str__(self) -> str:
        return (f"警银通 anti-fraud: {self.screenings:,} screenings, {self.alerts} alerts ({self.closed} closed), "
                f"{self.intel_entries} intel entries; active model {self.model_id or 'shipped default'}")


def _silent(_what: str, _done: int, _total: int) -> None:
    pass


def load_antifraud_demo(*, progress: Progress = _silent) -> DemoSummary:
    """Load the month (idempotent). Runs after the demo county is committed, in units of work of its own:
    screenings are stored by the runtime's writer on its own connection, as in the service."""
    with tempfile.TemporaryDirectory(prefix="pingan-demo-") as tmp:
        with unit_of_work() as db:
            screened = db.scalar(select(func.count()).select_from(Screening)
                                 .where(Screening.request_id.startswith(DEMO_PREFIX)))
            trained = any(row.note == MODEL_NOTE for row in model_registry.list_models(db))
        if not (screened and trained):
            progress("simulating the month / 模拟一个月", 0, 1)
            files = _simulate(Path(tmp))
            progress("simulating the month / 模拟一个月", 1, 1)
            _list_intel(files["intel.csv"])
            if not trained:
                progress("training the model / 训练模型", 0, 1)
                _train(files["labelled.jsonl"], files["intel.csv"])
                progress("training the model / 训练模型", 1, 1)
            if not screened:
                _screen(files["requests.jsonl"], progress)
                _carry_alerts({**_truth(files["labels.jsonl"]), RESIDENT_REQUEST: True}, progress)
    with unit_of_work() as db:
        history.load_history(db, progress=progress)
    return summary()


def summary() -> DemoSummary:
    """What the demo's anti-fraud part holds now."""
    with unit_of_work() as db:
        demo = select(Screening.id).where(Screening.request_id.startswith(DEMO_PREFIX))
        alerts = select(Alert.status).where(Alert.screening_id.in_(demo))
        active = model_registry.active_row(db)
        return DemoSummary(
            screenings=db.scalar(select(func.count()).select_from(demo.subquery())),
            alerts=db.scalar(select(func.count()).select_from(alerts.subquery())),
            closed=db.scalar(select(func.count()).select_from(
                alerts.where(Alert.status == AlertStatus.CLOSED).subquery())),
            intel_entries=db.scalar(select(func.count()).select_from(IntelEntry)),
            model_id=active.model_id if active is not None else None)


def _simulate(out: Path) -> dict[str, Path]:
    """The county's month up to today (local), with more fraud and more known mule accounts than the
    defaults, so that a month of a small county has holds to work on and labels to learn from."""
    config = load_config()
    config["start"] = (clock.today_local() - dt.timedelta(days=DAYS)).isoformat()
    config["fraud"]["cases_per_1000_customers_per_month"] = 40
    config["fraud"]["intel_known_share"] = 0.5
    return simulate(out, customers=CUSTOMERS, days=DAYS + 1, seed=SEED, config=config).files


def _list_intel(path: Path) -> None:
    rows = intel.parse_csv(path.read_text(encoding="utf-8"))
    if rows:
        with unit_of_work() as db:
            intel.list_entries(db, rows, actor=None)


def _train(labelled: Path, intel_csv: Path) -> None:
    # lazy: LightGBM takes seconds to import; every server process registers this loader, only the demo trains
    from pingan.antifraud.modeling import lifecycle  # lazy: LightGBM takes seconds to import; only the demo trains
    from pingan.antifraud.modeling.dataset import load_dataset

    dataset = load_dataset(labelled, intel=intel_csv)
    with unit_of_work() as db:
        lifecycle.train_and_register(db, dataset, source="file", activate=True, note=MODEL_NOTE)



def _resident_request() -> dict:
    """The demo resident (`platform.demo.RESIDENT`) at the counter three days ago, told by a caller posing as
    the police to move her savings to a "safe account"."""
    at = clock.now().astimezone(clock.LOCAL_TZ).replace(hour=10, minute=12, second=0, microsecond=0)
    return {"request_id": RESIDENT_REQUEST, "bank_code": "TZB", "branch_code": "TZB-01", "channel": "counter",
            "occurred_at": (at - dt.timedelta(days=3)).isoformat(), "amount": "150000.00",
            "customer": {"id_number": RESIDENT.id_number, "name": RESIDENT.name, "phone": RESIDENT.phone,
                         "account_no": "6222021207000033", "balance": "168000.00"},
            "payee": {"account_no": "6217000000007733", "name": "刘某", "region_code": "510104"},
            "purpose": "公安局说我的账户涉嫌洗钱，要转到安全账户资金审查",
            "signals": ["on_phone", "caller_instructing", "keeps_secret_from_family",
                        "fixed_deposit_early_withdrawal"]}


def _demo_requests(path: Path) -> list[PreparedRequest]:
    """The simulated month's requests of the demo banks' registered branches, up to now, under demo ids,
    with the demo resident's transfer among them."""
    with unit_of_work() as db:
        branches = set(db.scalars(select(BankBranch.code)))
    latest = clock.now() - dt.timedelta(minutes=5)
    prepared = []
    for line in path.read_bytes().splitlines():
        request = orjson.loads(line)
        if request["bank_code"] not in DEMO_BANKS or request["branch_code"] not in branches:
            continue
        if dt.datetime.fromisoformat(request["occurred_at"]) > latest:
            continue
        request["request_id"] = DEMO_PREFIX + request["request_id"]
        prepared.append(prepare_body(orjson.dumps(request)))
    if "TZB-01" in branches:
        resident = prepare_body(orjson.dumps(_resident_request()))
        bisect.insort(prepared, resident, key=lambda p: dt.datetime.fromisoformat(p.occurred_at))
    return prepared


def _slots(prepared: list[PreparedRequest]) -> Iterator[tuple[dt.datetime, list[PreparedRequest]]]:
    """Requests (in time order) grouped by slot, each with the moment the group is decided."""
    group: list[PreparedRequest] = []
    slot = None
    for item in prepared:
        at = dt.datetime.fromisoformat(item.occurred_at)
        this = int(at.timestamp()) // SLOT_SECONDS
        if group and this != slot:
            yield dt.datetime.fromisoformat(group[-1].occurred_at) + dt.timedelta(seconds=2), group
            group = []
        slot = this
        group.append(item)
    if group:
        yield dt.datetime.fromisoformat(group[-1].occurred_at) + dt.timedelta(seconds=2), group


def _screen(path: Path, progress: Progress) -> None:
    """Decide the month slot by slot, as the banks would have sent it, each slot at its own time."""
    label = "screening / 筛查"
    prepared = _demo_requests(path)
    booted_here = current_runtime() is None
    runtime = get_runtime()
    done = 0
    try:
        for at, group in _slots(prepared):
            with clock.at(at):  # stored before the clock moves on, so what the store stamps is of its time
                _, stored = runtime.submit_many(group, started=time.perf_counter())
                outcomes = stored.result()
            failed = [o for o in outcomes if isinstance(o, BaseException)]
            if failed:
                raise failed[0]
            done += len(group)
            progress(label, done, len(prepared))
    finally:
        if booted_here:
            shutdown_runtime()


def _truth(path: Path) -> dict[str, bool]:
    """request id (as the demo stores it) → whether the simulator made it fraud."""
    out = {}
    for line in path.read_bytes().splitlines():
        row = orjson.loads(line)
        out[DEMO_PREFIX + row["request_id"]] = bool(row["label"]["is_fraud"])
    return out


def _carry_alerts(truth: dict[str, bool], progress: Progress) -> None:
    """Move the month's alerts as the stations would have: the older ones to an outcome, the newest left
    open at different steps; each step at a plausible time after the hold."""
    label = "alerts / 预警处置"
    rng = random.Random(SEED)
    with unit_of_work() as db:
        alerts = list(db.scalars(
            select(Alert).join(Screening, Screening.id == Alert.screening_id)
            .where(Screening.request_id.startswith(DEMO_PREFIX), Alert.status == AlertStatus.NEW)
            .order_by(Alert.created_at, Alert.id)))
        users = {u.username: u for u in db.scalars(select(User).where(User.username.in_([CENTRE, *DUTY.values()])))}
        centre = users.get(CENTRE) or auth.get_user(db, CENTRE)
        left_open = _left_open(alerts)
        for n, alert in enumerate(alerts):
            actor = centre if alert.kind is AlertKind.CALLBACK else users.get(DUTY.get(_station_code(alert), ""),
                                                                               centre)
            if alert.id in left_open:
                _open_at_step(db, alert, actor, left_open[alert.id], rng)
            else:
                _close(db, alert, actor, truth.get(alert.screening.request_id, False), rng)
            progress(label, n + 1, len(alerts))


def _station_code(alert: Alert) -> str:
    return alert.screening.branch.station.code


def _left_open(alerts: list[Alert]) -> dict[int, int]:
    """Alert id → steps taken, for the newest alerts, left open: on-site ones at every step (at a station a
    demo duty officer keeps, where there are such), the last call-backs new and signed for."""
    on_site = [a for a in alerts if a.kind is AlertKind.ON_SITE]
    staffed = [a for a in on_site if _station_code(a) in DUTY] or on_site
    callbacks = [a for a in alerts if a.kind is AlertKind.CALLBACK]
    plan = {alert.id: steps for alert, steps in zip(reversed(staffed), (0, 1, 2, 3), strict=False)}
    plan.update({alert.id: steps for alert, steps in zip(reversed(callbacks), (0, 1), strict=False)})
    return plan


def _after(alert: Alert, seconds: float) -> dt.datetime:
    return alert.created_at + dt.timedelta(seconds=seconds)


def _open_at_step(db: Session, alert: Alert, actor: User, steps: int, rng: random.Random) -> None:
    """Leave an alert open after ``steps`` steps (0: new, not yet signed for)."""
    at = 0.0
    if steps >= 1:
        at += rng.uniform(20, 90)
        with clock.at(_after(alert, at)):
            alert_service.acknowledge_alert(db, alert=alert, actor=actor)
    if steps >= 2:
        at += rng.uniform(60, 180)
        with clock.at(_after(alert, at)):
            alert_service.dispatch_alert(db, alert=alert, actor=actor, officer=rng.choice(OFFICERS))
    if steps >= 3:
        at += rng.uniform(300, 900)
        with clock.at(_after(alert, at)):
            alert_service.arrive_alert(db, alert=alert, actor=actor)


def _close(db: Session, alert: Alert, actor: User, fraud: bool, rng: random.Random) -> None:
    """Carry an alert to the outcome its truth makes likely (fraud mostly dissuaded, some confirmed and
    listed, a few insisting; honest customers cleared), at a plausible pace."""
    held = alert.screening.amount
    if alert.kind is AlertKind.CALLBACK:
        outcome = rng.choices(["dissuaded", "fraud_confirmed", "insisted", "no_answer"], [6, 2, 1, 1])[0] \
            if fraud else rng.choices(["not_fraud", "no_answer"], [9, 1])[0]
        _open_at_step(db, alert, actor, 1, rng)
        closing = rng.uniform(180, 900)
    elif not fraud and rng.random() < 0.3:  # the bank cleared it by phone before the officer came
        outcome = "not_fraud"
        _open_at_step(db, alert, actor, 2, rng)
        closing = rng.uniform(300, 600)
    else:
        outcome = rng.choices(["dissuaded", "fraud_confirmed", "insisted", "unreachable"], [6, 2, 1, 1])[0] \
            if fraud else rng.choices(["not_fraud", "unreachable"], [9, 1])[0]
        _open_at_step(db, alert, actor, 3, rng)
        closing = rng.uniform(1500, 3000)
    protected = None
    if outcome == "dissuaded" and rng.random() < 0.3:  # part of it had already gone
        protected = (held * Decimal(str(round(rng.uniform(0.5, 0.95), 2)))).quantize(Decimal("0.01"))
    phone = f"170{rng.randrange(10**8):08d}" if outcome == "fraud_confirmed" else None
    with clock.at(_after(alert, closing)):
        alert_service.close_alert(db, alert=alert, actor=actor, outcome=outcome, amount_protected=protected,
                               note="演示处置记录", fraud_phone=phone)
