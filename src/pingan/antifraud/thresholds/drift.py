"""Each bank's daily hold and warn rates against its band (from its target rates), and the anti-fraud
centre notified once when a day drifts out of it (the ``antifraud.rates`` job checks yesterday)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pingan.antifraud.models import Decision, RateDrift, Screening
from pingan.antifraud.settings import get_antifraud_settings
from pingan.antifraud.thresholds.service import active_by_bank
from pingan.antifraud.vocabulary import Topic
from pingan.core import clock
from pingan.core.clock import LOCAL_TZ
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org
from pingan.platform.org.models import Bank


@dataclass(frozen=True)
class Band:
    target_hold: float
    target_warn: float
    low: float
    high: float

    def holds_in(self, rate: float) -> bool:
        return self.low * self.target_hold <= rate <= self.high * self.target_hold

    def warns_in(self, rate: float) -> bool:
        return self.low * self.target_warn <= rate <= self.high * self.target_warn


@dataclass(frozen=True)
class DayRates:
    day: dt.date
    screenings: int
    holds: int
    warns: int

    @property
    def hold_rate(self) -> float:
        return self.holds / self.screenings if self.screenings else 0.0

    @property
    def warn_rate(self) -> float:
        return self.warns / self.screenings if self.screenings else 0.0


@dataclass(frozen=True)
class BankRates:
    bank: Bank
    band: Band
    days: list[DayRates]
    warn_threshold: int | None  # the bank's own, None while it decides on the rule set's
    hold_threshold: int | None

    def out_of_band(self, day: DayRates) -> bool:
        """Outside the band on a day with enough screenings to tell."""
        enough = day.screenings >= get_antifraud_settings().band_min_screenings
        return enough and not (self.band.holds_in(day.hold_rate) and self.band.warns_in(day.warn_rate))


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), LOCAL_TZ)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def _counts(db: Session, day: dt.date) -> dict[int, dict[Decision, int]]:
    start, end = _bounds(day)
    rows = db.execute(select(Screening.bank_id, Screening.decision, func.count())
                      .where(Screening.received_at >= start, Screening.received_at < end)
                      .group_by(Screening.bank_id, Screening.decision))
    out: dict[int, dict[Decision, int]] = {}
    for bank_id, decision, n in rows:
        out.setdefault(bank_id, {})[Decision(decision)] = n
    return out


def bank_rates(db: Session, *, days: int = 14, today: dt.date | None = None) -> list[BankRates]:
    """Every bank's last `days` local days (today included, newest first) against its band."""
    settings = get_antifraud_settings()
    today = today or clock.today_local()
    active = active_by_bank(db)
    per_day = [(today - dt.timedelta(days=k), _counts(db, today - dt.timedelta(days=k))) for k in range(days)]
    out = []
    for bank in db.scalars(select(Bank).order_by(Bank.code)):
        row = active.get(bank.id)
        band = Band(row.target_hold_rate if row else settings.target_hold_rate,
                    row.target_warn_rate if row else settings.target_warn_rate, settings.band_low, settings.band_high)
        rates = []
        for day, counts in per_day:
            c = counts.get(bank.id, {})
            rates.append(DayRates(day, sum(c.values()), c.get(Decision.HOLD, 0), c.get(Decision.WARN, 0)))
        out.append(BankRates(bank, band, rates, row.warn_threshold if row else None,
                             row.hold_threshold if row else None))
    return out


def notify_drift(db: Session, day: dt.date) -> list[RateDrift]:
    """Record and announce each bank whose `day` left its band, once per bank and day."""
    already = set(db.scalars(select(RateDrift.bank_id).where(RateDrift.day == day)))
    centres = org.roots(db)
    drifted = []
    for rates in bank_rates(db, days=1, today=day):
        rates_day = rates.days[0]
        if rates.bank.id in already or not rates.out_of_band(rates_day):
            continue
        row = RateDrift(bank_id=rates.bank.id, day=day, screenings=rates_day.screenings,
                        hold_rate=rates_day.hold_rate, warn_rate=rates_day.warn_rate, notified_at=clock.now())
        try:
            with db.begin_nested():  # another process checking the same day: one of them records it
                db.add(row)
                db.flush()
        except IntegrityError:
            continue
        band, d = rates.band, rates_day
        notify.publish(
            db, topic=Topic.RATES_DRIFTED, unit_id=centres[0].id if centres else None, bank_id=rates.bank.id,
            title=f"{rates.bank.name} {day.isoformat()} 止付率 {d.hold_rate:.2%}、提醒率 {d.warn_rate:.2%}超出目标区间",
            body=f"目标止付率 {band.target_hold:.2%}、提醒率 {band.target_warn:.2%}（{band.low:g}–{band.high:g} 倍为"
                 f"正常）；{d.screenings} 笔筛查。可在“银行阈值”页查看，按本行流量重新校准。",
            link="/antifraud/rates",
            payload={"bank_code": rates.bank.code, "day": day.isoformat(), "screenings": d.screenings,
                     "hold_rate": d.hold_rate, "warn_rate": d.warn_rate,
                     "target_hold_rate": band.target_hold, "target_warn_rate": band.target_warn})
        drifted.append(row)
    return drifted
