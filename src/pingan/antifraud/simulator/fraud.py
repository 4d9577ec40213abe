"""Fraud cases of the simulated county, each typology with its published shape: who it reaches (age,
sex), through which channel, how many transfers of what growing amounts over how long, what the victim
says (mostly a coached cover story), what the teller or the app can see, and the mule accounts — new or
bought, mostly in other provinces, each shared by several victims."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pingan.antifraud.simulator.events import (
    Event,
    PayeeAccount,
    draw_signals,
    money,
    pick_channel,
    poisson,
    time_in_day,
)
from pingan.antifraud.simulator.organisations import make_uscc
from pingan.antifraud.simulator.population import Customer, account_number, person_name


@dataclass(slots=True)
class Mule:
    account: PayeeAccount
    active_from: float  # epoch seconds: while the gang uses it
    active_to: float
    listed_before_start: bool


def _mules(rng: random.Random, cfg: dict, count: int, start: dt.date, start_ts: float, days: int) -> list[Mule]:
    local = cfg["mule_local_regions"]
    out = []
    for _ in range(max(3, count)):
        active_from = start_ts + rng.uniform(-5, days) * 86400
        if rng.random() < cfg["mule_new_share"]:
            opened = dt.date.fromtimestamp(active_from) - dt.timedelta(days=rng.randrange(1, 30))
        else:  # a bought (rented) ordinary account, years old: the "卡农" market
            opened = start - dt.timedelta(days=rng.randrange(365, 3650))
        region = rng.choice(cfg["mule_regions"]) if rng.random() < cfg["mule_other_province_share"] \
            else rng.choice(local)
        account = PayeeAccount(account_number(rng, "6217"), region, opened, person_name(rng))
        if rng.random() < cfg["mule_company_share"]:
            # A shell company's account (对公账户), bought with its licence: an organisation's name and code.
            account.name = person_name(rng)[0] + rng.choice(cfg["mule_company_names"])
            account.uscc = make_uscc(rng, region)
        out.append(Mule(account, active_from, active_from + rng.uniform(3, 20) * 86400,
                        rng.random() < cfg["intel_known_share"]))
    return out


def _victim(rng: random.Random, spec: dict, buckets: dict, used: set[int]) -> Customer | None:
    bands = [b for b in spec["ages"] if spec["ages"][b] > 0]
    for _ in range(50):
        band = rng.choices(bands, [spec["ages"][b] for b in bands])[0]
        female = rng.random() < spec["female"]
        bucket = buckets.get((band, female))
        if not bucket:
            continue
        c = rng.choice(bucket)
        if c.index not in used:
            used.add(c.index)
            return c
    return None


def fraud_events(rng: random.Random, config: dict, people: list[Customer], start: dt.date, start_ts: float,
                 days: int) -> tuple[list[Event], list[Mule]]:
    cfg = config["fraud"]
    specs = cfg["typologies"]
    names = list(specs)
    expected = len(people) / 1000 * cfg["cases_per_1000_customers_per_month"] * days / 30
    n_cases = poisson(rng, expected)
    mules = _mules(rng, cfg, round(n_cases * cfg["mule_accounts_per_case"]), start, start_ts, days)
    buckets: dict = {}
    for c in people:
        buckets.setdefault((c.band, c.female), []).append(c)
    used: set[int] = set()
    events: list[Event] = []
    for case_no in range(n_cases):
        typology = rng.choices(names, [specs[n]["share"] for n in names])[0]
        spec = specs[typology]
        victim = _victim(rng, spec, buckets, used)
        if victim is None:
            continue
        case_id = f"case-{case_no:05d}"
        span = spec["span_hours"] * 3600 * rng.lognormvariate(0, 0.5)
        first_day = rng.uniform(0, days)
        lo, hi = spec["transfers"]
        n = rng.randint(lo, hi)
        channel = pick_channel(rng, victim)
        if rng.random() < spec.get("counter", 0.0):
            channel = "counter"
        start_at = time_in_day(rng, start_ts + int(first_day) * 86400, channel)
        if spec.get("night") and channel in ("mobile", "online") and rng.random() < spec["night"]:
            start_at = start_ts + int(first_day) * 86400 + rng.uniform(22, 25.5) * 3600
        end = start_ts + days * 86400
        # A case that runs past the last day is cut off there, as any window of real data cuts cases.
        times = [t for t in sorted([start_at] + [start_at + rng.uniform(0, span) for _ in range(n - 1)]) if t < end]
        active = [m for m in mules if m.active_from <= start_at <= m.active_to] or mules
        case_mules = [rng.choice(active) for _ in range(rng.randint(1, min(3, n)))]
        mode = rng.random()
        cover = rng.choice(cfg["cover_stories"]) or None
        savings = victim.balance * (rng.uniform(1.5, 4.0) if typology == "impersonating_authorities" else 1.0)
        amount = spec["first"] * rng.lognormvariate(0, 0.7)
        for k, at in enumerate(times):
            if k:
                amount *= spec["growth"] * rng.lognormvariate(0, 0.3)
            if typology == "impersonating_authorities":
                # "Move everything to the safe account": most of what is left, fixed deposits broken.
                amount = max(amount, savings * rng.uniform(0.5, 0.95))
            amount = money(amount)
            if k and channel != "counter" and rng.random() < 0.2:
                channel = pick_channel(rng, victim)
            signals = draw_signals(rng, channel, spec.get("signals", {}))
            if mode < cfg["true_purpose_share"]:
                purpose = rng.choice(cfg["true_purposes"][typology]) or None
            elif mode < cfg["true_purpose_share"] + cfg["cover_story_share"]:
                purpose = cover
            else:
                purpose = None
            # Victims borrow or break deposits to keep paying: the balance never stops a case.
            balance = savings if savings >= amount else amount * rng.uniform(1.0, 1.15)
            savings = max(0.0, balance - amount)
            mule = rng.choice(case_mules)
            events.append(Event(at, victim, mule.account, amount, channel, purpose, signals, round(balance, 2),
                                typology, case_id))
    return events, mules
