"""Database engine, declarative base with an explicit naming convention, and the unit-of-work helper."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import operator
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import orjson
from sqlalchemy import ColumnElement, DateTime, Enum, MetaData, Select, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from pingan.core.config import get_settings

SQLITE_BEGIN_OPTION = "pingan_sqlite_begin"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always hands back aware UTC values (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed decision survives a power cut too; group commit keeps the fsyncs few.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A deferred transaction that has read cannot become a writer once another connection has committed:
    # SQLite answers "database is locked" at once and never calls the busy handler (it would have to wait
    # for a snapshot that can no longer be current). A unit of work that may write therefore takes the
    # write lock when it begins (BEGIN IMMEDIATE), waiting up to busy_timeout for it; read sessions stay
    # deferred and never wait (WAL readers do not block writers).
    mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def json_text(value) -> str:
    """A value as a JSON column stores it (the engine's serializer, and `insert_rows(..., encoded=...)`)."""
    # orjson writes NaN as null (valid JSON for PostgreSQL) and is several times faster than json.
    return orjson.dumps(value, default=str).decode()


# `skip_pre_ping` turns it off for the process (the screening store).
_ENGINE_OPTIONS = {"pre_ping": True}


def make_engine(url: str, *, pre_ping: bool = True) -> Engine:
    # hide_parameters: a database error names the statement but not its values (ID numbers, phones, names),
    # which would otherwise reach the logs with every failed write.
    engine_args = {"json_serializer": json_text, "json_deserializer": orjson.loads, "hide_parameters": True}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **engine_args)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=pre_ping, **engine_args)


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().resolved_database_url, pre_ping=_ENGINE_OPTIONS["pre_ping"])


def skip_pre_ping() -> None:
    """For a process that writes in a loop (the screening store): no test query at each connection checkout,
    one round trip fewer per transaction. A statement that finds its connection broken drops the pool's
    connections and raises with ``connection_invalidated`` set; the caller tries again on a new one."""
    _ENGINE_OPTIONS["pre_ping"] = False
    reset_engine()


@functools.cache
def session_factory() -> sessionmaker[Session]:
    """Read sessions: on SQLite their transactions begin deferred, so they must not write (use unit_of_work)."""
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@functools.cache
def writer_factory() -> sessionmaker[Session]:
    """Sessions of units of work: on SQLite each transaction begins as a write transaction (BEGIN IMMEDIATE)."""
    engine = get_engine().execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
    return sessionmaker(bind=engine, expire_on_commit=False)


def reset_engine() -> None:
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    session_factory.cache_clear()
    writer_factory.cache_clear()


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for a request, job or command: commits on success, rolls back on error.

    On SQLite it begins as a write transaction (see `_sqlite_begin`), so a read that then writes (an audited
    read, a log-in) waits its turn instead of failing with "database is locked".
    """
    db = writer_factory()()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


def after_commit(db: Session, fn) -> None:
    """Run ``fn()`` once ``db``'s transaction has committed (never if it rolls back)."""
    db.info.setdefault("after_commit", []).append(fn)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for fn in session.info.pop("after_commit", []):
        fn()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop("after_commit", None)


def StrEnumType(enum_cls: type[enum.StrEnum], length: int = 16) -> Enum:  # noqa: N802 - reads like a type
    """A portable enum column that stores the member's value ("hold"), not its name ("HOLD")."""
    return Enum(enum_cls, native_enum=False, length=length, values_callable=lambda cls: [m.value for m in cls])


def insert_rows(db: Session, table, rows: list[dict], *, encoded: frozenset[str] = frozenset(),
                skip_existing: bool = False) -> None:
    """Insert many rows with ONE multi-row INSERT statement.

    ``executemany`` steps the database once per row, and the driver gives up and retakes the GIL at every
    step: in a busy server each retake waits for the request threads, so a batch of a few dozen rows took
    many milliseconds. One statement is one step. Values go through each column type's own bind processor,
    so they are stored exactly as the ORM would store them — except JSON columns named in ``encoded``,
    whose values are already JSON text (`json_text`), or None for SQL NULL. ``skip_existing`` leaves out rows
    a unique constraint already holds (ON CONFLICT DO NOTHING), so a retried batch changes nothing.
    """
    if not rows:
        return
    connection = db.connection()
    dialect = connection.dialect
    names = list(rows[0])
    # Only the columns whose type converts a value are touched one by one; the row's values are read in
    # one C call (most columns — strings, integers, encoded JSON — go to the driver as they are).
    converted = [(i, proc) for i, name in enumerate(names)
                 if name not in encoded and (proc := table.c[name].type.bind_processor(dialect)) is not None]
    values_of = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    per_statement = max(1, 30_000 // len(names))  # stays under SQLite's and PostgreSQL's parameter limits
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        params: list = []
        last = [(_UNSET, None)] * len(converted)  # a value that is the previous row's is converted once
        for row in chunk:
            values = list(values_of(row))
            for j, (i, proc) in enumerate(converted):
                value = values[i]
                before, after = last[j]
                if value is not before:
                    after = proc(value)
                    last[j] = (value, after)
                values[i] = after
            params += values
        sql = _multi_insert_sql(dialect.name, dialect.paramstyle, table.name, tuple(names), len(chunk))
        connection.exec_driver_sql(sql + " ON CONFLICT DO NOTHING" if skip_existing else sql, tuple(params))


_UNSET = object()


@functools.lru_cache(maxsize=256)
def _multi_insert_sql(dialect_name: str, paramstyle: str, table: str, names: tuple[str, ...], count: int) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    group = "(" + ", ".join([mark] * len(names)) + ")"
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES " + ", ".join([group] * count)


def copy_rows(db: Session, table, rows: list[dict], *, encoded: frozenset[str] = frozenset()) -> None:
    """PostgreSQL: insert many rows with one ``COPY … FROM STDIN``, in ``db``'s transaction.

    A multi-row INSERT of a few thousand parameters is parsed and planned anew at every batch size, and the
    driver rewrites its placeholders on every call; COPY streams the rows with neither, several times faster
    for a batch of screenings. Values are bound as in `insert_rows` (``encoded``: JSON text already). Errors
    are raised as SQLAlchemy's (a duplicate key is an IntegrityError), and a broken connection is dropped.
    """
    if not rows:
        return
    connection = db.connection()
    dialect = connection.dialect
    names = list(rows[0])
    processors = [None if name in encoded else table.c[name].type.bind_processor(dialect) for name in names]
    sql = _copy_sql(table.name, tuple(names))
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([proc(row[name]) if proc else row[name]
                                for name, proc in zip(names, processors, strict=True)])
    except dialect.loaded_dbapi.Error as exc:
        invalidated = dialect.is_disconnect(exc, driver, None)
        if invalidated:
            connection.invalidate(exc)
        raise DBAPIError.instance(sql, None, exc, dialect.loaded_dbapi.Error,
                                  connection_invalidated=invalidated, dialect=dialect) from exc


@functools.lru_cache(maxsize=64)
def _copy_sql(table: str, names: tuple[str, ...]) -> str:
    return f"COPY {table} ({', '.join(names)}) FROM STDIN"


IN_CHUNK = 500  # values per IN (…): well under every dialect's parameter limit


def rows_in(db: Session, table, columns: Sequence[str], key: str, values: Sequence, *, where: str = ""
            ) -> list[tuple]:
    """``SELECT columns FROM table WHERE key IN values [AND where]`` as one driver-level statement per
    30,000 values (on PostgreSQL ``key = ANY(array)``), each row's values read back through their column
    types. For a batch on a hot path: the ORM's expanding IN takes several times as long to render and bind a
    thousand values. ``where`` is a fixed SQL condition written by the caller, never user input."""
    if not values:
        return []
    connection = db.connection()
    dialect = connection.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    bind = table.c[key].type.bind_processor(dialect)
    readers = [table.c[name].type.dialect_impl(dialect).result_processor(dialect, None) for name in columns]
    rows: list[tuple] = []
    postgresql = dialect.name == "postgresql"
    for start in range(0, len(values), 30_000):
        chunk = [bind(v) if bind else v for v in values[start:start + 30_000]]
        if postgresql:  # one array parameter: the same statement for every batch size, prepared once
            sql, params = f"SELECT {', '.join(columns)} FROM {table.name} WHERE {key} = ANY({mark})", (chunk,)
        else:
            sql, params = (f"SELECT {', '.join(columns)} FROM {table.name} WHERE {key} IN "
                           f"({', '.join([mark] * len(chunk))})"), tuple(chunk)
        sql += f" AND {where}" if where else ""
        for row in connection.exec_driver_sql(sql, params):
            rows.append(tuple(read(v) if read else v for read, v in zip(readers, row, strict=True)))
    return rows


def scalars_in(db: Session, stmt: Select, column: ColumnElement, values: Iterable) -> list:
    """The rows of ``stmt`` whose ``column`` is one of ``values``, read IN_CHUNK values at a time (each
    chunk in the statement's order)."""
    values = list(values)
    rows: list = []
    for start in range(0, len(values), IN_CHUNK):
        rows += db.scalars(stmt.where(column.in_(values[start:start + IN_CHUNK]))).all()
    return rows
