"""``pingan antifraud …``: batch screening of a JSONL file and intel list import."""

from __future__ import annotations

import collections
import time
from pathlib import Path
from typing import Annotated

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pingan.core.db import unit_of_work
from pingan.core.errors import AppError

app = typer.Typer(help="警银通 anti-fraud: screening, intel lists.", no_args_is_help=True)
intel_app = typer.Typer(help="Intel lists (fraud-linked accounts, phones, ID numbers, devices).",
                        no_args_is_help=True)
app.add_typer(intel_app, name="intel")
console = Console(stderr=True)


def _fail(exc: AppError) -> None:
    console.print(f"[red]{exc.code}[/red]: {exc.message}")
    for d in exc.details:
        console.print(f"  - {d.field}: {d.message or d.code}")
    raise typer.Exit(2)


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


@app.command("screen")
def screen(
    input: Annotated[Path, typer.Option("--input", "-i", help="JSONL file of screening requests (contract v1).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file of decisions, one per input line.")],
) -> None:
    """Screen a file in order, with the same engine, state and storage as the service."""
    from pingan.antifraud import service
    from pingan.antifraud.runtime import get_runtime, shutdown_runtime
    from pingan.antifraud.schemas import error_details, parse_screening_request

    if not input.is_file():
        console.print(f"[red]no such file[/red]: {input}")
        raise typer.Exit(2)
    total = _count_lines(input)
    runtime = get_runtime()
    waiting: collections.deque = collections.deque()
    counts = collections.Counter()
    started_all = time.perf_counter()

    def emit_ready(out, *, block: bool) -> None:
        while waiting and (block or waiting[0][0] is None or waiting[0][0].stored.done()):
            submission, started, line = waiting.popleft()
            if submission is not None:
                alert_id = submission.stored.result()
                line = service.result_dict(submission, alert_id) if submission.decision else \
                    service.stored_result(submission.screening_id)
                counts[line["decision"]] += 1
            out.write(orjson.dumps(line) + b"\n")

    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with output.open("wb") as out, Progress(*columns, console=console) as progress:
        task = progress.add_task("screen", total=total)
        with input.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                started = time.perf_counter()
                try:
                    req = parse_screening_request(raw)
                    waiting.append((runtime.submit(req, caller_bank_id=None, submitted_by_id=None,
                                                   started=started), started, None))
                except ValidationError as exc:
                    counts["invalid"] += 1
                    waiting.append((None, started, _error_line(raw, number, "request.invalid",
                                                                "请求内容不合法 / invalid request",
                                                                [d.as_dict() for d in error_details(exc)])))
                except AppError as exc:
                    counts["refused"] += 1
                    waiting.append((None, started, _error_line(raw, number, exc.code, exc.message,
                                                                [d.as_dict() for d in exc.details])))
                emit_ready(out, block=False)
                progress.advance(task)
        emit_ready(out, block=True)
    shutdown_runtime()
    elapsed = time.perf_counter() - started_all
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    console.print(f"screened {total} lines in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f}/s): {summary}")


def _error_line(raw: bytes, number: int, code: str, message: str, details: list[dict]) -> dict:
    try:
        request_id = orjson.loads(raw).get("request_id")
    except (orjson.JSONDecodeError, AttributeError):
        request_id = None
    return {"line": number, "request_id": request_id,
            "error": {"code": code, "message": message, "details": details}}


@intel_app.command("import")
def intel_import(file: Annotated[Path, typer.Argument(help="CSV: kind,value,typology,source,listed_on")]) -> None:
    """Import an intel list (all rows or none); listed values take effect for every bank."""
    from pingan.antifraud import intel

    try:
        rows = intel.parse_csv(file.read_text(encoding="utf-8"))
        with unit_of_work() as db:
            counts = intel.list_entries(db, rows, actor=None)
    except OSError as exc:
        console.print(f"[red]cannot read[/red] {file}: {exc}")
        raise typer.Exit(2) from None
    except AppError as exc:
        _fail(exc)
    typer.echo(", ".join(f"{k}={v}" for k, v in counts.items()))
