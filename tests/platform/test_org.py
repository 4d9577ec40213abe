import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pingan.core.errors import ValidationFailed
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.org.models import BankBranch, OrgUnit
from tests.factories import COUNTY_YAML


def test_loading_twice_changes_nothing(db):
    first = org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
    assert first["units_created"] == 7 and first["branches_created"] == 3
    second = org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
    assert not any(second.values())
    assert db.scalar(select(func.count()).select_from(OrgUnit)) == 7


def test_subtree_paths_and_branch_station(county):
    station = org_service.get_unit(county, "331003-01")
    codes = [u.code for u in org_service.subtree(county, station)]
    assert codes == ["331003-01", "331003-01-01", "331003-01-01-01"]
    grid = org_service.get_unit(county, "331003-01-01-01")
    assert org_service.station_of(county, grid).code == "331003-01"
    assert org_service.get_branch(county, "TZB-02").station.code == "331003-02"


def test_rename_updates_in_place(county):
    changed = org_service.apply_org_file(county, parse_org_text(COUNTY_YAML.replace("江口派出所", "江口所")))
    assert changed["units_updated"] == 1
    assert org_service.get_unit(county, "331003-02").name == "江口所"


def test_bad_file_names_line_and_field_and_changes_nothing(db):
    bad = textwrap.dedent("""
        units:
          - code: "331003"
            name: 分局
            kind: bureau
            children:
              - {code: "331003-01", name: 头陀派出所, kind: village}
              - {code: "331003-02", kind: station}
        banks:
          - code: TZB
            name: 台州银行
            branches: [{code: TZB-01, name: 网点, station: "331003-01-01"}]
    """)
    with pytest.raises(ValidationFailed) as exc:
        parse_org_text(bad)
    details = {d.field: d for d in exc.value.details}
    assert details["units[0].children[0].kind"].code == "org.kind"
    assert "line 7" in details["units[0].children[0].kind"].message
    assert details["units[0].children[1].name"].code == "org.required"
    assert db.scalar(select(func.count()).select_from(OrgUnit)) == 0


def test_branch_pointing_to_unknown_station_refused_whole(db):
    text = COUNTY_YAML.replace('station: "331003-02"}', 'station: "331003-99"}')
    with pytest.raises(ValidationFailed) as exc:
        org_service.apply_org_file(db, parse_org_text(text))
    assert exc.value.code == "org.station"


def test_station_under_station_refused():
    with pytest.raises(ValidationFailed) as exc:
        parse_org_text('units: [{code: a, name: A, kind: station, children: [{code: b, name: B, kind: station}]}]')
    assert exc.value.details[0].code == "org.kind_order"


@pytest.mark.parametrize("text", ["", "- just a list", "units: {a: 1}", "units: [1, 2]", "{{{"])
def test_garbage_refused_clearly(text):
    with pytest.raises(ValidationFailed):
        parse_org_text(text)


def test_cli_org_load(committed_db, tmp_path: Path):
    from pingan.cli import app

    path = tmp_path / "org.yaml"
    path.write_text(COUNTY_YAML, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["org", "load", str(path)])
    assert first.exit_code == 0, first.output
    assert "units_created=7" in first.output
    again = runner.invoke(app, ["org", "load", str(path)])
    assert "units_created=0" in again.output and "branches_updated=0" in again.output
    path.write_text("units: [{code: x, kind: moon}]", encoding="utf-8")
    bad = runner.invoke(app, ["org", "load", str(path)])
    assert bad.exit_code == 2


def test_org_api_scoped(client_for, make_user, db):
    from pingan.platform.users.models import Role

    station_user = make_user(Role.DUTY_OFFICER, unit="331003-02")
    units = client_for(station_user).get("/api/v1/org/units").json()
    assert {u["code"] for u in units} == {"331003-02", "331003-02-01", "331003-02-01-01"}
    branches = client_for(station_user).get("/api/v1/org/branches").json()
    assert [b["code"] for b in branches] == ["TZB-02"]
    teller = make_user(Role.TELLER, branch="HYRCB-01")
    assert [b["code"] for b in client_for(teller).get("/api/v1/org/branches").json()] == ["HYRCB-01"]
    assert db.scalar(select(func.count()).select_from(BankBranch)) == 3
