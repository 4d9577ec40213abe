"""Watch tables: lists with their owner, the ID numbers on them, and the hits."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import Role


class ListKind(enum.StrEnum):
    WATCH = "watch"
    # Persons to protect (a customer dissuaded from paying a fraudster): entries expire.
    PROTECTED = "protected"


class WatchList(Base):
    __tablename__ = "watch_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Chosen by the feeding module: "antifraud.intel", "antifraud.protected", "cases.fugitives".
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ListKind] = mapped_column(StrEnumType(ListKind, 16))
    # Who is told of a hit: users of this role in this unit (or below it).
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    owner_role: Mapped[Role] = mapped_column(StrEnumType(Role, 32))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    owner_unit: Mapped[OrgUnit] = relationship()


class WatchEntry(Base):
    __tablename__ = "watch_entry"
    __table_args__ = (UniqueConstraint("list_id", "id_number", name="uq_watch_entry_person"),
                      Index("ix_watch_entry_id_number", "id_number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("watch_list.id", ondelete="CASCADE"))
    id_number: Mapped[str] = mapped_column(String(18))
    note: Mapped[str | None] = mapped_column(Text)
    listed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    listed_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    # Told as well as the list's owner (the station that dissuaded a protected person).
    also_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    also_role: Mapped[Role | None] = mapped_column(StrEnumType(Role, 32))

    watch_list: Mapped[WatchList] = relationship()


class WatchHit(Base):
    """A listed person seen in a record: one per entry, record and owner told."""

    __tablename__ = "watch_hit"
    __table_args__ = (UniqueConstraint("entry_id", "module", "record_kind", "record_id", "owner_unit_id",
                                       name="uq_watch_hit_record"),
                      Index("ix_watch_hit_owner", "owner_unit_id", "owner_role", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("watch_entry.id", ondelete="CASCADE"))
    list_id: Mapped[int] = mapped_column(ForeignKey("watch_list.id", ondelete="CASCADE"))
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    module: Mapped[str] = mapped_column(String(32))
    record_kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    link: Mapped[str | None] = mapped_column(String(200))
    # Where and by whom the record was entered: what the owner needs, and who must not learn of the hit.
    where_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    entered_by_name: Mapped[str | None] = mapped_column(String(100))
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    owner_role: Mapped[Role] = mapped_column(StrEnumType(Role, 32))
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    first_viewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    watch_list: Mapped[WatchList] = relationship()
    where_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[where_unit_id])
