"""The lifecycle from the command line: simulate, train (ID on the last line), evaluate into a report,
list, activate, roll back; and a clear refusal when there are no outcomes to learn from."""

from __future__ import annotations

from typer.testing import CliRunner

from pingan.antifraud.modeling import registry
from pingan.cli import app
from pingan.core.db import unit_of_work

runner = CliRunner()


def _run(*args: str):
    result = runner.invoke(app, ["antifraud", *args])
    assert result.exit_code == 0, result.output
    return result


def test_simulate_train_evaluate_activate_rollback(committed_db, models_dir, tmp_path):
    county = tmp_path / "county"
    _run("simulate", "--out", str(county), "--customers", "3000", "--days", "20", "--seed", "4")
    assert (county / "labelled.jsonl").is_file()

    trained = _run("train", "--input", str(county / "labelled.jsonl"), "--note", "test")
    model_id = trained.stdout.strip().splitlines()[-1]
    assert model_id.startswith("gbm-")
    with unit_of_work() as db:
        row = registry.get_model(db, model_id)
        assert not row.is_active and row.metrics and row.params["objective"] == "binary"
    assert (models_dir / model_id / "meta.json").is_file()

    out = tmp_path / "report"
    _run("evaluate", "--input", str(county), "--model", model_id, "--out", str(out))
    report = (out / "report.md").read_text(encoding="utf-8")
    for needle in ("hold rate among legitimate transfers", "fraud recall", "money held", "case interception",
                   "loss prevented", "| 0.1% |", "| 0.5% |", "| 1% |", "AUC", "By typology",
                   "Threshold for a 0.5% legitimate hold rate", "brushing_rebate"):
        assert needle in report
    assert (out / "recall_vs_hold_rate.png").stat().st_size > 1000

    _run("models", "activate", model_id)
    listed = _run("models", "list")
    assert model_id in listed.stdout and "active" in listed.stdout
    second = _run("train", "--input", str(county), "--activate", "--seed", "8").stdout.strip().splitlines()[-1]
    with unit_of_work() as db:
        assert registry.active_row(db).model_id == second
    assert _run("models", "rollback").stdout.strip() == f"active: {model_id}"


def test_train_from_outcomes_without_any_says_so(committed_db, models_dir):
    result = runner.invoke(app, ["antifraud", "train", "--from-outcomes"])
    assert result.exit_code == 2
    assert "outcome" in result.output
