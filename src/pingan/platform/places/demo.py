"""The demo county's standard addresses: a road or village in every grid, houses 1-20 on it, and a block
of flats (two buildings, two units, four rooms each) at number 8 (loaded through the CSV import: idempotent)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.platform.org.models import OrgUnit, UnitKind
from pingan.platform.places import service

# Villages and roads of the Huangyan towns, given to the demo grids in tree order.
_ROADS = ("新下岙村", "头陀村", "溪头村", "断江村", "上洋村", "下岙村", "江口路", "江北村", "前洋村", "下洋路",
          "洋头村", "后蒋村", "南苑路", "锦川路", "横街村", "城南路", "高洋村", "沙埠村", "东城路", "劳动南路",
          "东浦村", "埭头村", "西浦村", "宁溪老街", "乌岩村", "白鹤岭村", "大山里村", "上垟村", "岙里村", "新前路",
          "下浦村", "新前村", "山头舟村", "金家村", "上舟村", "劳动北路", "北城路", "西城村", "九峰路", "茅畲村",
          "方山村", "南城路", "桔乡大道", "屿头村", "蔡家洋村", "前塘村", "后塘村", "澄江路", "凤凰村", "江田村",
          "凤洋村", "长洋村", "王西村", "院桥路", "洪家村", "下坦村", "鉴洋湖村", "莲花村", "黄毛山村", "上岙村")
_FLATS = [(b, u, r) for b in ("1", "2") for u in ("1", "2") for r in ("101", "102", "201", "202")]


def demo_csv(db: Session) -> str:
    grids = list(db.scalars(select(OrgUnit).where(OrgUnit.kind == UnitKind.GRID).order_by(OrgUnit.path)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "grid", "road", "number", "building", "unit", "room"])
    for i, grid in enumerate(grids):
        road = _ROADS[i % len(_ROADS)]
        prefix = grid.code.replace("-", "")
        for number in range(1, 21):
            writer.writerow([f"{prefix}-{number:03d}", grid.code, road, number, "", "", ""])
        for building, unit, room in _FLATS:
            writer.writerow([f"{prefix}-008-{building}-{unit}-{room}", grid.code, road, 8, building, unit, room])
    return out.getvalue()


def load_places_demo(db: Session) -> None:
    service.import_csv(db, demo_csv(db))
