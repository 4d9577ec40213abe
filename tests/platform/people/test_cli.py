"""`pingan people file`: the file as a named user, reason required, masked."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from pingan.cli import app
from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.people import service as people
from pingan.platform.people.models import PersonRole
from pingan.platform.records import Record
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML, PASSWORD

WANG = make_resident_id("331003", dt.date(1970, 5, 1), 1, "M")


def test_the_file_command(committed_db):
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        auth.create_user(db, username="cli_analyst", password=PASSWORD, role=Role.ANALYST, unit_code="331003")
        people.seen(db, id_number=WANG, name="王大山", role=PersonRole.PARTY, record=Record("mediation", "dispute", 9),
                    unit=org_service.get_unit(db, "331003-01"), phone="13905760001")
    runner = CliRunner()
    shown = runner.invoke(app, ["people", "file", WANG, "--reason", "电诈研判核查", "--user", "cli_analyst"])
    assert shown.exit_code == 0 and "dispute #9" in shown.output and WANG not in shown.output
    refused = runner.invoke(app, ["people", "file", WANG, "--reason", "查", "--user", "cli_analyst"])
    assert refused.exit_code == 2 and "reason" in refused.output
