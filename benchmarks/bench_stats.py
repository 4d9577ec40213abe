"""Dashboard benchmark: five years of a county's records at the issue's scale (100,000 cases and calls,
3,000,000 screenings, 50,000 disputes, 200,000 one-window items), written by bulk inserts; the rebuild of the
daily counts from them is timed, then the CompStat sheet (target ≤ 1 s) and a chart's series (target ≤ 300 ms)
are asked for repeatedly and their median and p95 printed. Usage:
    python benchmarks/bench_stats.py [--scale 1.0] [--repeat 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import enum
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

from sqlalchemy import Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String, Text, select, text  # noqa: E402
from sqlalchemy.types import JSON, TypeDecorator  # noqa: E402

from pingan.antifraud.models import Alert, Screening  # noqa: E402
from pingan.cases.models import Call, Case, FraudReport  # noqa: E402
from pingan.core import clock  # noqa: E402
from pingan.core.db import unit_of_work  # noqa: E402
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


def _filler(column, at: dt.datetime):
    """A value for a NOT NULL column the benchmark does not care about (the same in every row)."""
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
        return "b"
    return None


class Writer:
    """Bulk rows of one table as pre-built tuples: ``columns`` given per row (already in the database's form:
    see ``stamp``, ``day`` and ``flag``), then a constant filler for every other NOT NULL column. Written on
    the driver's own connection — ``executemany`` on SQLite, ``COPY`` on PostgreSQL — with none of the ORM's
    per-value work: the five years are millions of rows."""

    def __init__(self, db, model, columns: tuple[str, ...], after: Writer | None = None) -> None:
        self.db, self.after = db, after  # ``after``: the table this one refers to, written first
        table = model.__table__
        self.postgres = db.get_bind().dialect.name == "postgresql"
        rest = [c for c in table.columns if not c.nullable and not c.primary_key and c.name not in columns]
        dialect = db.get_bind().dialect
        fixed = []
        for c in rest:
            value = _filler(c, FILLER_AT)
            if isinstance(c.type, JSON):
                fixed.append(value)
            elif self.postgres:
                fixed.append(value.value if isinstance(value, enum.Enum) else value)
            else:
                process = c.type.bind_processor(dialect)
                fixed.append(process(value) if process else value)
        self.fixed = tuple(fixed)
        names = (*columns, *(c.name for c in rest))
        if self.postgres:
            self.sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
        else:
            self.sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, *values) -> None:
        self.rows.append(values + self.fixed)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.after is not None:
            self.after.flush()
        if not self.rows:
            return
        raw = self.db.connection().connection.driver_connection
        cursor = raw.cursor()
        if self.postgres:
            with cursor.copy(self.sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, self.rows)
        cursor.close()
        self.count += len(self.rows)
        self.rows = []

    def stamp(self, at: dt.datetime):
        """A UTC column's value: aware for PostgreSQL, SQLite's naive UTC text."""
        return at if self.postgres else at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def day(self, day: dt.date):
        return day if self.postgres else day.isoformat()

    def flag(self, value: bool):
        return value if self.postgres else int(value)


FILLER_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _when(start: float, span: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(start + rng.random() * span, dt.UTC)


def generate(db, n: dict[str, int]) -> None:
    units = list(db.scalars(select(OrgUnit)))
    stations = [u.id for u in units if u.kind is UnitKind.STATION]
    communities = [u for u in units if u.kind is UnitKind.COMMUNITY]
    branches = list(db.scalars(select(BankBranch)))
    end = clock.now()
    start = dt.datetime(end.year - YEARS + 1, 1, 1, tzinfo=clock.LOCAL_TZ).timestamp()
    span = end.timestamp() - start
    hour = dt.timedelta(hours=1)
    calls = Writer(db, Call, ("call_no", "station_id", "received_at", "category", "summary"))
    categories = ["criminal", "public_order", "dispute", "dispute", "help", "other"]
    for i in range(n["calls"]):
        calls.add(f"C{i:08d}", rng.choice(stations), calls.stamp(_when(start, span)), rng.choice(categories), "警情")
    calls.flush()
    cases = Writer(db, Case, ("id", "number", "station_id", "year", "seq", "kind", "category", "status", "title",
                              "summary", "occurred_at", "received_at", "filed_at", "solved_at"))
    reports = Writer(db, FraudReport, ("case_id", "station_id", "victim_id_number", "loss", "reported_at",
                                       "high_loss", "counter_remittance"), after=cases)
    for i in range(n["cases"]):
        at = _when(start, span)
        category = rng.choice(["theft"] * 6 + ["telecom_fraud"] * 3 + ["robbery", "homicide"])
        filed = rng.random() < 0.9
        solved = filed and rng.random() < 0.6
        cases.add(i + 1, f"A{i:08d}", rng.choice(stations), at.year, i, "criminal", category, "filed", "案件", "案件",
                  cases.stamp(at), cases.stamp(at + hour), cases.stamp(at + 2 * hour) if filed else None,
                  cases.stamp(at + 48 * hour) if solved else None)
        if category == "telecom_fraud":
            loss = rng.choice([3000, 20000, 80000, 1500000])
            reports.add(i + 1, rng.choice(stations), make_resident_id("331003", dt.date(1960, 1, 1), i % 99 + 1, "F"),
                        loss, reports.stamp(at + hour), reports.flag(loss >= 1_000_000),
                        reports.flag(rng.random() < 0.01))
    reports.flush()
    disputes = Writer(db, Dispute, ("station_id", "community_id", "source", "category", "status", "summary",
                                    "received_at", "first_session_at", "settled_at"))
    for _ in range(n["disputes"]):
        at = _when(start, span)
        community = rng.choice(communities)
        disputes.add(community.parent_id, community.id, "walk_in", "neighbour", "closed", "纠纷", disputes.stamp(at),
                     disputes.stamp(at + 2 * hour), disputes.stamp(at + 3 * hour) if rng.random() < 0.9 else None)
    disputes.flush()
    apps = Writer(db, Application, ("id", "station_id", "channel", "applicant_name", "applicant_id_number",
                                    "submitted_at", "visits"))
    items = Writer(db, ApplicationItem, ("id", "application_id", "station_id", "item_code", "status", "within_limit"),
                   after=apps)
    ratings = Writer(db, Rating, ("item_id", "station_id", "grade", "rated_at", "counts"), after=items)
    for i in range(n["items"] // 2):
        at = _when(start, span)
        station = rng.choice(stations)
        apps.add(i + 1, station, "window", "群众", make_resident_id("331003", dt.date(1980, 1, 1), i % 99 + 1, "M"),
                 apps.stamp(at), rng.choice([1, 1, 1, 2]))
        for j in range(2):
            item_id = 2 * i + j + 1
            items.add(item_id, i + 1, station, "hukou_move", "completed", items.flag(rng.random() < 0.97))
            if j == 0 and rng.random() < 0.5:
                ratings.add(item_id, station, rng.choice([5, 5, 4, 3]), ratings.stamp(at + hour), ratings.flag(True))
    ratings.flush()
    screenings = Writer(db, Screening, ("id", "bank_id", "branch_id", "station_id", "request_id", "occurred_at",
                                        "received_at", "amount", "decision", "channel"))
    alerts = Writer(db, Alert, ("screening_id", "station_id", "bank_id", "branch_id", "kind", "status", "created_at",
                                "acknowledged_at", "closed_at", "outcome", "amount_protected"), after=screenings)
    for i in range(n["screenings"]):
        when = _when(start, span)
        at = screenings.stamp(when)
        branch = branches[i % len(branches)]
        hold = i % 300 == 0
        sid = f"S{i:09d}"
        screenings.add(sid, branch.bank_id, branch.id, branch.station_id, sid, at, at, 1000,
                       "hold" if hold else "allow", "counter")
        if hold:
            dissuaded = rng.random() < 0.7
            alerts.add(sid, branch.station_id, branch.bank_id, branch.id, "on_site", "closed", at,
                       alerts.stamp(when + dt.timedelta(minutes=rng.randint(1, 9))), alerts.stamp(when + hour),
                       "dissuaded" if dissuaded else "not_fraud", 50000 if dissuaded else None)
    alerts.flush()


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
        if db.get_bind().dialect.name == "sqlite":
            # One transaction (one fsync at its commit); a page cache that holds the indexes being built.
            db.execute(text("PRAGMA cache_size=-400000"))
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
