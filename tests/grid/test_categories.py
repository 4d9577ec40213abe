"""The category definitions in data: one per category, datatypes the checker knows, lists with their values."""

from __future__ import annotations

from pingan.grid.models import ReportCategory
from pingan.grid.report import categories


def test_every_category_has_its_definition_and_lists_have_values():
    defs = categories.definitions()
    assert set(defs) == set(ReportCategory)
    for d in defs.values():
        for a in d.attributes:
            assert a.datatype in categories.DATATYPES
            assert bool(a.values) is (a.datatype.endswith("valuelist")), (d.category, a.code)


def test_fields_are_stored_typed():
    clean, faults = categories.check_fields(ReportCategory.FIRE_RISK, {"risks": ["open_fire", "blocked_exit"]})
    assert faults == [] and clean == {"risks": ["blocked_exit", "open_fire"]}
    clean, faults = categories.check_fields(ReportCategory.WILDLIFE, {"species": "画眉", "count": "12",
                                                                      "situation": "kept"})
    assert faults == [] and clean["count"] == 12
    _, faults = categories.check_fields(ReportCategory.WILDLIFE, {"species": "画眉", "count": "十二",
                                                                  "situation": "kept"})
    assert [(f.field, f.code) for f in faults] == [("fields.count", "field.number")]
