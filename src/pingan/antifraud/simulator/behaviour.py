"""Ordinary behaviour of the simulated county: family remittances (migrant workers sending their wages
home after payday), rent (to landlords with many tenants too), shops, bills and organisations paid by
thousands, payroll, suppliers, friends, own accounts elsewhere, and the occasional large legitimate
transfer — on the calendar of the seasons, with the same teller signs honest customers show every day."""

from __future__ import annotations

import datetime as dt
import random

from pingan.antifraud.simulator.events import (
    Event,
    PayeeAccount,
    draw_signals,
    money,
    pick_channel,
    poisson,
    time_in_day,
)
from pingan.antifraud.simulator.organisations import (
    OrganisationPayments,
    Seasons,
    big_landlords,
    build_organisations,
    month_days,
    pick_day,
)
from pingan.antifraud.simulator.population import Customer, account_number, person_name


class Payees:
    """Every payee account of the county, so an account keeps its region and opening date."""

    def __init__(self, rng: random.Random, config: dict, start: dt.date) -> None:
        self.rng, self.start = rng, start
        b = config["behaviour"]
        local = config["population"]["local_regions"]
        far = config["fraud"]["mule_regions"]
        shop_words = config["calendar"]["shop_names"]
        self.merchants = [
            PayeeAccount(account_number(rng, "625"),
                         rng.choice(far) if rng.random() < b["merchant_other_province_share"] else rng.choice(local),
                         start - dt.timedelta(days=rng.randrange(300, 6000)),
                         # Shopkeepers are paid on personal accounts, some under the shop's name.
                         person_name(rng) if rng.random() < 0.7 else person_name(rng)[0] + rng.choice(shop_words))
            for _ in range(b["merchants"])
        ]
        # Popularity falls off like a power of the rank: a few shops are paid by many people, most by few.
        self.merchant_weights = [1 / (k + 1) ** b["merchant_popularity"] for k in range(len(self.merchants))]
        self.organisations = build_organisations(rng, config, start, config["calendar"]["county_name"])
        self.landlords = big_landlords(rng, config, start)
        self._known: dict[str, PayeeAccount] = {}

    def known(self, account_no: str, region: str, *, min_days: int = 200, max_days: int = 6000) -> PayeeAccount:
        payee = self._known.get(account_no)
        if payee is None:
            opened = self.start - dt.timedelta(days=self.rng.randrange(min_days, max_days))
            payee = self._known[account_no] = PayeeAccount(account_no, region, opened, person_name(self.rng))
        return payee


def _amount(rng: random.Random, median: float, sigma: float) -> float:
    return money(median * rng.lognormvariate(0, sigma))


def ordinary_events(rng: random.Random, config: dict, people: list[Customer], payees: Payees,
                    start_ts: float, days: int) -> list[Event]:
    b = config["behaviour"]
    sigma = b["amount_sigma"]
    mix_kinds = list(b["mix"])
    mix_weights = [b["mix"][k] for k in mix_kinds]
    local = config["population"]["local_regions"]
    far = config["fraud"]["mule_regions"] + config["population"]["migrant_home_regions"]
    cal = config["calendar"]
    start = payees.start
    seasons = Seasons(config, start, days)
    org_payments = OrganisationPayments(config, payees.organisations, start, days, seasons)
    purposes = {**b["purposes"], **{k: spec["purposes"] for k, spec in config["organisations"].items()}}
    rent_days = [d for dom in range(1, cal["rent_due_days"] + 1) for d in month_days(start, days, dom)]
    pay_days = {dom: month_days(start, days, dom) for dom in cal["paydays"]}
    events: list[Event] = []

    def emit(c: Customer, day: int, payee: PayeeAccount, amount: float, kind: str, *,
             channel: str | None = None, extra: list[str] | None = None, at: float | None = None) -> None:
        channel = channel or pick_channel(rng, c)
        at = time_in_day(rng, start_ts + day * 86400, channel) if at is None else at
        signals = draw_signals(rng, channel, b["counter_signals"] if channel == "counter" else b["app_signals"])
        for s in extra or ():
            if s not in signals:
                signals.append(s)
        purpose = rng.choice(purposes[kind]) or None
        balance = c.balance * rng.lognormvariate(0, 0.2)
        if balance < amount:
            balance = amount * rng.uniform(1.0, 2.5)
        events.append(Event(at, c, payee, amount, channel, purpose, signals, round(balance, 2)))

    for c in people:
        if not c.favourite_merchants:
            c.favourite_merchants = rng.choices(range(len(payees.merchants)), payees.merchant_weights,
                                                k=rng.randint(3, 8))
        own = payees.known(account_number(rng, "626"), rng.choice(local))
        for _ in range(poisson(rng, c.monthly_rate * days / 30)):
            kind = rng.choices(mix_kinds, mix_weights)[0]
            day = pick_day(rng, days, seasons.day_weights(kind))
            scale = seasons.amount_factor(kind, day)
            if kind == "family":
                account, region = rng.choice(c.family)
                median = b["family_amount_median"] * (1.6 if c.migrant else 1.0) * scale
                emit(c, day, payees.known(account, region), _amount(rng, median, sigma), kind)
            elif kind == "merchant":
                index = rng.choice(c.favourite_merchants) if rng.random() < 0.8 else \
                    rng.choices(range(len(payees.merchants)), payees.merchant_weights)[0]
                emit(c, day, payees.merchants[index], _amount(rng, b["merchant_amount_median"] * scale, sigma), kind)
            elif kind == "friend_new":
                # A friend's or a seller's account never paid before; some are young accounts, some far away.
                region = rng.choice(far) if rng.random() < 0.3 else rng.choice(local)
                opened = payees.start - dt.timedelta(days=rng.randrange(5, 4000))
                payee = PayeeAccount(account_number(rng, "627"), region, opened, person_name(rng))
                emit(c, day, payee, _amount(rng, b["friend_amount_median"] * scale, sigma + 0.2), kind)
            elif kind == "own_other_bank":
                emit(c, day, own, _amount(rng, b["own_other_bank_median"], sigma + 0.3), kind)
            else:
                # Bills go to the few accounts of the customer's own community (property, school, water).
                emit(c, day, payees.merchants[c.index % 1000 + 100], _amount(rng, b["bills_amount_median"], sigma),
                     kind)
        for day, payee, amount, kind in org_payments.for_customer(rng, c):
            emit(c, day, payee, amount, kind)
        if c.landlord is not None:
            rent = money(b["rent_median"] * rng.lognormvariate(0, 0.35))
            if payees.landlords and rng.random() < cal["big_landlord_tenant_share"]:
                # A tenant of a landlord with many rooms: rent falls due in the first days of the month.
                landlord = payees.landlords[c.index % len(payees.landlords)]
                months = {(start + dt.timedelta(days=d)).month: d for d in reversed(rent_days)}
                for day in months.values():
                    emit(c, min(days - 1, day + rng.randrange(0, 2)), landlord, rent, "rent")
            else:
                rent_day = rng.randrange(28)
                for month_start in range(0, days, 30):
                    if month_start + rent_day < days:
                        emit(c, month_start + rent_day, payees.known(c.landlord, rng.choice(local)), rent, "rent")
        if c.migrant and c.family and rng.random() < cal["migrant_remit_share"]:
            # After payday most of the wage goes home, to a family account in the home province.
            account, region = c.family[0]
            for day in pay_days[cal["paydays"][c.index % len(cal["paydays"])]]:
                day = min(days - 1, day + rng.randrange(0, 3))
                amount = money(cal["remit_home_median"] * rng.lognormvariate(0, 0.4) *
                               seasons.amount_factor("family", day))
                emit(c, day, payees.known(account, region), amount, "remit_home")
        if c.employees:
            # Payroll: the workers paid one after another, on payday, within the hour.
            payday = cal["paydays"][c.index % len(cal["paydays"])]
            channel = "online" if rng.random() < 0.6 else "mobile"
            for day in pay_days[payday]:
                at = start_ts + day * 86400 + rng.uniform(9, 17) * 3600
                bonus = seasons.amount_factor("payroll", day)
                for k, (worker, wage) in enumerate(c.employees):
                    emit(c, day, payees.known(worker, rng.choice(local)), money(wage * bonus), "payroll",
                         channel=channel, at=at + k * rng.uniform(20, 200))
        for supplier in c.suppliers:
            amount_median = b["business_amount_median"] * rng.lognormvariate(0, 0.8)
            region = rng.choice(far) if rng.random() < 0.35 else rng.choice(local)
            for _ in range(poisson(rng, b["business_per_month"] / len(c.suppliers) * days / 30)):
                emit(c, rng.randrange(days), payees.known(supplier, region), _amount(rng, amount_median, 0.5),
                     "business")
        if rng.random() < b["large_transfer_per_month"] * days / 30:
            # A house, a car, a deposit moved: a new payee, a large amount, often at the counter.
            channel = "counter" if rng.random() < 0.5 else pick_channel(rng, c)
            region = rng.choice(far) if rng.random() < 0.25 else rng.choice(local)
            payee = PayeeAccount(account_number(rng, "628"), region,
                                 payees.start - dt.timedelta(days=rng.randrange(10, 5000)))
            extra = ["fixed_deposit_early_withdrawal"] if channel == "counter" and \
                rng.random() < b["large_with_fixed_deposit"] else []
            emit(c, rng.randrange(days), payee, _amount(rng, b["large_amount_median"], 0.8), "large",
                 channel=channel, extra=extra)
    return events
