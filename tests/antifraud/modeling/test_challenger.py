"""The shadow comparison over stored screenings: agreement, active × challenger decisions, alert outcomes,
the period, several challengers, and the same figures on the registry page and from the command line."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from pingan.antifraud.modeling import registry
from pingan.antifraud.modeling.challenger import compare
from pingan.cli import app
from pingan.core import clock
from pingan.core.db import unit_of_work
from tests.antifraud.factories import seed_county
from tests.antifraud.modeling.factories import close, store_screening


def _county_month(db) -> None:
    """Ten screenings scored by one challenger, one without a challenger, and closed alerts."""
    pairs = [("allow", "allow")] * 4 + [("warn", "warn"), ("allow", "hold"), ("warn", "allow"),
                                         ("hold", "hold"), ("hold", "warn"), ("hold", "hold")]
    alerts = [store_screening(db, decision=a, shadow=b) for a, b in pairs]
    store_screening(db, decision="allow", shadow=None)
    held = [a for a in alerts if a is not None]
    close(db, held[0], "fraud_confirmed")  # challenger also holds
    close(db, held[1], "not_fraud")  # challenger would only have warned: a false alarm spared
    close(db, held[2], "unreachable")  # no label


def test_counts_agreement_confusion_and_outcomes(db, county):
    _county_month(db)
    result = compare(db)
    assert result.screenings == 11 and result.scored == 10
    (c,) = result.challengers
    assert c.challenger == "challenger" and c.active_models == {"active-model": 10}
    assert c.agreed == 7 and c.agreement == 0.7
    assert c.confusion["allow"] == {"allow": 4, "warn": 0, "hold": 1}
    assert c.confusion["warn"] == {"allow": 1, "warn": 1, "hold": 0}
    assert c.confusion["hold"] == {"allow": 0, "warn": 1, "hold": 2}
    assert c.holds("active") == 3 and c.holds("challenger") == 3 and c.challenger_only_holds == 1
    assert c.labelled("fraud") == 1 and c.held("active", "fraud") == 1 and c.held("challenger", "fraud") == 1
    assert c.labelled("not_fraud") == 1 and c.held("active", "not_fraud") == 1
    assert c.held("challenger", "not_fraud") == 0 and c.outcomes["not_fraud"]["challenger"]["warn"] == 1
    assert result.as_dict()["challengers"][0]["agreement"] == 0.7


def test_period_and_several_challengers(db, county, models_dir, make_artefact):
    old = clock.now() - dt.timedelta(days=40)
    store_screening(db, decision="hold", shadow="allow", challenger="old-challenger", at=old)
    store_screening(db, decision="allow", shadow="allow", challenger="new-challenger")
    store_screening(db, decision="allow", shadow="allow", challenger="old-challenger")
    store_screening(db, decision="warn", shadow="warn", challenger="old-challenger")
    registry.register(db, make_artefact("new-challenger"))
    registry.set_shadow(db, model_id="new-challenger", actor=None)

    everything = compare(db)
    # The current challenger comes first, whatever the counts.
    assert [c.challenger for c in everything.challengers] == ["new-challenger", "old-challenger"]
    assert everything.challengers[1].scored == 3 and everything.challengers[1].agreed == 2

    recent = compare(db, since=clock.now() - dt.timedelta(days=30))
    assert recent.screenings == 3
    assert {c.challenger: c.agreement for c in recent.challengers} == {"new-challenger": 1.0, "old-challenger": 1.0}


def test_nothing_scored_in_shadow(db, county):
    store_screening(db, decision="hold", shadow=None)
    result = compare(db)
    assert result.screenings == 1 and result.scored == 0 and result.challengers == []


def test_models_compare_command(committed_db, models_dir):
    seed_county()
    with unit_of_work() as db:
        _county_month(db)
    result = CliRunner().invoke(app, ["antifraud", "models", "compare", "--days", "30"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "screenings: 11, scored in shadow: 10"
    assert "challenger challenger against active-model (10): 10 screenings, agreement 70.0%" in lines[1]
    assert lines[3:6] == ["allow\t4\t0\t1", "warn\t1\t1\t0", "hold\t0\t1\t2"]
    assert "alerts closed as fraud: 1; held by active 1, by challenger 1" in result.stdout
    assert "alerts closed as not_fraud: 1; held by active 1, by challenger 0" in result.stdout


def test_the_registry_page_shows_the_comparison(live, models_dir):
    with unit_of_work() as db:
        _county_month(db)
    analyst = live.as_user("analyst")
    page = analyst.get("/antifraud/models")
    assert page.status_code == 200
    assert "影子模型对比" in page.text and 'data-challenger="challenger"' in page.text
    assert 'data-measure="agreement">70.0%' in page.text
    assert 'data-cell="allow-hold">1<' in page.text and 'data-cell="hold-warn">1<' in page.text
    assert "影子模型对比" in live.as_user("duty1").get("/antifraud/models?days=0").text
    assert analyst.get("/antifraud/models?days=-1").status_code == 422
