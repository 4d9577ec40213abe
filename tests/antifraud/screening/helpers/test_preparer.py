"""The preparer process: bodies validated and prepared beside the event loop give what preparing them in the
server gives, refusals included; a preparer that dies loses no request, and a body that breaks preparing is
answered alone, whoever prepares it."""

from __future__ import annotations

import asyncio
import marshal
import os
import signal

import orjson
import pytest

from pingan.antifraud.screening.helpers import pipes, preparer
from pingan.antifraud.screening.helpers.preparer import CHUNK, PreparationFailed, Preparer
from pingan.antifraud.screening.prepared import prepare_body, to_plain
from pingan.core.errors import ValidationFailed
from tests.antifraud.engine.factories import body

GOOD = [orjson.dumps(body(request_id=f"p-{i}", amount=f"{100 + i}.50")) for i in range(40)]
BAD = orjson.dumps(body(request_id="bad", amount="-1"))
POISON = orjson.dumps(body(request_id="poison"))


def _breaks_on_poison(prepare):
    """`prepare` with a bug for one body: the OverflowError a time near the calendar's limits once raised."""

    def prepare_or_break(raw: bytes):
        if b'"poison"' in raw:
            raise OverflowError("date value out of range")
        return prepare(raw)

    return prepare_or_break


def _serve_with_a_bug(conn) -> None:
    """The preparer process, its preparing broken for the poisoned body."""
    preparer.prepare_body = _breaks_on_poison(preparer.prepare_body)
    preparer._serve(conn)


class BuggyPreparer(Preparer):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        pipes.LoopPipe.__init__(self, loop, _serve_with_a_bug, "pingan-screening-preparer", chunk=CHUNK)


async def _prepare_all(preparer: Preparer, bodies: list[bytes]) -> list:
    return await asyncio.gather(*(preparer.prepare(b) for b in bodies), return_exceptions=True)


def _same(outcome, raw: bytes) -> bool:
    try:
        expected = prepare_body(raw)
    except ValidationFailed as exc:
        return isinstance(outcome, ValidationFailed) and [d.as_dict() for d in outcome.details] == \
            [d.as_dict() for d in exc.details]
    # Compared as marshal gives them: byte for byte, and a NaN (a missing fact) equals a NaN.
    return marshal.dumps(to_plain(outcome)) == marshal.dumps(to_plain(expected))


def test_bodies_prepared_in_the_process_equal_those_prepared_here():
    async def run() -> list:
        preparer = Preparer(asyncio.get_running_loop())
        try:
            return await _prepare_all(preparer, [*GOOD, BAD, b"{not json"])
        finally:
            preparer.process.kill()

    outcomes = asyncio.run(run())
    assert all(_same(o, raw) for o, raw in zip(outcomes, [*GOOD, BAD, b"{not json"], strict=True))
    assert isinstance(outcomes[-2], ValidationFailed) and outcomes[-2].details[0].field == "amount"


def test_a_preparer_that_dies_loses_nothing_and_is_replaced():
    async def run() -> tuple[list, list]:
        preparer = Preparer(asyncio.get_running_loop())
        first = await _prepare_all(preparer, GOOD[:5])
        os.kill(preparer.process.pid, signal.SIGKILL)
        preparer.process.join(timeout=10)
        after = await _prepare_all(preparer, GOOD[5:])  # sent to a dead process, or found dead on reply
        again = await _prepare_all(preparer, GOOD[:3])  # the replacement
        preparer.process.kill()
        return first + after, again

    outcomes, again = asyncio.run(run())
    assert all(_same(o, raw) for o, raw in zip(outcomes, GOOD, strict=True))
    assert all(_same(o, raw) for o, raw in zip(again, GOOD[:3], strict=True))


@pytest.mark.parametrize("raw", [b"", b"[]", b'{"request_id": 1}'])
def test_garbage_is_a_validation_failure(raw):
    with pytest.raises(ValidationFailed):
        prepare_body(raw)


def test_a_body_that_breaks_the_preparer_process_is_answered_alone_and_the_process_lives_on():
    bodies = [*GOOD[:20], POISON, *GOOD[20:]]

    async def run() -> tuple[list, list, bool]:
        buggy = BuggyPreparer(asyncio.get_running_loop())
        try:
            outcomes = await asyncio.wait_for(_prepare_all(buggy, bodies), 60)
            pid = buggy.process.pid
            again = await asyncio.wait_for(_prepare_all(buggy, GOOD[:3]), 60)
            return outcomes, again, buggy.process.pid == pid and buggy.process.is_alive()
        finally:
            buggy.process.kill()

    outcomes, again, same_process = asyncio.run(run())
    poisoned = outcomes.pop(20)
    assert isinstance(poisoned, PreparationFailed) and poisoned.status_code == 500
    assert all(_same(o, raw) for o, raw in zip(outcomes, GOOD, strict=True))
    assert all(_same(o, raw) for o, raw in zip(again, GOOD[:3], strict=True))
    assert same_process


def test_bodies_a_dead_preparer_held_are_prepared_here_each_alone(monkeypatch):
    monkeypatch.setattr(preparer, "prepare_body", _breaks_on_poison(prepare_body))
    bodies = [*GOOD[:10], POISON, *GOOD[10:]]

    async def run() -> list:
        real = Preparer(asyncio.get_running_loop())
        try:
            os.kill(real.process.pid, signal.SIGSTOP)  # it takes the bodies and never answers
            outcomes = asyncio.gather(*(real.prepare(b) for b in bodies), return_exceptions=True)
            while not any(real._sent):  # the bodies are in the helper (beside its first, empty message)
                await asyncio.sleep(0)
            os.kill(real.process.pid, signal.SIGKILL)
            return await asyncio.wait_for(outcomes, 60)  # what it held is prepared on this loop
        finally:
            real.process.kill()

    outcomes = asyncio.run(run())
    assert isinstance(outcomes.pop(10), PreparationFailed)
    assert all(_same(o, raw) for o, raw in zip(outcomes, GOOD, strict=True))


def test_a_body_that_breaks_preparing_in_the_server_is_answered_500_and_the_others_normally(live, monkeypatch):
    monkeypatch.setattr(preparer, "prepare_body", _breaks_on_poison(prepare_body))
    answers = [live.tzb.post("/api/v1/antifraud/screenings", content=raw) for raw in [*GOOD[:5], POISON, *GOOD[5:10]]]
    assert answers.pop(5).status_code == 500
    assert [a.status_code for a in answers] == [200] * 10
    assert all(a.json()["decision"] in ("allow", "warn", "hold") for a in answers)


def _serve_after_a_slow_start(conn) -> None:
    """The preparer process, as slow to import its code as on a busy machine."""
    import time

    time.sleep(1.5)
    preparer._serve(conn)


class SlowStartingPreparer(Preparer):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        pipes.LoopPipe.__init__(self, loop, _serve_after_a_slow_start, "pingan-screening-preparer", chunk=CHUNK)


def test_the_server_is_not_ready_until_a_new_preparer_answers(monkeypatch):
    from pingan.antifraud import module

    async def run() -> list:
        slow = SlowStartingPreparer(asyncio.get_running_loop())
        monkeypatch.setattr(preparer, "_preparer", slow)
        seen = [(slow.answering, module.not_ready())]
        await asyncio.sleep(0.5)
        seen.append((slow.answering, module.not_ready()))
        outcome = await slow.prepare(GOOD[0])  # waits in the pipe until the helper is up
        seen.append((slow.answering, module.not_ready(), outcome.request_id))
        os.kill(slow.process.pid, signal.SIGKILL)
        slow.process.join(timeout=10)
        while slow.answering:  # the loss is seen on the loop, and a new (slow) helper started
            await asyncio.sleep(0.05)
        seen.append((slow.answering, module.not_ready()))
        await slow.prepare(GOOD[1])
        seen.append((slow.answering, module.not_ready()))
        slow.process.kill()
        return seen

    assert asyncio.run(run()) == [
        (False, "screening helpers starting"), (False, "screening helpers starting"), (True, None, "p-0"),
        (False, "screening helpers starting"), (True, None)]
