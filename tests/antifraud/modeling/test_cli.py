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


def test_evaluate_on_alert_outcomes(committed_db, models_dir, tmp_path):
    from tests.antifraud.factories import seed_county
    from tests.antifraud.modeling.factories import close, store_screening

    result = runner.invoke(app, ["antifraud", "evaluate", "--from-outcomes"])
    assert result.exit_code == 2 and "no closed alerts with outcomes" in result.output
    assert runner.invoke(app, ["antifraud", "evaluate"]).exit_code == 2  # neither --input nor --from-outcomes

    seed_county()
    with unit_of_work() as db:
        for n, outcome in enumerate(["fraud_confirmed", "dissuaded", "not_fraud", "not_fraud", "no_answer"]):
            close(db, store_screening(db, decision="hold", shadow=None, amount=f"{20000 + n * 5000}.00"), outcome)
    out = tmp_path / "outcomes-report"
    done = _run("evaluate", "--from-outcomes", "--out", str(out))
    assert done.stdout.strip() == str(out / "report.md")
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Data: `alert outcomes` — 4 screenings, 2 fraud transfers" in report
    assert "Labels from closed alerts" in report and registry.default_model_id() in report
