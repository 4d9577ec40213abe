"""Chinese names of the address levels and import fields, shared by pages, errors and docs."""

from __future__ import annotations

LEVEL_LABELS = {"road": "道路/村", "number": "门牌号", "building": "幢", "unit_no": "单元", "room": "室"}
IMPORT_COLUMNS = ("code", "grid", "road", "number", "building", "unit", "room")
COLUMN_LABELS = {"code": "地址编码", "grid": "网格编码", "road": "道路/村", "number": "门牌号", "building": "幢",
                 "unit": "单元", "room": "室"}
