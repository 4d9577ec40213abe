"""A server's event loop stores decisions through the store process itself (`store.LoopStore`): each is
committed before it is answered, a refused row fails alone, and what a store process that dies held is
stored by its replacement, once."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pingan.antifraud.engine.contract import parse_screening_request
from pingan.antifraud.models import Alert, Screening
from pingan.antifraud.screening import repository as repo
from pingan.antifraud.screening.prepared import prepare
from pingan.antifraud.screening.runtime.boot import get_runtime
from pingan.antifraud.screening.runtime.current import shutdown_runtime
from pingan.antifraud.screening.storage.store import LoopStore, StorageUnavailable, store_rows
from pingan.antifraud.settings import get_antifraud_settings
from pingan.app import create_app
from pingan.core import db as core_db
from pingan.core.config import get_settings
from pingan.core.db import get_engine, json_text, make_engine, reset_engine, skip_pre_ping, unit_of_work
from pingan.core.errors import Conflict
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import ORDINARY, RISKY, URL, Live, screen, screening_id, seed_county

pytestmark = pytest.mark.slow


@pytest.fixture
def store_process(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv("PINGAN_ANTIFRAUD_STORE_PROCESS", "true")
    get_antifraud_settings.cache_clear()
    yield
    get_antifraud_settings.cache_clear()


def _requests(n: int, tag: str) -> list:
    return [parse_screening_request(body(**RISKY) | {"request_id": f"{tag}-{i}"}) if i % 4 == 0
            else parse_screening_request(body(request_id=f"{tag}-{i}", amount=f"{300 + i}.00")) for i in range(n)]


def _stored() -> dict[str, tuple[str, int | None]]:
    with unit_of_work() as db:
        rows = db.execute(select(Screening.request_id, Screening.decision, Alert.id)
                          .outerjoin(Alert, Alert.screening_id == Screening.id))
        return {request_id: (decision.value, alert_id) for request_id, decision, alert_id in rows}


def _submit(runtime, req, *, on_loop: bool = True):
    return runtime.submit(req, caller_bank_id=None, submitted_by_id=None, on_loop=on_loop)


def test_decisions_from_the_loop_and_from_threads_are_committed_before_the_answer(committed_db, store_process):
    seed_county()
    runtime = get_runtime()
    loop_requests, thread_requests = _requests(40, "loop"), _requests(6, "thread")

    async def run() -> tuple[list, list, dict]:
        runtime.serve_on_loop()
        assert isinstance(runtime.writer, LoopStore)
        submissions = [_submit(runtime, req) for req in loop_requests]
        # A teller's page screens from a worker thread: its decision is handed to the loop.
        from_threads = await asyncio.gather(*(asyncio.to_thread(
            lambda req=req: _submit(runtime, req, on_loop=False).stored.result(timeout=10)) for req in thread_requests))
        answered = await asyncio.gather(*(s.wait() for s in submissions))
        seen_when_answered = _stored()
        await asyncio.to_thread(shutdown_runtime)  # as the server's lifespan ends it: from a thread
        return answered, from_threads, seen_when_answered

    answered, from_threads, stored = asyncio.run(run())
    for req, alert_id in zip(loop_requests + thread_requests, answered + from_threads, strict=True):
        decision, stored_alert = stored[req.request_id]
        assert stored_alert == alert_id
        assert (alert_id is not None) == (decision == "hold")
    assert all(answered[i] is not None for i in range(0, 40, 4))  # the risky ones are held


def test_a_row_the_database_refuses_fails_alone(committed_db, store_process):
    seed_county()
    runtime = get_runtime()
    first, second = _requests(3, "once"), _requests(3, "fresh")

    async def run() -> list:
        runtime.serve_on_loop()
        await asyncio.gather(*(_submit(runtime, req).wait() for req in first))
        runtime._seen.clear()  # as if these request ids were older than the idempotency memory
        outcomes = await asyncio.gather(*(_submit(runtime, req).wait() for req in [first[1], *second]),
                                        return_exceptions=True)
        await asyncio.to_thread(shutdown_runtime)
        return outcomes

    refused, *stored = asyncio.run(run())
    assert isinstance(refused, Conflict) and refused.code == "screening.request_id_reused"
    assert not any(isinstance(outcome, Exception) for outcome in stored)
    assert set(_stored()) == {req.request_id for req in first + second}


def _crash(runtime) -> int:
    """SIGKILL the store process; returns its pid."""
    process = runtime.writer.process
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=10)
    return process.pid


def test_what_a_dying_store_process_held_is_stored_by_its_replacement(committed_db, store_process):
    seed_county()
    runtime = get_runtime()
    requests = _requests(12, "crash")

    async def run() -> tuple[list, int, int]:
        runtime.serve_on_loop()
        submissions = [_submit(runtime, req) for req in requests]  # queued for this turn of the loop
        dead = _crash(runtime)
        answered = await asyncio.gather(*(s.wait() for s in submissions))
        replacement = runtime.writer.process.pid
        await asyncio.to_thread(shutdown_runtime)
        return answered, dead, replacement

    answered, dead, replacement = asyncio.run(run())
    assert replacement != dead
    stored = _stored()
    assert [stored[req.request_id][1] for req in requests] == answered
    assert all(answered[i] is not None for i in range(0, 12, 4))
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Screening)) == len(requests)
        assert db.scalar(select(func.count()).select_from(Alert)) == sum(a is not None for a in answered)


def test_decisions_two_store_processes_died_holding_fail_and_their_retries_are_screened(committed_db,
                                                                                          store_process):
    seed_county()
    runtime = get_runtime()
    requests = _requests(8, "twice")

    async def run() -> tuple[list, list]:
        runtime.serve_on_loop()
        while not runtime.writer.answering:  # the store process is up (it has answered its first message)
            await asyncio.sleep(0.01)
        submissions = [_submit(runtime, req) for req in requests]
        _crash(runtime)
        await asyncio.sleep(0)  # the loop's turn: the send fails, a replacement starts and is sent them again
        _crash(runtime)  # before it could answer
        failed = await asyncio.gather(*(s.wait() for s in submissions), return_exceptions=True)
        retried = await asyncio.gather(*(_submit(runtime, req).wait() for req in requests))
        await asyncio.to_thread(shutdown_runtime)
        return failed, retried

    failed, retried = asyncio.run(run())
    assert all(isinstance(f, StorageUnavailable) and f.code == "screening.storage_unavailable" for f in failed)
    stored = _stored()
    assert [stored[req.request_id][1] for req in requests] == retried


def test_storing_is_idempotent_byscreening_id(committed_db):
    """What a store process committed just before it died is not stored twice when its replacement is
    handed the same decision; another decision under a used request id is refused."""
    seed_county()
    runtime = get_runtime()
    first = runtime.submit(_requests(1, "idem")[0], caller_bank_id=None, submitted_by_id=None)
    alert_id = first.stored.result(timeout=10)
    row = repo.screening_row(repo.screening_values(first.pending))
    assert alert_id is not None and store_rows([dict(row)]) == [alert_id]
    refused, stored = store_rows([dict(row, id="other-decision"), dict(row, id="new", request_id="idem-new")])
    assert isinstance(refused, Conflict) and stored is not None
    shutdown_runtime()
    with unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(Alert)) == 2


def test_a_server_with_a_store_process_screens_over_http_and_at_the_counter(committed_db, store_process):
    keys = seed_county()
    app = create_app(run_scheduler=False)
    with TestClient(app):  # the lifespan starts the loop's store client
        assert isinstance(get_runtime().writer, LoopStore)
        api = TestClient(app, headers={"Authorization": f"Bearer {keys['TZB']}"})
        held = api.post(URL, json=body(**RISKY)).json()
        assert held["decision"] == "hold" and held["alert_id"]
        page = screen(Live(app, api, api, keys).as_user("teller1"), ORDINARY)
        assert page.status_code == 200, page.text
        counter_screening = screening_id(page.text)
    shutdown_runtime()
    with unit_of_work() as db:
        assert set(db.scalars(select(Screening.id))) == {held["screening_id"], counter_screening}


def test_a_decision_the_store_process_cannot_make_a_row_of_fails_alone(committed_db, store_process):
    seed_county()
    runtime = get_runtime()
    requests = _requests(8, "row")
    prepared = [prepare(req) for req in requests]
    prepared[3] = prepared[3]._replace(occurred_at="no time")  # the store process cannot read it back
    try:
        results, stored = runtime.submit_many(prepared, started=time.perf_counter())
        outcomes = stored.result(timeout=60)
    finally:
        shutdown_runtime()
    assert isinstance(outcomes.pop(3), StorageUnavailable)
    assert not any(isinstance(o, BaseException) for o in outcomes)
    assert set(_stored()) == {req.request_id for n, req in enumerate(requests) if n != 3}


def _stored_row(tag: str) -> dict:
    """A screening screened and stored through the runtime (then shut down), as the row the store wrote."""
    seed_county()
    first = get_runtime().submit(_requests(1, tag)[0], caller_bank_id=None, submitted_by_id=None)
    first.stored.result(timeout=10)
    shutdown_runtime()
    return repo.screening_row(repo.screening_values(first.pending))


def test_a_stored_batch_reads_back_as_it_was_written(committed_db):
    """Every value of a batch survives the batch insert (COPY on PostgreSQL): text that needs escaping in
    JSON and in COPY's own format, a NaN feature, the amount's cents, the time's zone, SQL NULL."""
    row = _stored_row("copy")
    tricky = 'tab\there, line\nbreak, back\\slash, "quote", 转账 \\N'
    rows = [dict(row, id=f"copy-{i}", request_id=f"copy-batch-{i}", typology=None if i else tricky[:40],
                 reasons=json_text([{"code": "x", "message": tricky}]), features=json_text([float("nan")]),
                 amount=row["amount"] + i, shadow=None) for i in range(3)]
    outcomes = store_rows(rows)
    assert len(outcomes) == 3 and not any(isinstance(o, Exception) for o in outcomes)
    with unit_of_work() as db:
        stored = {s.id: s for s in db.scalars(select(Screening).where(Screening.id.like("copy-%")))}
    assert sorted(stored) == ["copy-0", "copy-1", "copy-2"]
    for i in range(3):
        s = stored[f"copy-{i}"]
        assert s.typology == (None if i else tricky[:40])
        assert s.reasons == [{"code": "x", "message": tricky}]
        assert s.features == [None]  # NaN is stored as JSON null
        assert s.amount == row["amount"] + i
        assert s.received_at == row["received_at"] and s.received_at.tzinfo is not None
        assert s.shadow is None and s.request == row["request"]


def test_a_lost_database_connection_costs_the_batch_one_more_try(committed_db, monkeypatch, caplog):
    """As in the store process (no test query at each checkout): when the database has dropped the pooled
    connection (a restart), the next batch finds it broken and is stored whole on a new one."""
    if get_engine().dialect.name != "postgresql":
        pytest.skip("a pooled connection the server drops: PostgreSQL")
    row = _stored_row("lost")
    monkeypatch.setitem(core_db._ENGINE_OPTIONS, "pre_ping", True)  # restored after the test
    skip_pre_ping()
    try:
        (kept,) = store_rows([dict(row, id="lost-0", request_id="lost-batch-0")])  # leaves a pooled connection
        assert not isinstance(kept, Exception)
        other = make_engine(get_settings().resolved_database_url)
        with other.connect() as connection:
            dropped = connection.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar()
        other.dispose()
        assert dropped >= 1
        with caplog.at_level("WARNING", logger="pingan.antifraud.store"):
            outcomes = store_rows([dict(row, id=f"lost-{i}", request_id=f"lost-batch-{i}") for i in (1, 2)])
        assert len(outcomes) == 2 and not any(isinstance(o, Exception) for o in outcomes)
        assert "storing the batch again" in caplog.text and "one by one" not in caplog.text
    finally:
        reset_engine()
