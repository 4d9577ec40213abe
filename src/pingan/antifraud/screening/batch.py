"""Batch screening of a JSONL file (`pingan antifraud screen`) through the service's own runtime: the same
engine, state, idempotency memory and storage as the HTTP API, with the stateless work spread over
processes.

Three stages overlap. Parsing workers validate lines and prepare them (`PreparedRequest`); this process
decides each chunk in input order (`ScreeningRuntime.submit_many`); the store writes each chunk in one
transaction. A chunk's output lines are written only once its decisions are stored, in input order, so
the output never shows a decision the database does not hold.
"""

from __future__ import annotations

import collections
import itertools
import marshal
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from pingan.antifraud.screening.helpers import pipes
from pingan.antifraud.screening.prepared import PreparedRequest, from_plain, prepare_body, to_plain
from pingan.core import heap
from pingan.core.errors import AppError, ValidationFailed

CHUNK_LINES = 1000
IN_FLIGHT = 4  # chunks decided and on their way to storage at once
# Chunks read ahead of the one being decided: the workers keep preparing while this process boots the
# runtime (a second or two), instead of idling; about 1 MB each once prepared.
READ_AHEAD = 32


@dataclass
class Refusals:
    """The refused lines of a file, for the terminal: how many of each error code, and the first few."""

    keep: int = 5
    by_code: collections.Counter = field(default_factory=collections.Counter)
    first: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, code, why)

    def add(self, line: dict) -> None:
        error = line["error"]
        self.by_code[error["code"]] += 1
        if len(self.first) < self.keep:
            why = "; ".join(f"{d['field']}: {d.get('message') or d['code']}" for d in error["details"])
            self.first.append((line["line"], error["code"], why or error["message"]))

    def total(self) -> int:
        return sum(self.by_code.values())


def default_workers(lines: int) -> int:
    """Parsing workers: one per core beside this process; none for a file of a single chunk."""
    return 0 if lines <= CHUNK_LINES else max(1, (os.cpu_count() or 2) - 1)


def error_line(number: int, request_id: str | None, code: str, message: str, details: list[dict]) -> dict:
    return {"line": number, "request_id": request_id,
            "error": {"code": code, "message": message, "details": details}}


def prepare_chunk(job: tuple[int, list[bytes]]) -> tuple[int, bytes]:
    """A chunk of lines, each prepared for the engine or turned into its error line (worker processes).

    Sent back in `marshal`'s format (`to_plain`; `unpack_chunk` rebuilds them).
    """
    first, lines = job
    out: list[tuple | dict] = []
    for number, raw in enumerate(lines, first):
        try:
            out.append(to_plain(prepare_body(raw)))
        except ValidationFailed as exc:
            out.append(_refusal(number, _request_id(raw), exc))
    return first, marshal.dumps(out)


def unpack_chunk(data: bytes) -> list[PreparedRequest | dict]:
    return [from_plain(e) if isinstance(e, tuple) else e for e in marshal.loads(data)]


def _request_id(raw: bytes) -> str | None:
    try:
        request_id = orjson.loads(raw).get("request_id")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return request_id if isinstance(request_id, str) else None


def _chunks(path: Path, window: threading.Semaphore) -> Iterator[tuple[int, list[bytes]]]:
    # Read ahead only as far as `window` allows, so a large file is never held in memory whole.
    with path.open("rb") as fh:
        number = 1
        while True:
            window.acquire()
            lines = list(itertools.islice(fh, CHUNK_LINES))
            if not lines:
                return
            yield number, lines
            number += len(lines)


def screen_file(source: Path, target: Path, *, workers: int, on_progress: Callable[[int], None] = lambda n: None,
                refusals: Refusals | None = None) -> collections.Counter:
    """Screen every line of `source` into `target` (one output line per input line, in order); returns
    the count of each decision and of refused lines, whose codes and first lines go to `refusals`."""
    # lazy: the worker processes import this module and need neither the runtime nor the service
    from pingan.antifraud.screening.runtime.boot import get_runtime

    refusals = Refusals() if refusals is None else refusals

    counts: collections.Counter = collections.Counter()
    waiting: collections.deque = collections.deque()
    window = threading.Semaphore(READ_AHEAD)
    with target.open("wb") as out:
        # The workers start (and prepare the first chunks) while this process boots the runtime.
        with pipes.without_main_script():
            pool = multiprocessing.get_context("spawn").Pool(workers, initializer=heap.settle) if workers else None
        try:
            chunks = _chunks(source, window)
            prepared_chunks = pool.imap(prepare_chunk, chunks) if pool else map(prepare_chunk, chunks)
            runtime = get_runtime()
            heap.settle()
            for first, packed in prepared_chunks:
                window.release()
                prepared = unpack_chunk(packed)
                items = [p for p in prepared if isinstance(p, PreparedRequest)]
                results, stored = runtime.submit_many(items, started=time.perf_counter())
                waiting.append((first, prepared, results, stored))
                while waiting and (len(waiting) > IN_FLIGHT or waiting[0][3].done()):
                    on_progress(_write(out, *waiting.popleft(), counts, refusals))
            while waiting:
                on_progress(_write(out, *waiting.popleft(), counts, refusals))
        finally:
            if pool is not None:
                window.release(CHUNK_LINES)  # never leave the pool's feeder waiting on the window
                pool.terminate()
                pool.join()
    return counts


def _write(out, first: int, prepared: list, results: list, stored, counts: collections.Counter,
           refusals: Refusals) -> int:
    # lazy: the worker processes import this module and need neither the runtime nor the service
    from pingan.antifraud.screening import service
    from pingan.antifraud.screening.runtime.runtime import PendingScreening, Repeat

    outcomes, decided, lines = iter(stored.result()), iter(results), []
    for number, entry in enumerate(prepared, first):
        if isinstance(entry, dict):  # refused by validation in a worker
            line = entry
        else:
            result = next(decided)
            if isinstance(result, PendingScreening):
                outcome = next(outcomes)
                line = service.result_dict(result, outcome) if not isinstance(outcome, BaseException) else \
                    _refusal(number, entry.request_id, outcome)
            elif isinstance(result, Repeat):
                line = _repeated(number, entry.request_id, result)
            else:
                line = _refusal(number, entry.request_id, result)
        counts[line.get("decision", "refused")] += 1
        if "error" in line:
            refusals.add(line)
        lines.append(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
    out.write(b"".join(lines))
    return len(prepared)


def _repeated(number: int, request_id: str | None, repeat) -> dict:
    """The stored first answer of a repeated request id. One first screened by another process (a shared
    state) may still be on its way to the database: waited for as the API waits; not there by then, that
    process died before storing it, so its claim is dropped and the line refused — a re-run screens it."""
    # lazy: the worker processes import this module and need neither the runtime nor the service
    from pingan.antifraud.screening import service
    from pingan.antifraud.screening.runtime.current import current_runtime

    try:
        if repeat.claimed is None:
            return service.stored_result(repeat.screening_id)
        try:
            return service.stored_result(repeat.screening_id, wait_seconds=service.CLAIM_WAIT_SECONDS)
        except service.FirstAnswerPending:
            current_runtime().forget_dead_claim(repeat.claimed)
            raise
    except AppError as exc:  # the first could not be stored
        return _refusal(number, request_id, exc)


def _refusal(number: int, request_id: str | None, exc: BaseException) -> dict:
    if isinstance(exc, AppError):
        return error_line(number, request_id, exc.code, exc.message, [d.as_dict() for d in exc.details])
    return error_line(number, request_id, "screening.storage_failed", f"保存失败 / storing failed: {exc}", [])
