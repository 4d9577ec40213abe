"""A training file with a typology nobody listed yet, and with broken lines: trained on, not refused, and
every skipped line reported by its number — unless too much of the file is bad."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from pingan.antifraud.engine.contract import known_typology
from pingan.antifraud.modeling.dataset import TooManyBadLines, load_dataset
from pingan.antifraud.simulator import load_config, simulate
from pingan.cli import app

runner = CliRunner()
NEW_TYPOLOGY = "ai_voice_clone"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    config = load_config()
    config["fraud"]["cases_per_1000_customers_per_month"] = 120
    simulate(out, customers=600, days=12, seed=5, config=config)
    return out


def _relabel(county, target, *, bad_every: int | None = None) -> tuple[int, list[int]]:
    """Copy labelled.jsonl with every third fraud renamed to NEW_TYPOLOGY and, optionally, a broken line
    every `bad_every` lines; returns (renamed frauds, numbers of the broken lines)."""
    frauds, renamed, broken, out = 0, 0, [], []
    for line in (county / "labelled.jsonl").read_bytes().splitlines():
        row = orjson.loads(line)
        if row["label"]["is_fraud"]:
            frauds += 1
            if frauds % 3 == 0:
                row["label"]["typology"] = NEW_TYPOLOGY
                renamed += 1
        out.append(orjson.dumps(row))
        if bad_every and len(out) % bad_every == 0:
            out.append(b'{"request_id": "x", "label": {"is_fraud": true}')  # cut short
            broken.append(len(out))
            out.append(orjson.dumps({**row, "amount": "-5.00"}))
            broken.append(len(out))
    target.write_bytes(b"\n".join(out) + b"\n")
    (target.parent / "intel.csv").write_bytes((county / "intel.csv").read_bytes())
    return renamed, broken


def test_an_unknown_typology_is_kept_counted_and_read_as_other_where_a_class_is_needed(county, tmp_path):
    renamed, _ = _relabel(county, tmp_path / "labelled.jsonl")
    assert renamed > 5
    ds = load_dataset(tmp_path / "labelled.jsonl")
    assert ds.report.unknown_typologies == {NEW_TYPOLOGY: renamed}
    assert (ds.typology == NEW_TYPOLOGY).sum() == renamed
    assert known_typology(NEW_TYPOLOGY) == "other" and known_typology("loan") == "loan"


def test_bad_lines_are_skipped_and_reported_by_number(county, tmp_path):
    _, broken = _relabel(county, tmp_path / "labelled.jsonl", bad_every=400)
    ds = load_dataset(tmp_path / "labelled.jsonl", max_bad_share=0.05)
    assert ds.report.bad == len(broken) > 0
    assert [n for n, _ in ds.report.bad_lines] == broken[: len(ds.report.bad_lines)]
    assert len(ds) == ds.report.lines - ds.report.bad


def test_past_the_allowed_share_the_file_is_refused(county, tmp_path):
    _, broken = _relabel(county, tmp_path / "labelled.jsonl", bad_every=20)
    with pytest.raises(TooManyBadLines) as refused:
        load_dataset(tmp_path / "labelled.jsonl", max_bad_share=0.01)
    assert f"line {broken[0]}" in str(refused.value)


def test_train_command_trains_and_reports_both(committed_db, models_dir, county, tmp_path):
    _, broken = _relabel(county, tmp_path / "labelled.jsonl", bad_every=500)
    result = runner.invoke(app, ["antifraud", "train", "--input", str(tmp_path / "labelled.jsonl"),
                                 "--max-bad-share", "0.02"])
    assert result.exit_code == 0, result.output
    assert f"line {broken[0]}" in result.output and f"{NEW_TYPOLOGY}=" in result.output
    assert result.stdout.strip().splitlines()[-1].startswith("gbm-")

    refused = runner.invoke(app, ["antifraud", "train", "--input", str(tmp_path / "labelled.jsonl"),
                                  "--max-bad-share", "0"])
    assert refused.exit_code == 2 and "refused" in refused.output
