"""``pingan stats rebuild``: recounts from a day with its progress bar and says how many rows it wrote; a bad
date is a clear usage error."""

from __future__ import annotations

from typer.testing import CliRunner

from pingan.cli import app as cli


def test_rebuild_command(committed_db):
    done = CliRunner().invoke(cli, ["stats", "rebuild", "--since", "2026-10-01"])
    assert done.exit_code == 0, done.output
    assert "daily count rows written (2026-10-01" in done.output
    refused = CliRunner().invoke(cli, ["stats", "rebuild", "--since", "2026-13-01"])
    assert refused.exit_code == 2 and "YYYY-MM-DD" in refused.output
