"""The batch command screens like the service, and the engine's memory survives a restart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pingan.antifraud.engine.contract import parse_screening_request
from pingan.antifraud.models import Alert, Screening
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.cli import app as cli
from pingan.core.db import unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.deadlines.models import DeadlineClock
from pingan.platform.notify.models import Event
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import RISKY, seed_county

MULE = "6217000000001111"


def _fan_in(n: int, start: int = 0) -> list[dict]:
    """n different customers paying one far account ¥5,000 each, minutes apart: the mule pattern the state must
    remember."""
    return [body(request_id=f"fan-{start + i}", occurred_at=f"2025-03-03T10:{start + i:02d}:00+08:00", amount="5000.00",
                 customer={"id_number": make_resident_id("331003", dt.date(1990, 1, 1 + i % 28), i % 90, "M"),
                           "account_no": f"62220200000{start + i:05d}"},
                 payee={"account_no": MULE, "region_code": "450102"}) for i in range(n)]


@pytest.mark.parametrize("workers", ["0", "1"])  # prepared in this process, or by a worker process
def test_batch_file_in_order_with_errors_and_repeats(committed_db, tmp_path: Path, workers: str):
    seed_county()
    lines = [orjson.dumps(b) for b in _fan_in(3)]
    lines.append(b'{"request_id": "broken"')
    lines.append(orjson.dumps(body(**RISKY)))
    lines.append(orjson.dumps(_fan_in(1)[0]))  # a repeat of the first line
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(cli, ["antifraud", "screen", "--input", str(src), "--output", str(out),
                                      "--workers", workers])
    assert result.exit_code == 0, result.output
    answers = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(answers) == 6
    assert [a.get("request_id") for a in answers] == ["fan-0", "fan-1", "fan-2", None, "risky-1", "fan-0"]
    assert answers[3]["error"]["code"] == "request.invalid" and answers[3]["line"] == 4
    assert answers[4]["decision"] == "hold" and answers[4]["alert_id"]
    assert answers[5] == answers[0]
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Screening)) == 4
        held = [a["alert_id"] for a in answers[:5] if a.get("decision") == "hold"]  # none for the repeat
        assert len(held) >= 2 and sorted(db.scalars(select(Alert.id))) == sorted(held)
        # Opened together in one stored batch, each alert still has its three clocks and its announcement.
        clocks = {owner: n for owner, n in db.execute(
            select(DeadlineClock.owner_id, func.count()).group_by(DeadlineClock.owner_id))}
        assert clocks == {str(alert_id): 3 for alert_id in held}
        announced = [e.payload["alert_id"] for e in db.scalars(select(Event).where(
            Event.topic == "antifraud.alert.created"))]
        assert sorted(announced) == sorted(held)


def test_state_and_idempotency_survive_restart(committed_db):
    seed_county()
    runtime = get_runtime()
    first = [runtime.submit(parse_screening_request(b), caller_bank_id=None, submitted_by_id=None)
             for b in _fan_in(6)]
    for s in first:
        s.stored.result(timeout=10)
    probe = parse_screening_request(_fan_in(1, start=30)[0])
    before = runtime.engine.screen(probe, record=False)
    shutdown_runtime()

    rebooted = get_runtime()
    after = rebooted.engine.screen(probe, record=False)
    assert after.features == before.features
    assert after.score == before.score
    repeat = rebooted.submit(parse_screening_request(_fan_in(1)[0]), caller_bank_id=None, submitted_by_id=None)
    assert repeat.decision is None and repeat.screening_id == first[0].screening_id
    shutdown_runtime()


def test_request_id_older_than_the_memory_is_a_conflict_not_an_error(committed_db):
    from pingan.core.errors import Conflict

    seed_county()
    runtime = get_runtime()
    runtime.submit(parse_screening_request(_fan_in(1)[0]), caller_bank_id=None, submitted_by_id=None
                   ).stored.result(timeout=10)
    runtime._seen.clear()  # as if the request were older than PINGAN_ANTIFRAUD_IDEMPOTENCY_DAYS
    again = runtime.submit(parse_screening_request(_fan_in(1)[0]), caller_bank_id=None, submitted_by_id=None)
    with pytest.raises(Conflict):
        again.stored.result(timeout=10)
    shutdown_runtime()
