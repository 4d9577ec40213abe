"""The rental figures against rows counted by hand: units by kind and colour, occupancy, tenancies declared
and ended, reports on time and late per landlord, hazards found and rectified, hits, by area; the workbook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pingan.core import clock
from pingan.platform.org import service as org_service
from pingan.platform.users.models import Role
from pingan.platform.watch import service as watch
from pingan.platform.watch.models import ListKind
from pingan.rental import figures, service
from pingan.rental.schemas import EndIn, InspectionIn
from tests.rental.factories import ALL_PASS, TENANT2_ID, TENANT_ID, WANTED_ID

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def counted(db, rent):
    clock.shift(dt.datetime(2026, 12, 1, 10, 0, tzinfo=clock.LOCAL_TZ) - clock.now())
    listed = watch.ensure_list(db, code="test.wanted", name="在逃人员", kind=ListKind.WATCH,
                               owner_unit=org_service.get_unit(db, "331003-01"), owner_role=Role.DUTY_OFFICER)
    watch.add_entry(db, watch_list=listed, id_number=WANTED_ID, actor=None)
    t1 = rent.declare(rent.prop, rent.landlord, id_number=TENANT_ID, unit="201", moved_in_on=TODAY)  # on time
    rent.declare(rent.prop, rent.landlord, id_number=TENANT2_ID, unit="202", moved_in_on=dt.date(2026, 11, 20))
    rent.declare(rent.other_prop, rent.grid, id_number=WANTED_ID, unit="1", moved_in_on=TODAY)  # owed, a hit
    service.verify(db, tenancy=t1, actor=rent.grid)
    service.end(db, tenancy=t1, data=EndIn(moved_out_on=TODAY), actor=rent.landlord)  # on time
    service.inspect(db, prop=rent.prop, data=InspectionIn(results={**ALL_PASS, "wiring": False}), actor=rent.grid)
    service.inspect(db, prop=rent.prop, data=InspectionIn(results=ALL_PASS), actor=rent.grid)
    return rent


def test_the_figures_match_the_rows(db, counted):
    f = figures.compute(db, counted.officer, 2026)
    assert (f.units, f.occupants, f.beds) == (3, 2, 7)
    assert (f.declared, f.ended, f.reports, f.reports_on_time) == (3, 1, 3, 2)
    assert (f.hazards_found, f.hazards_rectified, f.hits) == (1, 1, 1)
    assert dict((k, n) for k, _, n in f.units_by_kind) == {"whole_flat": 0, "shared": 0, "group_rental": 3,
                                                           "dormitory": 0, "shop_with_rooms": 0}
    assert dict((k, n) for k, _, n in f.units_by_colour) == {"green": 2, "yellow": 1, "red": 0}
    assert f.late_by_landlord == [("陈房东", 1)]
    assert [(a.code, a.units, a.occupants, a.declared) for a in f.by_area] == [
        ("331003-01", 3, 2, 3), ("331003-01-01", 3, 2, 3), ("331003-01-01-01", 3, 2, 3)]


def test_another_year_counts_no_tenancies_and_another_station_sees_nothing(db, counted):
    f = figures.compute(db, counted.officer, 2025)
    assert (f.units, f.declared, f.reports, f.hazards_found, f.hits) == (3, 0, 0, 0, 0)
    assert figures.compute(db, counted.other_grid, 2026).units == 0


def test_the_workbook_has_the_same_numbers(db, counted):
    wb = load_workbook(io.BytesIO(figures.workbook(figures.compute(db, counted.officer, 2026))))
    totals = {row[0]: row[1] for row in wb["总体"].iter_rows(min_row=2, values_only=True)}
    assert totals["出租房间数"] == 3 and totals["按时报送"] == 2 and totals["布控比中"] == 1
    assert list(wb["房东逾期报送"].iter_rows(min_row=2, values_only=True)) == [("陈房东", 1)]
