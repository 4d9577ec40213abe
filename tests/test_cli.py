"""The `pingan` command as an operator meets it: a database that was never migrated, or that cannot be opened,
is one line of advice for every command, and a batch whose lines are refused says on the terminal how many and why."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import make_url
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


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def database_at(monkeypatch):
    """The commands run against the database at a given URL."""

    def use(url: str) -> None:
        monkeypatch.setenv("PINGAN_DATABASE_URL", url)
        reset_settings()
        reset_engine()

    yield use
    monkeypatch.undo()
    reset_settings()
    reset_engine()


def _unreachable_cases(tmp_path: Path) -> list[tuple[str, str]]:
    cases = [(f"sqlite:///{tmp_path / 'no-such-folder' / 'pingan.sqlite3'}", "unable to open database file"),
             (f"postgresql+psycopg://pingan:s3cret@127.0.0.1:{_closed_port()}/pingan", "Connection refused")]
    url = make_url(os.environ["PINGAN_DATABASE_URL"])
    if url.get_backend_name() == "postgresql":  # the suite's own server: a database nobody created on it
        cases.append((url.set(database="pingan_never_created").render_as_string(hide_password=False),
                      "createdb"))
    return cases


@pytest.mark.parametrize("args", [["db", "upgrade"], ["apikeys", "list"]], ids=" ".join)
def test_a_database_that_cannot_be_opened_is_one_line_with_the_drivers_reason_and_no_password(
        database_at, tmp_path: Path, args):
    for url, reason in _unreachable_cases(tmp_path):
        database_at(url)
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "cannot open the database" in result.output and reason in result.output
        assert "Traceback" not in result.output and "s3cret" not in result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
