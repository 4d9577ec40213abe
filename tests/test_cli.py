"""The `pingan` command as an operator meets it: a database that was never migrated is one line of advice
for every command, and a batch whose lines are refused says on the terminal how many and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.cli import app as cli
from pingan.core.config import reset_settings
from pingan.core.db import reset_engine
from tests.antifraud.engine.factories import body

ADVICE = "pingan db upgrade"


@pytest.fixture
def unmigrated(monkeypatch, tmp_path: Path) -> Iterator[Path]:
    """The commands run against a fresh SQLite file that no migration has touched."""
    monkeypatch.setenv("PINGAN_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    reset_settings()
    reset_engine()
    yield tmp_path
    shutdown_runtime()
    monkeypatch.undo()
    reset_settings()
    reset_engine()


def _jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("args", [
    ["antifraud", "screen", "--input", "{dir}/in.jsonl", "--output", "{dir}/out.jsonl", "--workers", "0"],
    ["antifraud", "models", "list"],
    ["antifraud", "intel", "import", "{dir}/intel.csv"],
    ["apikeys", "list"],
    ["users", "create", "--username", "li", "--password", "a-long-password", "--role", "admin"],
    ["demo"],
    ["serve", "--port", "8106"],
], ids=lambda args: " ".join(args[:2]))
def test_every_command_on_an_unmigrated_database_says_to_upgrade_in_one_line(unmigrated, args):
    _jsonl(unmigrated / "in.jsonl", [orjson.dumps(body())])
    (unmigrated / "intel.csv").write_text("kind,value,typology,source,listed_on\n"
                                          "account,6222020000000099,,省反诈中心,2025-01-02\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [a.format(dir=unmigrated) for a in args])
    assert result.exit_code == 2, result.output
    advice = [line for line in result.output.splitlines() if ADVICE in line]
    assert len(advice) == 1 and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_a_batch_says_on_the_terminal_how_many_lines_were_refused_and_why(committed_db, tmp_path: Path):
    lines = [b'{"request_id": "broken"', orjson.dumps(body(request_id="r-1", amount="-5")),
             *(orjson.dumps(body(request_id=f"r-{n}", branch_code="TZB-99")) for n in range(2, 9))]
    source, target = _jsonl(tmp_path / "in.jsonl", lines), tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["antifraud", "screen", "--input", str(source), "--output", str(target),
                                      "--workers", "0"])
    shutdown_runtime()
    assert result.exit_code == 0, result.output
    assert "refused 9 of 9 lines" in result.output
    assert "request.invalid=9" in result.output
    assert "line 1: request.invalid" in result.output and "line 2: request.invalid — amount:" in result.output
    assert "line 3: request.invalid — branch_code:" in result.output
    assert "line 5:" in result.output and "line 6:" not in result.output  # the first five, then where the rest are
    assert str(target) in result.output.replace("\n", "")
