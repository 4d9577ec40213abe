"""The daily counts the dashboard reads: one row per series, local day and org unit, rebuilt from the
modules' records by the recount job and ``pingan stats rebuild``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pingan.core.db import Base


class DailyCount(Base):
    __tablename__ = "stats_daily_count"
    __table_args__ = (Index("ix_stats_daily_count_series_day", "series", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A module's series code (``cases.fraud_cases``), as its figures module names it.
    series: Mapped[str] = mapped_column(String(48))
    day: Mapped[dt.date] = mapped_column(Date)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    value: Mapped[float] = mapped_column(Float)
