"""Standard-address tables: one row per address of the tree under a grid, and the records that mention one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, UtcDateTime
from pingan.platform.org.models import OrgUnit


class Address(Base):
    """A standard address: road or village, number, then optionally building, unit and room.

    The tree under a grid is read from these columns (road → number → building → unit → room); a row may stop
    at any level (a village house has no building). ``road_key`` and ``number`` are the normalised forms the
    matcher looks up.
    """

    __tablename__ = "places_address"
    __table_args__ = (
        UniqueConstraint("grid_id", "road_key", "number", "building", "unit_no", "room",
                         name="uq_places_address_position"),
        Index("ix_places_address_road_number", "road_key", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    road: Mapped[str] = mapped_column(String(60))
    road_key: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(16))
    # Empty string, not NULL, for a level the address does not have: the position stays unique.
    building: Mapped[str] = mapped_column(String(16), default="")
    unit_no: Mapped[str] = mapped_column(String(16), default="")
    room: Mapped[str] = mapped_column(String(16), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)

    grid: Mapped[OrgUnit] = relationship()

    @property
    def text(self) -> str:
        """The address as people write it: 新下岙村32号2幢1单元301室."""
        parts = [self.road, f"{self.number}号"]
        if self.building:
            parts.append(f"{self.building}幢")
        if self.unit_no:
            parts.append(f"{self.unit_no}单元")
        if self.room:
            parts.append(f"{self.room}室")
        return "".join(parts)


class Mention(Base):
    """A module's record that took place at an address (a dispute, a call, a report): what repeats are read from."""

    __tablename__ = "places_mention"
    __table_args__ = (UniqueConstraint("address_id", "module", "record_kind", "record_id",
                                       name="uq_places_mention_record"),
                      Index("ix_places_mention_record", "module", "record_kind", "record_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("places_address.id"), index=True)
    module: Mapped[str] = mapped_column(String(32))
    record_kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    link: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)
    # The earlier record at the same address within the repeat window: the link, and the flag the pages show.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("places_mention.id"))
