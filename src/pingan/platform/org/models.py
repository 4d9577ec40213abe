"""Organisation tables: units of the jurisdiction tree, banks and bank branches."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType


class UnitKind(enum.StrEnum):
    BUREAU = "bureau"
    STATION = "station"
    COMMUNITY = "community"
    GRID = "grid"


UNIT_KIND_ORDER = [UnitKind.BUREAU, UnitKind.STATION, UnitKind.COMMUNITY, UnitKind.GRID]
UNIT_KIND_LABELS = {"bureau": "分局", "station": "派出所", "community": "社区", "grid": "网格"}


class OrgUnit(Base):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[UnitKind] = mapped_column(StrEnumType(UnitKind, 16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # Materialised path of codes ("331003/331003-01/"), so a subtree is one prefix match.
    path: Mapped[str] = mapped_column(String(400), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.sort_order")

    @property
    def kind_label(self) -> str:
        return UNIT_KIND_LABELS[self.kind.value]


class Bank(Base):
    __tablename__ = "org_bank"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    branches: Mapped[list[BankBranch]] = relationship(back_populates="bank", order_by="BankBranch.code")


class BankBranch(Base):
    __tablename__ = "org_bank_branch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    bank_id: Mapped[int] = mapped_column(ForeignKey("org_bank.id"), index=True)
    # The police station whose area covers the branch: it receives the branch's alerts.
    station_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)

    bank: Mapped[Bank] = relationship(back_populates="branches")
    station: Mapped[OrgUnit] = relationship()
