"""Cases settings (prefix ``PINGAN_CASES_``): the legal limits and the windows of 打击, a why-comment each."""

from __future__ import annotations

import functools
from decimal import Decimal

from pydantic_settings import BaseSettings, SettingsConfigDict


class CasesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_CASES_", env_file=".env", extra="ignore")

    # 受案立案: the filing decision within 3 days of intake, 7 when clues must be checked, 30 for a complex
    # case with the county bureau's approval (the last day moves past holidays on the work calendar).
    filing_days: int = 3
    filing_clue_days: int = 7
    filing_complex_days: int = 30
    # 治安案件: decided within 30 days of acceptance, once extended by 30 with the higher bureau's approval.
    public_order_days: int = 30
    public_order_extension_days: int = 30
    # Warned this many days before a legal limit runs out.
    warn_days: float = 1
    # A call from the same phone or at the same address this recent is a repeat call.
    repeat_call_days: float = 30
    # 涉案财物: handed to the custodian within 24 hours of seizure (公安机关涉案财物管理若干规定).
    custody_hours: float = 24
    custody_warn_hours: float = 4
    # 银发〔2016〕86号: an emergency stop-payment lasts 48 hours and may be renewed once.
    stop_payment_hours: float = 48
    stop_payment_renewals: int = 1
    stop_payment_warn_hours: float = 6
    # An ordinary freeze lasts 6 months (renewable); warned a week before it lapses.
    freeze_months: int = 6
    freeze_warn_days: float = 7
    # A fraud loss from this amount (yuan) is a high-loss case.
    high_loss_yuan: Decimal = Decimal("1000000")
    # How far back a victim's allowed screenings count as missed fraud.
    missed_fraud_days: float = 30
    # 小案快办: a small case is solved by the community officer by the end of the intake day.
    small_case_warn_hours: float = 2


@functools.cache
def get_cases_settings() -> CasesSettings:
    return CasesSettings()
