"""People tables: a person per resident ID number, and each appearance of one in a module's record."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import OrgUnit


class PersonRole(enum.StrEnum):
    """What the person was in the record. Modules to come add theirs here (tenant, suspect, ...)."""

    CUSTOMER = "customer"
    PARTY = "party"
    TENANT = "tenant"
    LANDLORD = "landlord"
    SUSPECT = "suspect"
    VICTIM = "victim"
    FUGITIVE = "fugitive"
    APPLICANT = "applicant"
    GRID_MEMBER = "grid_member"
    WITNESS = "witness"
    RESIDENT = "resident"
    CALLER = "caller"


class Person(Base):
    __tablename__ = "people_person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    # The name first given with the number; each appearance keeps the name its record was given.
    name: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class Appearance(Base):
    """One person in one module's record, in one role; written in the same transaction as the record."""

    __tablename__ = "people_appearance"
    # The unique key leads with the record, so "the people of this record" is one index range; the second
    # index answers the person's file, the third a phone (a person may have several, several people one).
    # Only these three: the screening path writes a row per warned or held screening.
    __table_args__ = (
        UniqueConstraint("module", "record_kind", "record_id", "id_number", "role",
                         name="uq_people_appearance_record"),
        Index("ix_people_appearance_person", "id_number", "at"),
        Index("ix_people_appearance_phone", "phone", "at", sqlite_where=text("phone IS NOT NULL"),
              postgresql_where=text("phone IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for a party known only by a phone (a dispute party who gave no ID number): no person, no file.
    id_number: Mapped[str | None] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(11))
    role: Mapped[PersonRole] = mapped_column(StrEnumType(PersonRole, 32))
    module: Mapped[str] = mapped_column(String(32))
    record_kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    # Where the record belongs (a station, community or grid): what scopes the person's file.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("auth_user.id"))
    link: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # The person's earlier record of a repeat-counting kind within the window: the link and the flag.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("people_appearance.id"))
    # What linked it: "id_number" (the same person) or "phone" alone (perhaps the same person: a phone may be
    # shared by a family or a shop, so the link is weaker and said so wherever it is shown).
    repeat_by: Mapped[str | None] = mapped_column(String(16))

    unit: Mapped[OrgUnit | None] = relationship()
