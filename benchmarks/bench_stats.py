"""Dashboard benchmark: five years of a county's records at the issue's scale (100,000 cases and calls,
3,000,000 screenings, 50,000 disputes, 200,000 one-window items), written by bulk inserts; the rebuild of the
daily counts from them is timed, then the CompStat sheet (target ≤ 1 s) and a chart's series (target ≤ 300 ms)
are asked for repeatedly and their median and p95 printed. Usage:
    python benchmarks/bench_stats.py [--scale 1.0] [--repeat 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's volumes to generate")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


ARGS = _args()
os.environ["PINGAN_DATABASE_URL"] = ARGS.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
os.environ["PINGAN_RUN_SCHEDULER"] = "false"

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String, Text, select  # noqa: E402
from sqlalchemy.types import JSON, TypeDecorator  # noqa: E402

from pingan.antifraud.models import Alert, Screening  # noqa: E402
from pingan.cases.models import Call, Case, FraudReport  # noqa: E402
from pingan.core import clock  # noqa: E402
from pingan.core.db import insert_rows, unit_of_work  # noqa: E402
from pingan.core.identity import make_resident_id  # noqa: E402
from pingan.core.migrate import upgrade  # noqa: E402
from pingan.mediation.models import Dispute  # noqa: E402
from pingan.models import load_all_models  # noqa: E402
from pingan.onewindow.models import Application, ApplicationItem, Rating  # noqa: E402
from pingan.platform.auth import service as auth  # noqa: E402
from pingan.platform.org import service as org_service  # noqa: E402
from pingan.platform.org.loader import parse_org_file  # noqa: E402
from pingan.platform.org.models import BankBranch, OrgUnit, UnitKind  # noqa: E402
from pingan.platform.users.models import Role  # noqa: E402
from pingan.stats import service  # noqa: E402
from pingan.stats.periods import Period  # noqa: E402
from pingan.stats.routes.api import series_data  # noqa: E402

DEMO_ORG = Path(__file__).resolve().parents[1] / "src" / "pingan" / "data" / "demo_org.yaml"
YEARS = 5
BATCH = 20_000
rng = random.Random(19)


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median_ms={statistics.median(samples) * 1e3:.1f} p95_ms={p95 * 1e3:.1f} max_ms={ordered[-1] * 1e3:.1f}"


def _filler(column, i: int, at: dt.datetime):
    """A value for a NOT NULL column the benchmark does not care about."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Enum):
        return kind.enums[0]
    if isinstance(kind, JSON):
        return "[]"
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, (Integer, Float, Numeric)):
        return 0
    if isinstance(kind, DateTime):
        return at
    if isinstance(kind, Date):
        return at.date()
    if isinstance(kind, (String, Text)):
        return f"b{i}"[: getattr(kind, "length", None) or 64]
    return None


class Writer:
    """Bulk rows of one table: the given values, and a filler for every other NOT NULL column."""

    def __init__(self, model, after: Writer | None = None) -> None:
        self.after = after  # the table this one refers to: written first
        self.table = model.__table__
        self.required = [c for c in self.table.columns if not c.nullable and not c.primary_key]
        self.json = frozenset(c.name for c in self.table.columns if isinstance(c.type, JSON))
        self.rows: list[dict] = []
        self.count = 0

    def add(self, db, i: int, at: dt.datetime, **values) -> None:
        row = {c.name: values[c.name] if c.name in values else _filler(c, i, at) for c in self.required}
        for key, value in values.items():
            row[key] = value
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush(db)

    def flush(self, db) -> None:
        if self.after is not None:
            self.after.flush(db)
        if self.rows:
            names = set().union(*self.rows)
            rows = [{n: r.get(n) for n in sorted(names)} for r in self.rows]
            insert_rows(db, self.table, rows, encoded=self.json & names)
            self.count += len(rows)
            self.rows = []


def _when(start: dt.datetime, span: float) -> dt.datetime:
    return start + dt.timedelta(seconds=rng.random() * span)


def generate(db, n: dict[str, int]) -> None:
    units = list(db.scalars(select(OrgUnit)))
    stations = [u.id for u in units if u.kind is UnitKind.STATION]
    communities = [u for u in units if u.kind is UnitKind.COMMUNITY]
    branches = list(db.scalars(select(BankBranch)))
    end = clock.now()
    start = dt.datetime(end.year - YEARS + 1, 1, 1, tzinfo=clock.LOCAL_TZ)
    span = (end - start).total_seconds()
    hour = dt.timedelta(hours=1)
    calls = Writer(Call)
    for i in range(n["calls"]):
        calls.add(db, i, end, call_no=f"C{i:08d}", station_id=rng.choice(stations), received_at=_when(start, span),
                  category=rng.choice(["criminal", "public_order", "dispute", "dispute", "help", "other"]),
                  summary="警情")
    calls.flush(db)
    cases = Writer(Case)
    reports = Writer(FraudReport, after=cases)
    for i in range(n["cases"]):
        at = _when(start, span)
        category = rng.choice(["theft"] * 6 + ["telecom_fraud"] * 3 + ["robbery", "homicide"])
        filed = rng.random() < 0.9
        cases.add(db, i, end, id=i + 1, number=f"A{i:08d}", station_id=rng.choice(stations), year=at.year, seq=i,
                  kind="criminal", category=category, status="filed", title="案件", summary="案件", occurred_at=at,
                  received_at=at + hour, filed_at=at + 2 * hour if filed else None,
                  solved_at=at + 48 * hour if filed and rng.random() < 0.6 else None)
        if category == "telecom_fraud":
            loss = rng.choice([3000, 20000, 80000, 1500000])
            reports.add(db, i, end, case_id=i + 1, station_id=rng.choice(stations),
                        victim_id_number=make_resident_id("331003", dt.date(1960, 1, 1), i % 99 + 1, "F"),
                        loss=loss, reported_at=at + hour, high_loss=loss >= 1_000_000,
                        counter_remittance=rng.random() < 0.01)
    cases.flush(db)
    reports.flush(db)
    disputes = Writer(Dispute)
    for i in range(n["disputes"]):
        at = _when(start, span)
        community = rng.choice(communities)
        disputes.add(db, i, end, station_id=community.parent_id, community_id=community.id, source="walk_in",
                     category="neighbour", status="closed", summary="纠纷", received_at=at,
                     first_session_at=at + 2 * hour, settled_at=at + 3 * hour if rng.random() < 0.9 else None)
    disputes.flush(db)
    apps = Writer(Application)
    items = Writer(ApplicationItem, after=apps)
    ratings = Writer(Rating, after=items)
    for i in range(n["items"] // 2):
        at = _when(start, span)
        station = rng.choice(stations)
        apps.add(db, i, end, id=i + 1, station_id=station, channel="window", applicant_name="群众",
                 applicant_id_number=make_resident_id("331003", dt.date(1980, 1, 1), i % 99 + 1, "M"),
                 submitted_at=at, visits=rng.choice([1, 1, 1, 2]))
        for j in range(2):
            item_id = 2 * i + j + 1
            items.add(db, item_id, end, id=item_id, application_id=i + 1, station_id=station,
                      item_code="hukou_move", status="completed", within_limit=rng.random() < 0.97)
            if j == 0 and rng.random() < 0.5:
                ratings.add(db, item_id, end, item_id=item_id, station_id=station, grade=rng.choice([5, 5, 4, 3]),
                            rated_at=at + hour, counts=True)
    for w in (apps, items, ratings):
        w.flush(db)
    screenings = Writer(Screening)
    alerts = Writer(Alert, after=screenings)
    for i in range(n["screenings"]):
        at = _when(start, span)
        branch = branches[i % len(branches)]
        hold = i % 300 == 0
        sid = f"S{i:09d}"
        screenings.add(db, i, end, id=sid, bank_id=branch.bank_id, branch_id=branch.id, station_id=branch.station_id,
                       request_id=sid, occurred_at=at, received_at=at, amount=1000,
                       decision="hold" if hold else "allow", channel="counter")
        if hold:
            dissuaded = rng.random() < 0.7
            alerts.add(db, i, end, screening_id=sid, station_id=branch.station_id, bank_id=branch.bank_id,
                       branch_id=branch.id, kind="on_site", status="closed", created_at=at,
                       acknowledged_at=at + dt.timedelta(minutes=rng.randint(1, 9)), closed_at=at + hour,
                       outcome="dissuaded" if dissuaded else "not_fraud",
                       amount_protected=50000 if dissuaded else None)
    screenings.flush(db)
    alerts.flush(db)


def main() -> int:
    volumes = {"calls": 50_000, "cases": 50_000, "disputes": 50_000, "items": 200_000, "screenings": 3_000_000}
    n = {k: max(10, int(v * ARGS.scale)) for k, v in volumes.items()}
    load_all_models()
    upgrade()
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_file(DEMO_ORG))
        auth.create_user(db, username="bench_leader", password="bench-password-1", role=Role.LEADER,
                         unit_code="331003")
    started = time.perf_counter()
    with unit_of_work() as db:
        generate(db, n)
    print(f"stats generate {' '.join(f'{k}={v}' for k, v in n.items())} "
          f"seconds={time.perf_counter() - started:.1f}")
    today = clock.today_local()
    started = time.perf_counter()
    with unit_of_work() as db:
        rows = service.rebuild(db, dt.date(today.year - YEARS + 1, 1, 1), today)
    print(f"stats rebuild years={YEARS} count_rows={rows} seconds={time.perf_counter() - started:.1f}")
    sheet, chart = [], []
    with unit_of_work() as db:
        leader = auth.get_user(db, "bench_leader")
        for _ in range(ARGS.repeat):
            t = time.perf_counter()
            service.sheet(db, leader, period=Period.YTD, stations=True)
            sheet.append(time.perf_counter() - t)
            t = time.perf_counter()
            series_data(db, leader, "cases.fraud_cases", today.year, None)
            chart.append(time.perf_counter() - t)
    print(f"stats sheet ytd_with_stations {_ms(sheet)} target_ms=1000")
    print(f"stats chart series {_ms(chart)} target_ms=300")
    return 0


if __name__ == "__main__":
    sys.exit(main())
