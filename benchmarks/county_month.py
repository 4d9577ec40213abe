"""A synthetic month of a county's remittances (contract v1 JSONL) for the benchmarks: customers with home
branches and usual amounts, payees they return to, a few mule accounts paid by many; time ordered."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import orjson

from pingan.core.identity import make_resident_id

BRANCHES = [f"{bank}-{n:02d}" for bank in ("TZB", "HYRCB") for n in range(1, 11)]
REGIONS = ["331003", "331002", "331004", "330106", "510104", "450102", "430102", "350102"]
PURPOSES = ["生活费", "货款", "房租", "还款", "给家人", "工资", "学费", "", "装修款"]


def write_month(path: Path, *, remittances: int = 150_000, customers: int = 30_000, seed: int = 7) -> Path:
    rng = random.Random(seed)
    start = dt.datetime(2026, 10, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    people = []
    for i in range(customers):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 65))
        people.append({
            "id": make_resident_id("331003", born, i % 100, rng.choice("MF")),
            "account": f"6222{i:012d}",
            "branch": rng.choice(BRANCHES),
            "usual": rng.choice([300, 800, 2000, 5000, 20000]),
            "payees": [f"6217{rng.randrange(10**11):012d}" for _ in range(rng.randint(1, 4))],
            "channel": "counter" if born.year < 1960 else rng.choice(["mobile", "online", "mobile", "atm"]),
        })
    mules = [f"6230{rng.randrange(10**11):012d}" for _ in range(40)]
    times = sorted(rng.uniform(0, 30 * 86400) for _ in range(remittances))
    with path.open("wb") as out:
        for n, offset in enumerate(times):
            person = people[rng.randrange(customers)]
            fraud = rng.random() < 0.004
            payee = rng.choice(mules) if fraud else (
                rng.choice(person["payees"]) if rng.random() < 0.8 else f"6217{rng.randrange(10**11):012d}")
            amount = round(person["usual"] * rng.lognormvariate(0, 0.6) * (8 if fraud else 1), 2)
            bank, _ = person["branch"].split("-")
            out.write(orjson.dumps({
                "request_id": f"m-{n}", "bank_code": bank, "branch_code": person["branch"],
                "channel": person["channel"],
                "occurred_at": (start + dt.timedelta(seconds=offset)).isoformat(timespec="seconds"),
                "amount": f"{max(amount, 1):.2f}",
                "customer": {"id_number": person["id"], "name": "客户", "account_no": person["account"],
                             "balance": f"{person['usual'] * 20:.2f}"},
                "payee": {"account_no": payee, "region_code": rng.choice(REGIONS)},
                "purpose": rng.choice(PURPOSES),
                "signals": ["on_phone", "caller_instructing"] if fraud and rng.random() < 0.5 else [],
            }) + b"\n")
    return path
