"""`pingan onewindow partner add`: the desk account at a bureau of the catalogue, its key printed once and
usable; an unknown bureau is refused and nothing is made."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from pingan.cli import app
from pingan.core.db import unit_of_work
from pingan.onewindow.catalogue import service as catalogue
from pingan.onewindow.models import PartnerDesk
from pingan.onewindow.settings import get_onewindow_settings
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role, User


def test_the_partner_add_command(committed_db):
    with unit_of_work() as db:
        catalogue.load_file(db, get_onewindow_settings().catalogue_file)
    runner = CliRunner()
    made = runner.invoke(app, ["onewindow", "partner", "add", "rsj_cli", "--bureau", "rsj", "--name", "人社联办"])
    assert made.exit_code == 0, made.output
    key = made.output.strip().rsplit(" ", 1)[-1]
    refused = runner.invoke(app, ["onewindow", "partner", "add", "nobody", "--bureau", "moon"])
    assert refused.exit_code == 2 and "bureau: 没有这个合作部门 / no such bureau" in refused.output
    with unit_of_work() as db:
        user = auth.user_for_api_key(db, key)
        assert user.username == "rsj_cli" and user.role is Role.PARTNER_CLERK and user.unit_id is None
        assert db.scalar(select(PartnerDesk).where(PartnerDesk.user_id == user.id)).bureau.code == "rsj"
        assert db.scalar(select(User).where(User.username == "nobody")) is None
