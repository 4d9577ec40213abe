"""`pingan places import FILE`: all or nothing, line and field named, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from pingan.cli import app
from pingan.core.db import unit_of_work
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.places.models import Address
from tests.factories import COUNTY_YAML

HEADER = "code,grid,road,number,building,unit,room\n"


def _count() -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Address))


def test_the_import_command(committed_db, tmp_path):
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "A-1,331003-01-01-01,新下岙村,32,,,\nA-2,331003-01-01-01,新下岙村,32,2,1,301\n",
                    encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["places", "import", str(good)])
    assert first.exit_code == 0 and "created=2" in first.output
    again = runner.invoke(app, ["places", "import", str(good)])
    assert again.exit_code == 0 and "unchanged=2" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A-3,331003-01-01-01,新下岙村,33,,,\nA-4,nowhere,新下岙村,34,,,\n", encoding="utf-8")
    refused = runner.invoke(app, ["places", "import", str(bad)])
    assert refused.exit_code == 2 and "line 3.grid" in refused.output
    assert _count() == 2
