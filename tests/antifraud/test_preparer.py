"""The preparer process: bodies validated and prepared beside the event loop give what preparing them in the
server gives, refusals included, and a preparer that dies loses no request."""

from __future__ import annotations

import asyncio
import marshal
import os
import signal

import orjson
import pytest

from pingan.antifraud.screening.helpers.preparer import Preparer
from pingan.antifraud.screening.prepared import prepare_body, to_plain
from pingan.core.errors import ValidationFailed
from tests.antifraud.engine.factories import body

GOOD = [orjson.dumps(body(request_id=f"p-{i}", amount=f"{100 + i}.50")) for i in range(40)]
BAD = orjson.dumps(body(request_id="bad", amount="-1"))


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
