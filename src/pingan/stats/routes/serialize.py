"""Dashboard values as the API and the pages hand them out."""

from __future__ import annotations

import json

from pingan.stats.catalogue import Measure
from pingan.stats.service import Drill, Row, Sheet
from pingan.stats.settings import get_stats_settings


def measure_out(m: Measure) -> dict:
    return {"code": m.code, "label": m.label, "name_en": m.name_en, "definition": m.definition, "unit": m.unit,
            "kind": m.kind.value, "good": m.good.value, "target": m.target, "module": m.module,
            "function": m.function, "level": m.level.value}


def row_out(r: Row) -> dict:
    return {"code": r.measure.code, "label": r.measure.label, "unit": r.measure.unit, "this": r.this.value,
            "last": r.last.value, "change": r.change, "change_text": r.change_text, "z": r.z, "mark": r.mark,
            "worse": r.worse, "target": r.measure.target,
            # For a reader below a station: the station whose figure a station-level measure shows.
            "station_level": r.station_level.code if r.station_level else None}


def sheet_out(s: Sheet) -> dict:
    return {"period": s.period.value, "align": s.align.value, "station_code": s.station.code if s.station else None,
            "start": s.current.start, "end": s.current.end, "last_start": s.before.start, "last_end": s.before.end,
            "measures": [row_out(r) for r in s.rows]}


def drill_out(d: Drill) -> dict:
    return {"measure": d.measure.code, "start": d.window.start, "end": d.window.end,
            "station_code": d.station.code if d.station else None,
            "lists": [{"series": code, "count": len(links), "total": sum(link.value for link in links),
                       "records": [link._asdict() for link in links]} for code, links in d.lists]}


def boundaries() -> dict:
    """The units' GeoJSON the map draws (an empty collection when the operator has none)."""
    path = get_stats_settings().boundaries_file
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))
