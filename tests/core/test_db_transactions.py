"""Units of work on a real engine (not the rolled-back test session): a read that then writes must wait for
another writer instead of failing with "database is locked"."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from pingan.core.db import session_factory, unit_of_work
from pingan.platform.audit import service as audit
from pingan.platform.audit.models import AuditEvent
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role, User

ORG = """
units:
  - {code: "331003", name: 黄岩分局, kind: bureau}
"""


def _audited_read(username: str) -> None:
    with unit_of_work() as db:
        user = db.scalar(select(User).where(User.username == username))
        audit.record(db, actor=user, action="user.read", entity=user)


def _write(note: str) -> None:
    with unit_of_work() as db:
        audit.record(db, actor=None, action="test.written", note=note)


def _setup() -> str:
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(ORG))
        return auth.create_user(db, username="reader", password="correct-horse-1", role=Role.ANALYST,
                                unit_code="331003").username


def _count(action: str) -> int:
    with session_factory()() as db:
        return db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_a_read_that_writes_waits_for_a_writer_that_committed_meanwhile(committed_db):
    username = _setup()
    failures: list[BaseException] = []

    def other_writer() -> None:
        try:
            _write("meanwhile")
        except BaseException as exc:  # reported below: this thread's failure is the test's
            failures.append(exc)

    with unit_of_work() as db:
        user = db.scalar(select(User).where(User.username == username))  # the read
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=1)  # a deferred reader lets it commit here; a write transaction makes it wait
        audit.record(db, actor=user, action="user.read", entity=user)  # the write that follows the read
    writer.join()
    assert failures == []
    assert _count("user.read") == 1 and _count("test.written") == 1


def test_audited_readers_and_writers_in_threads_all_succeed(committed_db):
    username = _setup()
    failures: list[BaseException] = []

    def run(work, arg, times: int) -> None:
        for _ in range(times):
            try:
                work(arg)
            except BaseException as exc:  # collected: every unit of work must succeed
                failures.append(exc)

    threads = [threading.Thread(target=run, args=(_audited_read, username, 25)) for _ in range(6)]
    threads += [threading.Thread(target=run, args=(_write, "w", 25)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [repr(f) for f in failures] == []
    assert _count("user.read") == 150 and _count("test.written") == 50


def test_savepoints_still_work_inside_a_unit_of_work(committed_db):
    with unit_of_work() as db:
        audit.record(db, actor=None, action="test.kept")
        with db.begin_nested() as nested:
            audit.record(db, actor=None, action="test.undone")
            nested.rollback()
    assert _count("test.kept") == 1 and _count("test.undone") == 0
