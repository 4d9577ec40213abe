"""One simulated remittance and how it becomes a contract-v1 request: the payee accounts the county
knows, the channel-dependent signals, the local clock."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from pingan.antifraud.simulator.population import Customer

TZ = dt.timezone(dt.timedelta(hours=8))
# Relative activity by local hour in mobile and online banking (lunch and evening peaks, quiet nights).
APP_HOURS = [0.6, 0.35, 0.2, 0.12, 0.1, 0.2, 0.6, 1.6, 2.6, 3.0, 3.0, 3.0, 3.4, 3.0, 3.0, 3.0, 3.0, 3.1,
             3.4, 3.8, 4.0, 3.6, 2.6, 1.3]
TELLER_SIGNALS = ("on_phone", "caller_instructing", "accompanied_by_stranger", "nervous_or_hurried",
                  "refuses_to_explain", "keeps_secret_from_family", "fixed_deposit_early_withdrawal")
APP_SIGNALS = ("remote_control_app", "screen_sharing", "new_device", "multiple_attempts")


@dataclass(slots=True)
class PayeeAccount:
    account_no: str
    region: str
    opened_on: dt.date
    name: str | None = None  # the account holder's name: a person's, or an organisation's
    uscc: str | None = None  # unified social credit code of an organisation's account


@dataclass(slots=True)
class Event:
    at: float  # epoch seconds
    customer: Customer
    payee: PayeeAccount
    amount: float
    channel: str
    purpose: str | None
    signals: list[str]
    balance: float
    typology: str | None = None  # None for a legitimate transfer
    case_id: str | None = None


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def money(value: float) -> float:
    """Amounts people choose: small ones to the yuan, large ones often to the hundred or thousand."""
    if value >= 5000:
        return float(round(value, -2))
    return float(max(1, round(value)))


def time_in_day(rng: random.Random, day_start: float, channel: str) -> float:
    if channel == "counter":
        hour = rng.uniform(8.6, 16.8)
    elif channel == "atm":
        hour = rng.uniform(6.5, 22.5)
    else:
        hour = rng.choices(range(24), APP_HOURS)[0] + rng.random()
    return day_start + hour * 3600


def pick_channel(rng: random.Random, customer: Customer) -> str:
    return rng.choices(("counter", "atm", "mobile", "online"), customer.channel_weights)[0]


def draw_signals(rng: random.Random, channel: str, chances: dict[str, float]) -> list[str]:
    """Teller-seen signs only at the counter, app-detected ones only in mobile and online banking."""
    allowed = TELLER_SIGNALS if channel == "counter" else APP_SIGNALS if channel in ("mobile", "online") else ()
    return [s for s in allowed if rng.random() < chances.get(s, 0.0)]


def to_request(event: Event, request_id: str, rng: random.Random, behaviour: dict) -> dict:
    c, p = event.customer, event.payee
    payee: dict = {"account_no": p.account_no}
    if rng.random() < behaviour["disclose_payee_region"]:
        payee["region_code"] = p.region
    if rng.random() < behaviour["disclose_payee_opened_on"]:
        payee["account_opened_on"] = p.opened_on.isoformat()
    if p.name and rng.random() < behaviour["disclose_payee_name"]:
        payee["name"] = p.name
    if p.uscc and rng.random() < behaviour["disclose_payee_uscc"]:
        payee["uscc"] = p.uscc
    req = {
        "request_id": request_id,
        "bank_code": c.bank,
        "branch_code": c.branch,
        "channel": event.channel,
        "occurred_at": dt.datetime.fromtimestamp(int(event.at), TZ).isoformat(),
        "amount": f"{event.amount:.2f}",
        "currency": "CNY",
        "customer": {"id_number": c.id_number, "name": c.name, "phone": c.phone, "account_no": c.account_no,
                     "account_opened_on": c.account_opened_on.isoformat(),
                     "balance": f"{max(event.balance, event.amount):.2f}"},
        "payee": payee,
        "signals": event.signals,
    }
    if event.purpose:
        req["purpose"] = event.purpose
    return req
