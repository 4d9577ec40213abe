"""What callers send to and get from the watch-list API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pingan.core.fields import ResidentIdNumber

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EntryIn(BaseModel):
    model_config = _STRICT

    id_number: ResidentIdNumber
    note: Annotated[str, Field(max_length=500)] = ""
    days: Annotated[float, Field(gt=0, le=3650)] | None = Field(
        None, description="entry lapses after this many days (protected lists: 30 unless given)")


class EntryOut(BaseModel):
    id_number: str = Field(description="masked")
    note: str | None
    listed_at: dt.datetime
    expires_at: dt.datetime | None


class ListIn(BaseModel):
    model_config = _STRICT

    name: Annotated[str, Field(min_length=2, max_length=100)]


class ListOut(BaseModel):
    code: str
    name: str
    kind: str
    owner_unit: str
    owner_role: str


class HitOut(BaseModel):
    id: int
    list_code: str
    list_name: str
    id_number: str = Field(description="masked")
    name: str
    role: str
    module: str
    record_kind: str
    record_id: str
    link: str | None
    where: str | None = Field(description="unit the record belongs to")
    entered_by: str | None
    seen_at: dt.datetime
    first_viewed_at: dt.datetime | None
