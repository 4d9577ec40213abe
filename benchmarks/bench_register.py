"""Register benchmark: matching a free-text address among 200,000 standard addresses (target ≤ 50 ms), the
cost `people.seen_many` adds per screening in batches of 100 (target ≤ 50 µs), and the person's file of
someone with 1,000 appearances (target ≤ 200 ms). Usage:
    python benchmarks/bench_register.py [--addresses 200000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


ARGS = _args()
os.environ["PINGAN_DATABASE_URL"] = ARGS.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
os.environ["PINGAN_RUN_SCHEDULER"] = "false"

from sqlalchemy import select  # noqa: E402

from pingan.core import clock  # noqa: E402
from pingan.core.db import insert_rows, unit_of_work  # noqa: E402
from pingan.core.identity import make_resident_id  # noqa: E402
from pingan.core.migrate import upgrade  # noqa: E402
from pingan.platform.auth import service as auth  # noqa: E402
from pingan.platform.org import service as org_service  # noqa: E402
from pingan.platform.org.loader import parse_org_file  # noqa: E402
from pingan.platform.org.models import OrgUnit, UnitKind  # noqa: E402
from pingan.platform.people import service as people  # noqa: E402
from pingan.platform.places import matching  # noqa: E402
from pingan.platform.places.models import Address  # noqa: E402
from pingan.platform.places.normalise import road_key  # noqa: E402
from pingan.platform.records import Sighting  # noqa: E402
from pingan.platform.users.models import Role  # noqa: E402
from pingan.platform.watch import service as watch  # noqa: E402
from pingan.platform.watch.models import ListKind  # noqa: E402

DEMO_ORG = Path(__file__).resolve().parents[1] / "src" / "pingan" / "data" / "demo_org.yaml"
SYLLABLES = "东西南北上下前后新老大小金银石竹松柏桥岙洋浦溪塘山岭湖江坑头"


def _road(i: int) -> str:
    a, b, c = SYLLABLES[i % 30], SYLLABLES[(i // 30) % 30], SYLLABLES[(i // 900) % 30]
    return f"{a}{b}{c}村" if i % 3 else f"{a}{b}{c}路"


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median_ms={statistics.median(samples) * 1e3:.2f} p95_ms={p95 * 1e3:.2f} max_ms={ordered[-1] * 1e3:.2f}"


def load_addresses(n: int) -> None:
    """n addresses: 2,000 roads over the county's grids, 20 houses each, each with 5 rooms."""
    now = clock.now()
    with unit_of_work() as db:
        grids = list(db.scalars(select(OrgUnit.id).where(OrgUnit.kind == UnitKind.GRID).order_by(OrgUnit.path)))
        rows, i = [], 0
        while len(rows) < n:
            road = _road(i)
            for number in range(1, 21):
                for room in ("", "101", "102", "201", "202"):
                    rows.append({"code": f"B{len(rows):07d}", "grid_id": grids[i % len(grids)], "road": road,
                                 "road_key": road_key(road), "number": str(number), "building": "",
                                 "unit_no": "", "room": room, "is_active": True, "created_at": now,
                                 "updated_at": now})
            i += 1
        insert_rows(db, Address.__table__, rows[:n])


def bench_match(analyst_name: str) -> list[float]:
    samples = []
    with unit_of_work() as db:
        user = auth.get_user(db, analyst_name)
        matching.match(db, user, "新下岙村1号")  # the road keys are read once per process
        for k in range(300):
            road = _road((k * 37) % 2000)
            text = ["浙江省台州市黄岩区头陀镇{}{}号201室", "{}{}号", "黄岩区{}{}号102", "{}三号"][k % 4]
            text = text.format(road.replace("村", "社区") if k % 2 else road, k % 20 + 1)
            start = time.perf_counter()
            found = matching.match(db, user, text)
            samples.append(time.perf_counter() - start)
            assert found, text
    return samples


def bench_seen_many(unit_id: int) -> tuple[float, float]:
    """Per screening: seen_many of batches of 100, each batch committed as the screening store commits; each
    customer with the phone the bank sends (the register indexes phones)."""
    at = clock.now()
    per, batches = 100, 50
    timings = []
    for b in range(batches):
        batch = [Sighting(make_resident_id("331003", dt.date(1960 + (b % 40), 1 + (i % 12), 1 + (i % 28)), i % 100,
                                           "M"), "客户", "customer", "antifraud", "screening", f"s-{b}-{i}", unit_id,
                          at, f"139{b:04d}{i:04d}") for i in range(per)]
        with unit_of_work() as db:
            start = time.perf_counter()
            people.seen_many(db, batch)
            db.flush()
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) / per, sorted(timings)[int(0.95 * (batches - 1))] / per


def bench_file(analyst_name: str, unit_id: int) -> list[float]:
    number = make_resident_id("331003", dt.date(1950, 5, 5), 7, "F")
    base = clock.now()
    with unit_of_work() as db:
        people.seen_many(db, [Sighting(number, "王阿婆", "customer", "antifraud", "screening", f"f-{i}", unit_id,
                                       base - dt.timedelta(hours=i)) for i in range(1000)])
    samples = []
    for _ in range(20):
        with unit_of_work() as db:
            user = auth.get_user(db, analyst_name)
            start = time.perf_counter()
            found = people.open_file(db, user=user, id_number=number, reason="电诈研判核查")
            samples.append(time.perf_counter() - start)
            assert len(found.appearances) == 1000
    return samples


def main() -> None:
    upgrade()
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_file(DEMO_ORG))
        auth.create_user(db, username="bench_analyst", password="bench-password-1", role=Role.ANALYST,
                         display_name="研判", unit_code="331003")
        bureau = org_service.get_unit(db, "331003")
        station_id = org_service.get_unit(db, "331003-01").id
        intel = watch.ensure_list(db, code="bench.intel", name="涉诈人员", kind=ListKind.WATCH, owner_unit=bureau,
                                  owner_role=Role.ANALYST)
        for i in range(1000):  # a list of a realistic size that the benchmark's customers are not on
            watch.add_entry(db, watch_list=intel, id_number=make_resident_id("110101", dt.date(1990, 1, 1 + i % 28),
                                                                             i % 100, "F"), actor=None)
    start = time.perf_counter()
    load_addresses(ARGS.addresses)
    print(f"register.load addresses={ARGS.addresses} seconds={time.perf_counter() - start:.1f}")
    print(f"register.match addresses={ARGS.addresses} {_ms(bench_match('bench_analyst'))} target_ms=50")
    median, p95 = bench_seen_many(station_id)
    print(f"register.seen_many batch=100 per_screening_median_us={median * 1e6:.1f}"
          f" per_screening_p95_us={p95 * 1e6:.1f} target_us=50")
    print(f"register.file appearances=1000 {_ms(bench_file('bench_analyst', station_id))} target_ms=200")


if __name__ == "__main__":
    sys.exit(main())
