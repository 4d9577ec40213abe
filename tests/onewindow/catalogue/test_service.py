"""The catalogue file: loaded by code (twice changes nothing), refused whole with the line and field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pingan.onewindow.catalogue import service as catalogue
from pingan.onewindow.models import CatalogueItem, LimitKind
from pingan.onewindow.settings import get_onewindow_settings

GOOD = """materials:
  id_card: 居民身份证
items:
  - {code: passport, name: 普通护照申领, department: exit_entry, materials: [id_card], fee: 120, limit_days: 7,
     limit_kind: working, online: true, windows: [出入境]}
"""


def test_the_packaged_catalogue_has_25_items_11_online_and_the_legal_limits(db):
    rows = catalogue.parse(get_onewindow_settings().catalogue_file.read_text(encoding="utf-8"))
    by_code = {r["code"]: r for r in rows}
    assert len(rows) >= 25
    assert sum(r["online"] for r in rows) == 11
    assert (by_code["id_card_renewal"]["limit_days"], by_code["id_card_renewal"]["limit_kind"]) == (60, "calendar")
    assert (by_code["passport"]["limit_days"], by_code["passport"]["limit_kind"]) == (7, LimitKind.WORKING)
    assert (by_code["no_criminal_record"]["limit_days"], by_code["no_criminal_record"]["limit_kind"]) == (3, "working")


def test_loading_twice_changes_nothing_and_an_edit_updates_by_code(db):
    first = catalogue.apply(db, catalogue.parse(GOOD))
    again = catalogue.apply(db, catalogue.parse(GOOD))
    edited = catalogue.apply(db, catalogue.parse(GOOD.replace("fee: 120", "fee: 100")))
    assert (first.created, again.unchanged, edited.updated) == (1, 1, 1)
    item = db.scalar(select(CatalogueItem).where(CatalogueItem.code == "passport"))
    assert item.fee_fen == 10000
    assert db.scalar(select(func.count()).select_from(CatalogueItem)) == 1


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace("limit_days: 7", "limit_days: 0"), "line 4: items[0].limit_days"),
    (GOOD.replace("limit_kind: working", "limit_kind: lunar"), "line 5: items[0].limit_kind"),
    (GOOD.replace("[id_card]", "[hukou]"), "line 4: items[0].materials: unknown material hukou"),
    (GOOD + GOOD.split("items:\n")[1], "line 6: items[1].code: passport appears twice"),
])
def test_a_faulty_file_names_the_line_and_field_and_loads_nothing(db, text, expected):
    with pytest.raises(catalogue.CatalogueError) as exc:
        catalogue.parse(text)
    assert expected in str(exc.value)


def test_the_command_refuses_a_faulty_file_with_its_line(tmp_path):
    from pingan.cli import app  # lazy: the command line is built from the registry

    bad = tmp_path / "catalogue.yaml"
    bad.write_text(GOOD.replace("fee: 120", "fee: -1"), encoding="utf-8")
    result = CliRunner().invoke(app, ["onewindow", "catalogue", "load", str(bad)])
    assert result.exit_code == 2
    assert "items[0].fee" in result.output
