"""The ``pingan`` command: serve, demo, database, organisation, users, API keys, jobs (modules add groups)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from typer.core import TyperGroup

from pingan import registry
from pingan.core.db import get_engine, unit_of_work
from pingan.core.errors import AppError
from pingan.platform.people import cli as people_cli
from pingan.platform.places import cli as places_cli

NO_SCHEMA = ("数据库尚未建表或版本过旧，请先运行 `pingan db upgrade` / the database schema is missing or out of date: "
             "run `pingan db upgrade`")
# SQLSTATEs of PostgreSQL for a table or column that does not exist.
_PG_UNDEFINED = frozenset({"42P01", "42703"})


def schema_missing(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) is a database without our tables or columns."""
    while exc is not None:
        if isinstance(exc, DBAPIError):
            if getattr(exc.orig, "sqlstate", None) in _PG_UNDEFINED:
                return True
            text = str(exc.orig)
            if text.startswith(("no such table", "no such column")) or " has no column named " in text:
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def unreachable(exc: BaseException) -> str | None:
    """The driver's reason when ``exc`` (or what it was raised from) is a database that could not be opened
    or reached: a server that is down, a database not created, a file in a folder that does not exist."""
    while exc is not None:
        if isinstance(exc, OperationalError):
            text = str(exc.orig).strip()
            if text.startswith(("connection failed", "connection is bad", "unable to open database file")):
                return " ".join(line.strip() for line in text.splitlines())
        exc = exc.__cause__ or exc.__context__
    return None


def _unreachable_advice(reason: str) -> str:
    from pingan.core.config import get_settings  # lazy: only for this message

    url = make_url(get_settings().resolved_database_url)
    advice = f"无法打开数据库 / cannot open the database {url.render_as_string(hide_password=True)}: {reason}"
    if "does not exist" in reason and url.get_backend_name() == "postgresql":
        where = " ".join(f"{flag} {value}" for flag, value in (("-h", url.host), ("-p", url.port),
                                                               ("-U", url.username)) if value)
        advice += f"\n先创建数据库 / create it first: createdb {where} {url.database}"
    return advice


class _Commands(TyperGroup):
    """The root group: every command on a database that was never migrated, or that cannot be opened, gets
    one line of advice (exit 2) instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if schema_missing(exc):
                err.print(NO_SCHEMA, highlight=False, soft_wrap=True)
                raise typer.Exit(2) from None
            reason = unreachable(exc)
            if reason is None:
                raise
            err.print(_unreachable_advice(reason), highlight=False, soft_wrap=True, markup=False)
            raise typer.Exit(2) from None


app = typer.Typer(help="Pingan 平安 — community-safety platform of a county police branch.", no_args_is_help=True,
                  pretty_exceptions_enable=False, cls=_Commands)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
org_app = typer.Typer(help="Organisation: jurisdiction tree and banks.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for people and bank systems.", no_args_is_help=True)
jobs_app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="apikeys")
app.add_typer(jobs_app, name="jobs")
for _name, _group in registry.cli_groups():
    app.add_typer(_group, name=_name)
app.add_typer(places_cli.app, name="places")
app.add_typer(people_cli.app, name="people")

console = Console()
err = Console(stderr=True)


def fail(exc: AppError) -> None:
    err.print(f"[red]{exc.code}[/red]: {exc.message}")
    for d in exc.details:
        err.print(f"  - {d.field}: {d.message or d.code}")
    raise typer.Exit(2)


def _require_schema() -> None:
    """Refuse before starting when the database was never migrated: the server would otherwise fail in its
    start-up, inside the web server, with a traceback. (A missing table raises here, which the root group
    turns into the advice.)"""
    with get_engine().connect() as conn:
        migrated = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    if migrated is None:
        err.print(NO_SCHEMA, highlight=False, soft_wrap=True)
        raise typer.Exit(2)


def load_modules() -> None:
    """Import every module so its jobs, event handlers and demo loaders register."""
    registry.load()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    scheduler: Annotated[bool, typer.Option(help="Run the job scheduler inside the server.")] = True,
    access_log: Annotated[bool, typer.Option(help="Log every request (costs throughput).")] = False,
    header_timeout: Annotated[float | None, typer.Option(
        help="Seconds a client may take to send a request's headers [default: PINGAN_HEADER_TIMEOUT_SECONDS].")] = None,
    keep_alive: Annotated[float | None, typer.Option(
        help="Seconds an idle connection stays open [default: PINGAN_KEEP_ALIVE_SECONDS].")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Server processes on this port (more than one needs "
                                                     "PostgreSQL; see docs/scaling.md).")] = 1,
) -> None:
    """Serve the web pages and the API (body limits and time-outs: docs/operations.md, "Web security")."""
    import uvicorn  # lazy: the server and the app are loaded only by this command

    from pingan.app import create_app
    from pingan.core.config import get_settings
    from pingan.web import server

    _require_schema()
    settings = get_settings()
    if workers > 1:
        _serve_workers(workers, host=host, port=port, scheduler=scheduler, access_log=access_log,
                       header_timeout=header_timeout or settings.header_timeout_seconds,
                       keep_alive=keep_alive or settings.keep_alive_seconds)
        return
    load_modules()
    uvicorn.run(create_app(run_scheduler=scheduler), host=host, port=port, log_level="info",
                proxy_headers=True, access_log=access_log,
                http=server.protocol(header_timeout or settings.header_timeout_seconds),
                timeout_keep_alive=keep_alive or settings.keep_alive_seconds)


def _serve_workers(workers: int, *, host: str, port: int, scheduler: bool, access_log: bool, header_timeout: float,
                   keep_alive: float) -> None:
    """Several server processes on one socket (uvicorn's supervisor restarts one that dies). Each has its own
    screening preparer and store processes; the shared jobs run in one of them (jobs.leader)."""
    import uvicorn  # lazy: the server is loaded only by this command

    from pingan.core.config import get_settings

    if not get_settings().resolved_database_url.startswith("postgresql"):
        err.print("[red]--workers above 1 needs PostgreSQL (PINGAN_DATABASE_URL); SQLite serves one process / "
                  "多进程需要 PostgreSQL[/red]")
        raise typer.Exit(2)
    # The workers are new interpreters: they read their options from the environment.
    os.environ["PINGAN_RUN_SCHEDULER"] = "true" if scheduler else "false"
    os.environ["PINGAN_HEADER_TIMEOUT_SECONDS"] = str(header_timeout)
    uvicorn.run("pingan.app:create_app", factory=True, workers=workers, host=host, port=port, log_level="info",
                proxy_headers=True, access_log=access_log, http="pingan.web.server:ConfiguredProtocol",
                timeout_keep_alive=keep_alive, timeout_worker_healthcheck=30)


@app.command()
def demo(
    month: Annotated[bool, typer.Option(help="Load the simulated month of anti-fraud work (screenings, alerts, "
                                             "intel, a trained model); benchmarks load the county without it.")] = True,
) -> None:
    """Load the demo county, its users and the modules' demo records, a simulated month of anti-fraud work
    among them (safe to run again: what is loaded stays, nothing is doubled)."""
    # lazy: a command loads only what it uses
    from pingan.platform.demo import DEMO_PASSWORD, load_after_commit, load_demo

    load_modules()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        with unit_of_work() as db:
            users = load_demo(db, progress=progress)
        summaries = load_after_commit(progress=progress) if month else []
    for loaded in summaries:
        console.print(str(loaded), highlight=False)
    table = Table(title=f"演示账号 Demo users (password / 密码: {DEMO_PASSWORD})")
    for col in ("username", "role", "where"):
        table.add_column(col)
    for u in users:
        table.add_row(u.username, u.role.value, u.unit or u.branch or "")
    console.print(table)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "heads") -> None:
    """Apply database migrations."""
    from pingan.core.migrate import upgrade  # lazy: a command loads only what it uses

    upgrade(revision)
    console.print(f"database at {revision}")


@org_app.command("load")
def org_load(file: Annotated[Path, typer.Argument(exists=False)]) -> None:
    """Create or update the organisation from a YAML file (all or nothing)."""
    from pingan.platform.org import service as org_service  # lazy: a command loads only what it uses
    from pingan.platform.org.loader import parse_org_file

    try:
        spec = parse_org_file(file)
        with unit_of_work() as db:
            changes = org_service.apply_org_file(db, spec)
    except AppError as exc:
        fail(exc)
    console.print(", ".join(f"{k}={v}" for k, v in changes.items()))


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[str, typer.Option(help="admin, leader, analyst, duty_officer, community_officer, "
                                           "teller, bank_system, grid_worker, mediator, window_clerk, partner_clerk")],
    unit: Annotated[str | None, typer.Option(help="Unit code (police roles).")] = None,
    branch: Annotated[str | None, typer.Option(help="Bank branch code (tellers).")] = None,
    bank: Annotated[str | None, typer.Option(help="Bank code (bank systems).")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Create a user account."""
    from pingan.platform.auth import service as auth  # lazy: a command loads only what it uses

    try:
        with unit_of_work() as db:
            user = auth.create_user(db, username=username, password=password, role=auth.parse_role(role),
                                    display_name=name, unit_code=unit, branch_code=branch, bank_code=bank)
            console.print(f"created user {user.username} ({user.role.value})")
    except AppError as exc:
        fail(exc)


@keys_app.command("create")
def apikeys_create(
    user: Annotated[str | None, typer.Option(help="Username the key acts as.")] = None,
    bank: Annotated[str | None, typer.Option(help="Bank code: the key acts as that bank's system.")] = None,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "api",
) -> None:
    """Create an API key and print it once (only its hash is kept)."""
    from pingan.platform.auth import service as auth  # lazy: a command loads only what it uses

    if (user is None) == (bank is None):
        err.print("give exactly one of --user or --bank / 须且只能指定 --user 或 --bank")
        raise typer.Exit(2)
    try:
        with unit_of_work() as db:
            owner = auth.get_user(db, user) if user else auth.bank_system_user(db, bank)
            _, plain = auth.create_api_key(db, user=owner, name=name)
    except AppError as exc:
        fail(exc)
    console.print(plain, soft_wrap=True, highlight=False)


@keys_app.command("list")
def apikeys_list() -> None:
    """List API keys (prefix, owner, created, last used, revoked); the keys themselves are never stored."""
    from pingan.platform.auth import service as auth  # lazy: a command loads only what it uses

    table = Table()
    for col in ("prefix", "user", "name", "created", "revoked"):
        table.add_column(col)
    with unit_of_work() as db:
        for key in auth.list_api_keys(db):
            table.add_row(key.prefix, key.user.username, key.name, key.created_at.isoformat(timespec="seconds"),
                          key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "")
    console.print(table)


@keys_app.command("revoke")
def apikeys_revoke(prefix: Annotated[str, typer.Argument(help="The key's prefix, as `apikeys list` shows.")]) -> None:
    """Revoke an API key (the screening API notices within PINGAN_ANTIFRAUD_API_KEY_CACHE_SECONDS)."""
    from pingan.platform.auth import service as auth  # lazy: a command loads only what it uses

    try:
        with unit_of_work() as db:
            auth.revoke_api_key(db, prefix=prefix)
    except AppError as exc:
        fail(exc)
    console.print(f"revoked {prefix}")


@jobs_app.command("run")
def jobs_run() -> None:
    """Run the scheduler in the foreground (for a separate scheduler process)."""
    from pingan.platform.jobs import Scheduler  # lazy: a command loads only what it uses

    load_modules()
    console.print("scheduler running; Ctrl-C to stop")
    with contextlib.suppress(KeyboardInterrupt):
        Scheduler().run_forever()


@jobs_app.command("run-once")
def jobs_run_once(name: Annotated[str, typer.Argument()]) -> None:
    """Run one job now."""
    from pingan.platform import jobs  # lazy: a command loads only what it uses

    load_modules()
    if name not in jobs.all_jobs():
        err.print(f"unknown job {name}; known: {', '.join(sorted(jobs.all_jobs()))}")
        raise typer.Exit(2)
    console.print(f"{name}: {jobs.run_once(name)}")


@jobs_app.command("list")
def jobs_list() -> None:
    """List the registered jobs."""
    from pingan.platform import jobs  # lazy: a command loads only what it uses

    load_modules()
    for job in jobs.all_jobs().values():
        console.print(f"{job.name}\tevery {job.every_seconds():g}s\t{job.description}")


if __name__ == "__main__":
    app()
