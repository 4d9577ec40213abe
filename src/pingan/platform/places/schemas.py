"""What callers send to and get from the standard-address API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
Level = Annotated[str, Field(max_length=16)]


class AddressIn(BaseModel):
    """An edit of an address's parts (its code and grid stay)."""

    model_config = _STRICT

    road: Annotated[str, Field(min_length=1, max_length=60)]
    number: Annotated[str, Field(min_length=1, max_length=16)]
    building: Level = ""
    unit: Level = ""
    room: Level = ""
    is_active: bool = True


class AddressOut(BaseModel):
    code: str
    text: str
    grid_code: str
    grid_name: str
    road: str
    number: str
    building: str
    unit: str
    room: str
    is_active: bool


class CandidateOut(BaseModel):
    score: int = Field(description="0-100: how well the text fits the address")
    address: AddressOut


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
