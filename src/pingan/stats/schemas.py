"""The dashboard API's response models."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class MeasureOut(BaseModel):
    code: str
    label: str
    name_en: str
    definition: str
    unit: str
    kind: str
    good: str
    target: float | None
    module: str
    function: str
    level: str


class MeasuresOut(BaseModel):
    measures: list[MeasureOut]


class SheetRowOut(BaseModel):
    code: str
    label: str
    unit: str
    this: float | None
    last: float | None
    change: float | None
    change_text: str
    z: float | None
    mark: str | None
    worse: bool
    target: float | None
    station_level: str | None = Field(None, description="For a reader below a station (a community officer): the "
                                      "station whose figure a measure counted per station shows")


class SheetOut(BaseModel):
    period: str
    align: str
    station_code: str | None
    start: dt.date
    end: dt.date
    last_start: dt.date
    last_end: dt.date
    measures: list[SheetRowOut]


class SeriesOut(BaseModel):
    measure: str
    label: str
    unit: str
    year: int
    this: list[float | None]
    last: list[float | None]
    stations: list[dict]
    station_level: str | None = Field(None, description="The station whose figures these are, for a reader below "
                                      "a station and a measure counted per station")


class MapOut(BaseModel):
    measure: str
    label: str
    level: str
    values: list[dict]
    geojson: dict
    station_level: str | None = None


class RecordOut(BaseModel):
    label: str
    href: str
    at: dt.datetime
    unit_id: int | None
    value: float


class RecordListOut(BaseModel):
    series: str
    count: int
    total: float
    records: list[RecordOut]


class DrillOut(BaseModel):
    measure: str
    start: dt.date
    end: dt.date
    station_code: str | None
    lists: list[RecordListOut]
