"""Payees paid by thousands and payments on a calendar: utilities, hospitals, schools, supermarkets,
property managers and hotels (organisation accounts with their names and credit codes), landlords with
many tenants, payroll from small employers, migrant workers sending their wages home, and the seasons
(Spring Festival) that change how much and how often people pay."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pingan.antifraud.simulator.events import PayeeAccount, money
from pingan.antifraud.simulator.population import Customer, account_number, person_name
from pingan.core.identity import uscc_check_char

_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(rng: random.Random, region: str) -> str:
    """A well-formed unified social credit code: enterprise (91), registered in `region`."""
    first = "91" + region + "".join(rng.choice(_USCC_BODY) for _ in range(9))
    return first + uscc_check_char(first)


@dataclass(slots=True)
class Organisation:
    kind: str
    account: PayeeAccount
    weight: float  # relative popularity among the organisations of its kind


def build_organisations(rng: random.Random, config: dict, start: dt.date, county_name: str) -> dict[str, list]:
    """Every organisation kind of `config["organisations"]`, each with its accounts."""
    local = config["population"]["local_regions"]
    out: dict[str, list[Organisation]] = {}
    for kind, spec in config["organisations"].items():
        orgs = []
        for k in range(spec["count"]):
            region = rng.choice(local)
            names = spec["names"]
            # The first of each name plainly, later ones as branches (分院, 二店 …) of it.
            name = county_name + names[k % len(names)] + (f"第{k // len(names) + 1}分部" if k >= len(names) else "")
            name += spec.get("suffix", "")
            opened = start - dt.timedelta(days=rng.randrange(spec.get("min_age_days", 800), 9000))
            account = PayeeAccount(account_number(rng, "3301"), region, opened, name[:64], make_uscc(rng, region))
            orgs.append(Organisation(kind, account, 1 / (k + 1) ** spec.get("popularity", 0.6)))
        out[kind] = orgs
    return out


def big_landlords(rng: random.Random, config: dict, start: dt.date) -> list[PayeeAccount]:
    """Personal accounts of landlords with many tenants (urban villages, dormitories): local, years old."""
    local = config["population"]["local_regions"]
    return [PayeeAccount(account_number(rng, "623"), rng.choice(local),
                         start - dt.timedelta(days=rng.randrange(1500, 8000)), person_name(rng))
            for _ in range(config["calendar"]["big_landlords"])]


class Seasons:
    """Per-day factors from the configured seasons: how much more often, and how much larger, each kind
    of payment is on a day (1.0 outside every season)."""

    def __init__(self, config: dict, start: dt.date, days: int) -> None:
        self.rate: dict[str, list[float]] = {}
        self.amount: dict[str, list[float]] = {}
        for season in config["calendar"].get("seasons", ()):
            peak = dt.date.fromisoformat(str(season["date"]))
            for d in range(days):
                offset = (start + dt.timedelta(days=d) - peak).days
                if -season["before_days"] <= offset <= season["after_days"]:
                    # Ramps up towards the day, falls back quickly after it.
                    closeness = 1 - abs(offset) / (season["before_days"] + 1 if offset < 0 else
                                                   season["after_days"] + 1)
                    for kind, factor in season["rate"].items():
                        self._bump(self.rate, kind, days, d, 1 + (factor - 1) * closeness)
                    for kind, factor in season.get("amount", {}).items():
                        self._bump(self.amount, kind, days, d, 1 + (factor - 1) * closeness)

    @staticmethod
    def _bump(table: dict, kind: str, days: int, d: int, factor: float) -> None:
        table.setdefault(kind, [1.0] * days)[d] *= factor

    def day_weights(self, kind: str) -> list[float] | None:
        return self.rate.get(kind)

    def amount_factor(self, kind: str, day: int) -> float:
        factors = self.amount.get(kind)
        return factors[day] if factors else 1.0


def pick_day(rng: random.Random, days: int, weights: list[float] | None) -> int:
    return rng.choices(range(days), weights)[0] if weights else rng.randrange(days)


def month_days(start: dt.date, days: int, day_of_month: int) -> list[int]:
    """Simulation days falling on `day_of_month` of a calendar month."""
    return [d for d in range(days) if (start + dt.timedelta(days=d)).day == day_of_month]


class OrganisationPayments:
    """Who pays which organisation, on which days, how much: bills fall in their part of the month and
    follow the seasons of their kind."""

    def __init__(self, config: dict, orgs: dict[str, list[Organisation]], start: dt.date, days: int,
                 seasons: Seasons) -> None:
        self.specs, self.orgs, self.days = config["organisations"], orgs, days
        self.calendar: dict[str, tuple[list[int], list[float]]] = {}
        for kind, spec in self.specs.items():
            lo, hi = spec.get("days_of_month", (1, 31))
            candidates = [d for d in range(days) if lo <= (start + dt.timedelta(days=d)).day <= hi] \
                or list(range(days))
            season = seasons.day_weights(spec.get("season_kind", "merchant"))
            self.calendar[kind] = (candidates, [season[d] for d in candidates] if season else [1.0] * len(candidates))
        self.seasons = seasons

    def for_customer(self, rng: random.Random, c: Customer):
        """(day, payee, amount, kind) of one customer's payments to organisations."""
        for kind, spec in self.specs.items():
            pool = self.orgs[kind]
            if not pool or rng.random() >= spec["customers_share"]:
                continue
            # A household pays the same water company, hospital or school: picked once per customer.
            org = rng.choices(pool, [o.weight for o in pool])[0]
            expected = spec["per_month"] * self.days / 30
            count = int(expected) + (rng.random() < expected - int(expected))
            candidates, weights = self.calendar[kind]
            for day in rng.choices(candidates, weights, k=count):
                amount = spec["amount_median"] * rng.lognormvariate(0, spec["amount_sigma"]) * \
                    self.seasons.amount_factor(spec.get("season_kind", "merchant"), day)
                # Bills are to the fen; fees and deposits chosen by people are round.
                amount = round(amount, 2) if spec.get("to_the_fen", True) and amount < 5000 else money(amount)
                yield day, org.account, max(1.0, amount), kind
