"""The simulated county's people and places: police stations, banks and branches, customers with ages,
sexes, home regions, balances and habits, and the accounts they usually pay."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from pingan.core.identity import make_resident_id

STATIONS = [("331003-01", "头陀派出所"), ("331003-02", "江口派出所"), ("331003-03", "东城派出所"),
            ("331003-04", "西城派出所"), ("331003-05", "院桥派出所")]
BANKS = [("TZB", "台州银行"), ("HYRCB", "黄岩农商银行"), ("ICBC", "工商银行"), ("ABC", "农业银行")]
# How the county's customers split between banks (the rural commercial bank is the biggest locally).
BANK_WEIGHTS = [0.25, 0.4, 0.2, 0.15]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文斌志海燕晨宇浩然欣怡子涵梓萱"


@dataclass(slots=True)
class Customer:
    index: int
    id_number: str
    name: str
    phone: str
    account_no: str
    account_opened_on: dt.date
    bank: str
    branch: str
    age: int
    band: str
    female: bool
    migrant: bool
    home_region: str
    channel_weights: list[float]
    balance: float
    monthly_rate: float
    renter: bool
    business: bool
    family: list[tuple[str, str]] = field(default_factory=list)  # (account, region)
    landlord: str | None = None
    suppliers: list[str] = field(default_factory=list)
    employees: list[tuple[str, float]] = field(default_factory=list)  # (account, monthly wage) on payroll
    favourite_merchants: list[int] = field(default_factory=list)


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def account_number(rng: random.Random, prefix: str = "62") -> str:
    return prefix + "".join(str(rng.randrange(10)) for _ in range(17 - len(prefix))) + str(rng.randrange(10))


def branches() -> list[tuple[str, str, str, str]]:
    """(bank code, branch code, branch name, station code): every bank has a branch in every station area."""
    out = []
    for code, name in BANKS:
        for n, (station, station_name) in enumerate(STATIONS, 1):
            out.append((code, f"{code}-{n:02d}", f"{name}{station_name[:2]}支行", station))
    return out


def org_document() -> dict:
    """The organisation file (DESIGN.md format) of the simulated county."""
    by_bank: dict[str, list] = {}
    for bank, code, name, station in branches():
        by_bank.setdefault(bank, []).append({"code": code, "name": name, "station": station})
    return {
        "units": [{"code": "331003", "name": "台州市公安局黄岩分局", "kind": "bureau",
                   "children": [{"code": c, "name": n, "kind": "station"} for c, n in STATIONS]}],
        "banks": [{"code": c, "name": n, "branches": by_bank[c]} for c, n in BANKS],
    }


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def _age_in(rng: random.Random, band: str) -> int:
    lo, hi = (int(x) for x in band.split("-"))
    return rng.randint(lo, hi)


def build_population(rng: random.Random, config: dict, n: int, start: dt.date) -> list[Customer]:
    pop_cfg = config["population"]
    by_bank: dict[str, list[str]] = {}
    for bank, code, _, _ in branches():
        by_bank.setdefault(bank, []).append(code)
    bank_codes = [b for b, _ in BANKS]
    seen_ids: set[str] = set()
    people = []
    for i in range(n):
        migrant = rng.random() < pop_cfg["migrant_share"]
        if migrant:
            age = rng.randint(20, 55)
            band = next(b for b in pop_cfg["age_bands"] if int(b.split("-")[0]) <= age <= int(b.split("-")[1]))
            region = rng.choice(pop_cfg["migrant_home_regions"])
        else:
            band = _pick(rng, pop_cfg["age_bands"])
            age = _age_in(rng, band)
            region = rng.choice(pop_cfg["local_regions"])
        female = rng.random() < pop_cfg["female_share"]
        while True:
            born = start - dt.timedelta(days=age * 365 + rng.randrange(1, 360))
            id_number = make_resident_id(region, born, rng.randrange(100), "F" if female else "M")
            if id_number not in seen_ids:
                seen_ids.add(id_number)
                break
        bank = rng.choices(bank_codes, BANK_WEIGHTS)[0]
        balance = pop_cfg["balance_median"][band] * rng.lognormvariate(0, pop_cfg["balance_sigma"])
        rate = pop_cfg["transfers_per_month_median"] * rng.lognormvariate(0, pop_cfg["transfers_per_month_sigma"])
        renter = (migrant or age < 35) and rng.random() < pop_cfg["renter_share"]
        business = 28 <= age <= 65 and rng.random() < pop_cfg["business_owner_share"]
        c = Customer(
            index=i, id_number=id_number, name=person_name(rng),
            phone=f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}", account_no=account_number(rng, "621"),
            account_opened_on=start - dt.timedelta(days=rng.randrange(200, 7000)),
            bank=bank, branch=rng.choice(by_bank[bank]), age=age, band=band, female=female, migrant=migrant,
            home_region=region, channel_weights=list(pop_cfg["channels"][band]), balance=round(balance, 2),
            monthly_rate=rate, renter=renter, business=business,
        )
        home = region if migrant else rng.choice(pop_cfg["local_regions"])
        c.family = [(account_number(rng, "622"), home) for _ in range(rng.randint(1, 3))]
        if migrant and rng.random() < 0.3:  # relatives working elsewhere in the country too
            c.family.append((account_number(rng, "622"), rng.choice(pop_cfg["migrant_home_regions"])))
        if renter:
            c.landlord = account_number(rng, "623")
        if business:
            c.suppliers = [account_number(rng, "624") for _ in range(rng.randint(2, 6))]
            if rng.random() < pop_cfg["employer_share"]:
                lo, hi = pop_cfg["employees"]
                c.employees = [(account_number(rng, "629"), pop_cfg["wage_median"] * rng.lognormvariate(0, 0.3))
                               for _ in range(rng.randint(lo, hi))]
        people.append(c)
    return people
