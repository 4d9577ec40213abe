"""``pingan antifraud …``: batch screening of a JSONL file and intel list import."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pingan.core.db import session_factory, unit_of_work
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
    workers: Annotated[int | None, typer.Option(
        min=0, help="Parsing worker processes (default: one per core beside this one; 0: none).")] = None,
) -> None:
    """Screen a file in order, with the same engine, state and storage as the service."""
    from pingan.antifraud.screening import batch  # lazy: a command loads only what it uses
    from pingan.antifraud.screening.runtime.current import shutdown_runtime

    if not input.is_file():
        console.print(f"[red]no such file[/red]: {input}")
        raise typer.Exit(2)
    total = _count_lines(input)
    started = time.perf_counter()
    refusals = batch.Refusals()
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("screen", total=total)
        counts = batch.screen_file(input, output, workers=batch.default_workers(total) if workers is None else workers,
                                   on_progress=lambda n: progress.advance(task, n), refusals=refusals)
    shutdown_runtime()
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    console.print(f"screened {total} lines in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f}/s): {summary}")
    if refusals.total():
        codes = ", ".join(f"{code}={n}" for code, n in refusals.by_code.most_common())
        console.print(f"[red]refused {refusals.total()} of {total} lines[/red] / 拒绝 {refusals.total()} 行: {codes}",
                      highlight=False)
        for number, code, why in refusals.first:
            console.print(f"  line {number}: {code} — {why}", highlight=False, markup=False)
        if refusals.total() > len(refusals.first):
            console.print(f"  … every refused line is in {output} with its reason", highlight=False, markup=False)


@intel_app.command("import")
def intel_import(file: Annotated[Path, typer.Argument(help="CSV: kind,value,typology,source,listed_on")]) -> None:
    """Import an intel list (all rows or none); listed values take effect for every bank."""
    from pingan.antifraud.intel import service as intel  # lazy: a command loads only what it uses

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


# ---- simulator and model lifecycle ---------------------------------------------------------------------

models_app = typer.Typer(help="Model registry: list, activate, roll back, shadow challenger.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@app.command("simulate")
def simulate_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for requests.jsonl, labels.jsonl, "
                                      "labelled.jsonl, intel.csv and org.yaml.")],
    customers: Annotated[int, typer.Option(min=10, help="Bank customers in the county.")] = 20_000,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days simulated from day 0.")] = 30,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 1,
    config: Annotated[Path | None, typer.Option(help="YAML overriding simulator/default.yaml.")] = None,
) -> None:
    """Simulate a county's remittances and the fraud that hits them (labelled, contract v1)."""
    from pingan.antifraud.simulator import simulate  # lazy: a command loads only what it uses

    summary = simulate(out, customers=customers, days=days, seed=seed, config=config)
    shares = ", ".join(f"{k}={v}" for k, v in summary.typologies.most_common())
    console.print(f"{summary.requests:,} requests, {summary.fraud_requests:,} fraudulent in {summary.cases} cases "
                  f"({shares}); {summary.intel_rows} intel rows")
    typer.echo(str(out))


@app.command("train")
def train_command(
    input: Annotated[Path | None, typer.Option("--input", "-i", help="Labelled JSONL (request + label) or a "
                                               "simulator directory.")] = None,
    from_outcomes: Annotated[bool, typer.Option("--from-outcomes", help="Labels from closed alerts.")] = False,
    intel: Annotated[Path | None, typer.Option(help="Intel CSV known before the data (default: intel.csv "
                                               "beside the input).")] = None,
    activate: Annotated[bool, typer.Option("--activate", help="Make the new model the active one.")] = False,
    exclude: Annotated[list[str], typer.Option("--exclude-typology", help="Leave a typology out.")] = [],  # noqa: B006
    seed: Annotated[int, typer.Option(help="LightGBM seed.")] = 7,
    note: Annotated[str | None, typer.Option(help="Why this model was trained.")] = None,
) -> None:
    """Train a model on replayed features; prints the new model ID as the last line."""
    from pingan.antifraud.modeling import lifecycle  # lazy: a command loads only what it uses
    from pingan.antifraud.modeling.dataset import load_dataset
    from pingan.antifraud.modeling.train import NotEnoughData

    if (input is None) == (not from_outcomes):
        console.print("[red]give exactly one of --input FILE or --from-outcomes[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    try:
        # A read session for the data, and the unit of work only for the registration (its transaction
        # begins after the training): on SQLite a unit of work holds the write lock from its first statement.
        if from_outcomes:
            with session_factory()() as read:
                ds = lifecycle.dataset_from_outcomes(read)
        else:
            if not input.exists():
                console.print(f"[red]no such file[/red]: {input}")
                raise typer.Exit(2)
            ds = load_dataset(input, intel=intel)
        console.print(f"replayed {len(ds):,} screenings ({int(ds.y.sum()):,} fraud) "
                      f"in {time.perf_counter() - started:.1f} s")
        with unit_of_work() as db:
            artefact = lifecycle.train_and_register(db, ds, source="outcomes" if from_outcomes else "file",
                                                    activate=activate, note=note, seed=seed, exclude=tuple(exclude))
    except lifecycle.OutcomesUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except NotEnoughData as exc:
        console.print(f"[red]not enough data[/red]: {exc}")
        raise typer.Exit(2) from None
    except AppError as exc:
        _fail(exc)
    m = artefact.meta.get("metrics") or {}
    at = m.get("at_0.5%") or {}
    console.print(f"trained in {time.perf_counter() - started:.1f} s: {artefact.meta['params']['num_boost_round']} "
                  f"trees; test period AUC {m.get('auc', float('nan')):.4f}, recall at 0.5% legitimate holds "
                  f"{at.get('fraud_recall', float('nan')):.3f}{'; activated' if activate else ''}")
    typer.echo(artefact.model_id)


@app.command("train-default")
def train_default_command() -> None:
    """Rebuild the shipped default model (src/pingan/data/models/default) from the fixed simulation."""
    from pingan.antifraud.modeling.lifecycle import build_default  # lazy: a command loads only what it uses

    artefact = build_default()
    typer.echo(artefact.model_id)


@app.command("evaluate")
def evaluate_command(
    input: Annotated[Path | None, typer.Option("--input", "-i", help="Labelled JSONL or a simulator directory."
                                               )] = None,
    from_outcomes: Annotated[bool, typer.Option("--from-outcomes", help="Labels from closed alerts.")] = False,
    model: Annotated[str | None, typer.Option("--model", help="Model ID (default: the active model).")] = None,
    out: Annotated[Path | None, typer.Option(help="Report directory (default reports/<model ID>).")] = None,
    intel: Annotated[Path | None, typer.Option(help="Intel CSV (default: intel.csv beside the input).")] = None,
    hold_rate: Annotated[float, typer.Option(help="Legitimate hold rate to find a threshold for.")] = 0.005,
) -> None:
    """Write a Markdown report with PNG plots: hold rates, recall, money held, loss prevented, by typology."""
    from pingan.antifraud.modeling import lifecycle  # lazy: a command loads only what it uses
    from pingan.antifraud.settings import get_antifraud_settings

    if (input is None) == (not from_outcomes):
        console.print("[red]give exactly one of --input FILE or --from-outcomes[/red]")
        raise typer.Exit(2)
    if input is not None and not input.exists():
        console.print(f"[red]no such file[/red]: {input}")
        raise typer.Exit(2)
    options = {"hold_threshold": get_antifraud_settings().hold_threshold, "hold_rate": hold_rate}
    try:
        with session_factory()() as db:  # only reads: no write lock on SQLite while the model is evaluated
            artefact = lifecycle.resolve_artefact(db, model)
            target = out or Path("reports") / artefact.model_id
            if from_outcomes:
                report, result = lifecycle.evaluate_outcomes(db, artefact, out=target, **options)
        if not from_outcomes:
            report, result = lifecycle.evaluate_file(artefact, input, out=target, intel=intel, **options)
    except lifecycle.OutcomesUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    except AppError as exc:
        _fail(exc)
    at = result["at_hold_rates"].get("0.005") or {}
    console.print(f"AUC {result['auc_model']:.4f}; at 0.5% legitimate holds: recall {at.get('fraud_recall', 0):.3f}, "
                  f"loss prevented {at.get('loss_prevented', 0):.3f}")
    typer.echo(str(report))


@models_app.command("list")
def models_list() -> None:
    """Registered models, newest first, with their state and test-period figures (one per line)."""
    from pingan.antifraud.modeling import registry  # lazy: a command loads only what it uses

    with unit_of_work() as db:
        rows = registry.list_models(db)
        typer.echo(f"shipped default: {registry.default_model_id() or 'none'}"
                   f"{'' if any(r.is_active for r in rows) else ' (scoring: no registered model is active)'}")
        typer.echo("model_id\tstate\tsource\tauc\trecall@0.5%\tcreated_at")
        for r in rows:
            state = "active" if r.is_active else "shadow" if r.is_shadow else "-"
            at = (r.metrics or {}).get("at_0.5%") or {}
            typer.echo(f"{r.model_id}\t{state}\t{r.source}\t{(r.metrics or {}).get('auc', float('nan')):.4f}\t"
                       f"{at.get('fraud_recall', float('nan')):.3f}\t{r.created_at:%Y-%m-%d %H:%M}")


@models_app.command("activate")
def models_activate(model_id: Annotated[str, typer.Argument(help="Model ID from `models list`.")],
                    note: Annotated[str | None, typer.Option(help="Why (kept in the audit trail).")] = None) -> None:
    """Make a model the one that decides (audited; running servers follow within seconds)."""
    from pingan.antifraud.modeling import registry  # lazy: a command loads only what it uses

    try:
        with unit_of_work() as db:
            registry.activate(db, model_id=model_id, actor=None, note=note)
    except AppError as exc:
        _fail(exc)
    typer.echo(f"active: {model_id}")


@models_app.command("rollback")
def models_rollback(note: Annotated[str | None, typer.Option(help="Why (kept in the audit trail).")] = None) -> None:
    """Go back to the previously active model (or the shipped default)."""
    from pingan.antifraud.modeling import registry  # lazy: a command loads only what it uses

    try:
        with unit_of_work() as db:
            previous = registry.rollback(db, actor=None, note=note)
            name = previous.model_id if previous else f"shipped default ({registry.default_model_id()})"
    except AppError as exc:
        _fail(exc)
    typer.echo(f"active: {name}")


@models_app.command("compare")
def models_compare(days: Annotated[int | None, typer.Option(min=1, help="Only screenings of the last N days "
                                                             "(default: all).")] = None) -> None:
    """The shadow challenger against the deciding model: agreement, decisions side by side, alert outcomes."""
    # lazy: a command loads only what it uses
    from pingan.antifraud.modeling.challenger import DECISIONS, LABELS, compare
    from pingan.core import clock

    since = clock.now() - dt.timedelta(days=days) if days else None
    with unit_of_work() as db:
        result = compare(db, since=since)
    typer.echo(f"screenings: {result.screenings}, scored in shadow: {result.scored}")
    for c in result.challengers:
        active = ", ".join(f"{k} ({v})" for k, v in sorted(c.active_models.items(), key=lambda kv: -kv[1]))
        typer.echo(f"challenger {c.challenger} against {active}: {c.scored} screenings, "
                   f"agreement {c.agreement:.1%}, challenger-only holds {c.challenger_only_holds}")
        typer.echo("active \\ challenger\t" + "\t".join(DECISIONS))
        for a in DECISIONS:
            typer.echo(f"{a}\t" + "\t".join(str(c.confusion[a][b]) for b in DECISIONS))
        for label in LABELS:
            if c.labelled(label):
                typer.echo(f"alerts closed as {label}: {c.labelled(label)}; held by active "
                           f"{c.held('active', label)}, by challenger {c.held('challenger', label)}")


@models_app.command("shadow")
def models_shadow(model_id: Annotated[str | None, typer.Argument(help="Challenger model ID; omit to stop.")] = None
                  ) -> None:
    """Score a challenger in shadow beside the active model (logged, never deciding)."""
    from pingan.antifraud.modeling import registry  # lazy: a command loads only what it uses

    try:
        with unit_of_work() as db:
            registry.set_shadow(db, model_id=model_id, actor=None)
    except AppError as exc:
        _fail(exc)
    typer.echo(f"shadow: {model_id or 'none'}")
