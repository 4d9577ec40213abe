"""Intel listings and rule changes take effect on the live engine at once, for every bank."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from pingan.antifraud.models import IntelEntry
from pingan.antifraud.vocabulary import Action
from pingan.cli import app as cli
from pingan.core.db import unit_of_work
from pingan.platform.audit.models import AuditEvent
from tests.antifraud.engine.factories import body

URL = "/api/v1/antifraud/screenings"
MULE = "6230000000012345"


def _listing(**row):
    return {"rows": [{"kind": "account", "value": MULE, "typology": "investment", "source": "反诈中心",
                      "listed_on": "2025-01-01", **row}]}


def test_listed_account_is_held_for_every_bank(live):
    analyst = live.as_user("analyst")
    response = analyst.post("/api/v1/antifraud/intel", json=_listing())
    assert response.status_code == 200 and response.json()["created"] == 1
    answer = live.hyrcb.post(URL, json=body(request_id="m-1", bank_code="HYRCB", branch_code="HYRCB-01",
                                            payee={"account_no": MULE})).json()
    assert answer["decision"] == "hold"
    assert any(r["code"].startswith("intel.") for r in answer["reasons"])


def test_delisted_account_no_longer_forced(live):
    analyst = live.as_user("analyst")
    analyst.post("/api/v1/antifraud/intel", json=_listing())
    entry_id = analyst.get("/api/v1/antifraud/intel?q=6230").json()["items"][0]["id"]
    assert analyst.post(f"/api/v1/antifraud/intel/{entry_id}/delist", json={"reason": ""}).status_code == 422
    removed = analyst.post(f"/api/v1/antifraud/intel/{entry_id}/delist", json={"reason": "误报：账户已核实正常"})
    assert removed.json()["status"] == "removed"
    answer = live.tzb.post(URL, json=body(request_id="m-2", payee={"account_no": MULE})).json()
    assert answer["decision"] == "allow"
    with unit_of_work() as db:
        delisted = db.scalar(select(AuditEvent).where(AuditEvent.action == Action.INTEL_DELISTED))
        assert delisted.note.startswith("误报")


def test_bad_intel_rows_refused_whole(live):
    analyst = live.as_user("analyst")
    payload = {"rows": [_listing()["rows"][0], {"kind": "phone", "value": "12345", "source": "x",
                                                "listed_on": "2025-01-01"},
                        {"kind": "account", "value": "62300000000123", "source": "x", "listed_on": "yesterday"}]}
    response = analyst.post("/api/v1/antifraud/intel", json=payload)
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"rows[1].value", "rows[2].listed_on"}
    with unit_of_work() as db:
        assert db.scalar(select(IntelEntry)) is None


def test_only_analysts_list(live):
    response = live.as_user("duty1").post("/api/v1/antifraud/intel", json=_listing())
    assert response.status_code == 403


def test_cli_import_csv(live, tmp_path: Path):
    path = tmp_path / "intel.csv"
    path.write_text("kind,value,typology,source,listed_on\n"
                    f"account,{MULE},investment,公安部,2025-01-01\nphone,13912345678,,公安部,2025-01-02\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["antifraud", "intel", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created=2" in result.output
    again = CliRunner().invoke(cli, ["antifraud", "intel", "import", str(path)])
    assert "unchanged=2" in again.output
    path.write_text("kind,value\naccount,1\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["antifraud", "intel", "import", str(path)]).exit_code == 2
    # the live engine hears of the CLI's import through the sync job
    from pingan.platform import jobs

    jobs.run_once("antifraud.sync")
    answer = live.tzb.post(URL, json=body(request_id="m-3", payee={"account_no": MULE})).json()
    assert answer["decision"] == "hold"


def test_rule_change_versioned_audited_and_reversible(live):
    analyst = live.as_user("analyst")
    overview = analyst.get("/api/v1/antifraud/rules").json()
    assert overview["version"] == "default" and overview["rules"]
    night = dict(amount="3000.00", occurred_at="2025-03-04T02:30:00+08:00")
    assert live.tzb.post(URL, json=body(request_id="r-1", **night)).json()["decision"] == "allow"
    strict = analyst.put("/api/v1/antifraud/rules", json={
        "warn_threshold": 1, "hold_threshold": 2, "thresholds": {"night_large_amount": 1000}, "enabled": {},
        "note": "演练"})
    assert strict.status_code == 200 and strict.json()["version"] == "r1"
    answer = live.tzb.post(URL, json=body(request_id="r-2", **night)).json()
    assert answer["decision"] == "hold" and "time.night_large" in {r["code"] for r in answer["reasons"]}
    bad = analyst.put("/api/v1/antifraud/rules", json={"warn_threshold": 900, "hold_threshold": 100,
                                                         "thresholds": {"nope": 1}})
    assert bad.status_code == 422
    versions = analyst.get("/api/v1/antifraud/rules/versions").json()
    assert [v["version"] for v in versions] == ["r1"]
    relaxed = analyst.put("/api/v1/antifraud/rules", json={"warn_threshold": 300, "hold_threshold": 700})
    assert relaxed.json()["version"] == "r2"
    restored = analyst.post(f"/api/v1/antifraud/rules/versions/{versions[0]['id']}/activate")
    assert restored.json()["version"] == "r1"
    assert analyst.get("/api/v1/antifraud/rules").json()["warn_threshold"] == 1
    assert live.as_user("duty1").put("/api/v1/antifraud/rules", json={"warn_threshold": 1,
                                                                     "hold_threshold": 2}).status_code == 403
    with unit_of_work() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("antifraud.ruleset."))
                                   .order_by(AuditEvent.id)))
    assert actions == ["antifraud.ruleset.saved", "antifraud.ruleset.saved", "antifraud.ruleset.activated"]
