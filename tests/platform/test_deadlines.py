"""Deadline clocks, the scanner (fires once, at once, after a restart), handlers, and the to-do."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from pingan.core import clock
from pingan.core.clock import LOCAL_TZ
from pingan.core.db import reset_engine, unit_of_work
from pingan.platform import jobs
from pingan.platform.audit.models import AuditEvent
from pingan.platform.deadlines import jobs as deadline_jobs
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, ClockStatus, DeadlineEscalation, EscalationLevel
from pingan.platform.notify.models import Event
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.users.models import Role
from tests.factories import COUNTY_YAML

H = dt.timedelta(hours=1)


def unit_id(db, code: str) -> int:
    return org_service.get_unit(db, code).id


def start(db, owner_id, *, kind="follow_up", **kw):
    if "due_at" not in kw:
        kw.setdefault("due_in", 10 * H)
    return deadlines.start(db, owner_type="mediation_dispute", owner_id=owner_id, kind=kind,
                           title=f"纠纷 {owner_id} 回访", **kw)


def near(value: dt.datetime, *local: int) -> bool:
    """``value`` is the given Shanghai time, give or take the instant the test took to get there."""
    return abs(value - dt.datetime(*local, tzinfo=LOCAL_TZ)) < dt.timedelta(seconds=2)


def scan(db) -> int:
    return deadline_jobs.scan(db, clock.now())


def levels(db, clock_id) -> list[EscalationLevel]:
    return list(db.scalars(select(DeadlineEscalation.level).where(DeadlineEscalation.clock_id == clock_id)
                           .order_by(DeadlineEscalation.id)))


def test_start_sets_due_and_warning_and_a_second_start_returns_the_running_clock(db, county):
    first = start(db, 1, warn_before=2 * H, unit_id=unit_id(db, "331003-01"), link="/mediation/disputes/1")
    assert first.status is ClockStatus.RUNNING
    assert first.due_at - first.started_at == 10 * H
    assert first.due_at - first.warn_at == 2 * H
    again = start(db, 1, due_in=99 * H)
    assert again.id == first.id and again.due_at == first.due_at
    other_kind = start(db, 1, kind="agreement")
    assert other_kind.id != first.id
    assert [c.kind for c in deadlines.clocks_for(db, "mediation_dispute", 1)] == ["follow_up", "agreement"]
    with pytest.raises(ValueError):
        start(db, 2, due_in=H, due_at=clock.now() + H)


def test_warning_then_breach_each_fire_once_however_often_the_scanner_runs(db, county, make_user):
    officer = make_user(Role.DUTY_OFFICER)
    deadline = start(db, 7, warn_before=2 * H, unit_id=officer.unit_id, assignee_id=officer.id, link="/x/7")
    assert [scan(db) for _ in range(3)] == [0, 0, 0]

    clock.shift(8 * H + dt.timedelta(minutes=1))
    assert [scan(db) for _ in range(3)] == [1, 0, 0]
    assert levels(db, deadline.id) == [EscalationLevel.WARNING]

    clock.shift(2 * H)
    assert [scan(db) for _ in range(3)] == [1, 0, 0]
    assert levels(db, deadline.id) == [EscalationLevel.WARNING, EscalationLevel.BREACH]

    events = list(db.scalars(select(Event).where(Event.topic.startswith("platform.deadline.")).order_by(Event.id)))
    assert [(e.topic, e.user_id, e.unit_id, e.link) for e in events] == [
        ("platform.deadline.warned", officer.id, officer.unit_id, "/x/7"),
        ("platform.deadline.breached", officer.id, officer.unit_id, "/x/7"),
    ]
    assert events[1].title == "已超时：纠纷 7 回访" and events[1].payload["clock_id"] == deadline.id
    audits = db.scalars(select(AuditEvent).where(AuditEvent.action.startswith("platform.deadline."))).all()
    assert sorted((a.action, a.entity_type, a.entity_id) for a in audits) == [
        ("platform.deadline.breached", "mediation_dispute", "7"),
        ("platform.deadline.warned", "mediation_dispute", "7")]


def test_a_scanner_that_was_down_past_both_levels_fires_warning_then_breach(db, county):
    deadline = start(db, 8, warn_before=H)
    clock.shift(11 * H)
    assert scan(db) == 2
    assert levels(db, deadline.id) == [EscalationLevel.WARNING, EscalationLevel.BREACH]
    assert scan(db) == 0


def test_a_stopped_clock_never_escalates(db, county):
    deadline = start(db, 9, warn_before=H)
    stopped = deadlines.stop(db, owner_type="mediation_dispute", owner_id=9, kind="follow_up")
    assert stopped.id == deadline.id and stopped.status is ClockStatus.MET and stopped.ended_at is not None
    assert deadlines.stop(db, owner_type="mediation_dispute", owner_id=9, kind="follow_up") is None
    cancelled = start(db, 10)
    deadlines.stop(db, owner_type="mediation_dispute", owner_id=10, kind="follow_up", met=False)
    assert cancelled.status is ClockStatus.CANCELLED
    clock.shift(48 * H)
    assert scan(db) == 0
    assert levels(db, deadline.id) == [] and levels(db, cancelled.id) == []
    assert start(db, 9).id != deadline.id  # a new clock may start once the old one ended


def test_pause_keeps_the_remaining_time_and_resume_counts_it_from_then(db, county):
    key = {"owner_type": "mediation_dispute", "owner_id": 11, "kind": "follow_up"}
    deadline = start(db, 11, warn_before=H)
    clock.shift(4 * H)
    deadlines.pause(db, **key)
    assert deadline.status is ClockStatus.PAUSED
    assert deadline.remaining_seconds == pytest.approx(6 * 3600, abs=2)

    clock.shift(100 * H)
    assert scan(db) == 0  # long past the original due time, but paused
    assert deadlines.pause(db, **key).status is ClockStatus.PAUSED
    assert start(db, 11).id == deadline.id  # a paused clock is still the active one

    deadlines.resume(db, **key)
    assert deadline.status is ClockStatus.RUNNING and deadline.remaining_seconds is None
    assert abs(deadline.due_at - (clock.now() + 6 * H)) < dt.timedelta(seconds=2)
    assert deadline.due_at - deadline.warn_at == H
    clock.shift(5 * H + dt.timedelta(minutes=1))
    assert scan(db) == 1 and levels(db, deadline.id) == [EscalationLevel.WARNING]


def test_working_time_clock_skips_the_weekend(db, county):
    friday = dt.datetime(2025, 6, 13, 16, 30, tzinfo=LOCAL_TZ)
    clock.shift(friday - clock.now())
    deadline = start(db, 12, due_in=2 * H, warn_before=dt.timedelta(minutes=30), mode=ClockMode.WORKING)
    # One hour left on Friday (to 17:30), the second from Monday 08:30.
    assert near(deadline.due_at, 2025, 6, 16, 9, 30)
    assert near(deadline.warn_at, 2025, 6, 16, 9, 0)

    clock.shift(dt.datetime(2025, 6, 14, 12, 0, tzinfo=LOCAL_TZ) - clock.now())
    assert scan(db) == 0
    deadlines.pause(db, owner_type="mediation_dispute", owner_id=12, kind="follow_up")
    assert deadline.remaining_seconds == pytest.approx(3600, abs=1)  # Saturday counts for nothing
    clock.shift(dt.datetime(2025, 6, 17, 17, 0, tzinfo=LOCAL_TZ) - clock.now())
    deadlines.resume(db, owner_type="mediation_dispute", owner_id=12, kind="follow_up")
    assert near(deadline.due_at, 2025, 6, 18, 9, 0)


def test_handler_registered_for_a_kind_runs_once_per_level(db, county):
    calls = []

    @deadlines.on_escalation("test.handler_once")
    def record_call(session, deadline, level):
        calls.append((deadline.owner_id, level))

    start(db, 13, kind="test.handler_once", warn_before=H)
    start(db, 14, kind="unrelated_kind")
    clock.shift(9 * H + dt.timedelta(minutes=1))
    for _ in range(3):
        scan(db)
    clock.shift(H)
    for _ in range(3):
        scan(db)
    assert calls == [("13", EscalationLevel.WARNING), ("13", EscalationLevel.BREACH)]


def test_a_failing_handler_undoes_its_escalation_which_is_retried_at_the_next_scan(db, county):
    attempts = []

    @deadlines.on_escalation("test.handler_flaky")
    def flaky(session, deadline, level):
        attempts.append(level)
        if len(attempts) == 1:
            raise RuntimeError("downstream unavailable")

    deadline = start(db, 15, kind="test.handler_flaky")
    clock.shift(11 * H)
    assert scan(db) == 0
    assert levels(db, deadline.id) == []
    assert db.scalar(select(func.count(Event.id)).where(Event.topic == "platform.deadline.breached")) == 0
    assert scan(db) == 1 and scan(db) == 0
    assert levels(db, deadline.id) == [EscalationLevel.BREACH] and len(attempts) == 2
    assert db.scalar(select(func.count(Event.id)).where(Event.topic == "platform.deadline.breached")) == 1


def test_next_due_at_is_the_earliest_level_still_to_fire(db, county):
    assert deadline_jobs.next_due_at(db) is None
    first = start(db, 16, warn_before=H)
    start(db, 17, due_in=20 * H)
    assert deadline_jobs.next_due_at(db) == first.warn_at
    clock.shift(9 * H + dt.timedelta(minutes=1))
    scan(db)
    assert deadline_jobs.next_due_at(db) == first.due_at


# --- real commits: concurrent scanners, restarts, crashes ---------------------------------------------------


def _committed_clocks(count: int) -> list[int]:
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        station = unit_id(db, "331003-01")
        return [start(db, 100 + i, warn_before=H, unit_id=station).id for i in range(count)]


def _escalation_count() -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count(DeadlineEscalation.id)))


def test_two_scanners_running_at_the_same_time_fire_each_level_once(committed_db):
    ids = _committed_clocks(20)
    clock.shift(11 * H)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(jobs.run_once("deadlines.scan"))
        except Exception as exc:  # surfaced by the assertion below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(results) == 2 and sum(results) == 2 * len(ids)
    assert _escalation_count() == 2 * len(ids)
    with unit_of_work() as db:
        fired = db.scalar(select(func.count(Event.id)).where(Event.topic.startswith("platform.deadline.")))
        assert fired == 2 * len(ids)


def test_the_scanner_survives_a_restart(committed_db):
    [clock_id] = _committed_clocks(1)
    clock.shift(11 * H)
    reset_engine()  # a fresh process: new engine, new connections, nothing remembered
    assert jobs.run_once("deadlines.scan") == 2
    reset_engine()
    assert jobs.run_once("deadlines.scan") == 0
    with unit_of_work() as db:
        assert levels(db, clock_id) == [EscalationLevel.WARNING, EscalationLevel.BREACH]


def test_a_scan_that_crashes_before_commit_leaves_nothing_and_the_next_scan_fires(committed_db):
    _committed_clocks(1)
    clock.shift(11 * H)
    with pytest.raises(RuntimeError), unit_of_work() as db:
        assert deadline_jobs.scan(db, clock.now()) == 2
        raise RuntimeError("process killed before commit")
    assert _escalation_count() == 0
    assert jobs.run_once("deadlines.scan") == 2
    assert _escalation_count() == 2


# --- the to-do -------------------------------------------------------------------------------------------------


@pytest.fixture
def todo_world(db, make_user):
    people = {"one": make_user(Role.DUTY_OFFICER, unit="331003-01"),
              "two": make_user(Role.DUTY_OFFICER, unit="331003-02"),
              "bureau": make_user(Role.ANALYST), "teller": make_user(Role.TELLER)}
    one, two, community = unit_id(db, "331003-01"), unit_id(db, "331003-02"), unit_id(db, "331003-01-01")
    start(db, "a", due_in=2 * H, unit_id=one, link="/disputes/a")
    start(db, "b", due_in=48 * H, unit_id=two)
    start(db, "c", due_in=48 * H, unit_id=one, assignee_id=people["two"].id)
    start(db, "d", due_at=clock.now() - H, unit_id=community)
    start(db, "e", due_in=72 * H, unit_id=one)
    start(db, "f", due_in=72 * H, warn_before=80 * H, unit_id=one)  # its warning time has come: due soon
    start(db, "g", unit_id=one)
    deadlines.stop(db, owner_type="mediation_dispute", owner_id="g", kind="follow_up")
    return people


def owners(todo) -> dict[str, list[str]]:
    return {name: [d.owner_id for d in getattr(todo, name)] for name in ("overdue", "due_soon", "later")}


def test_todo_is_scoped_to_the_user_and_split_by_urgency(db, todo_world):
    assert owners(deadlines.todo_for(db, todo_world["one"])) == {
        "overdue": ["d"], "due_soon": ["a", "f"], "later": ["e"]}
    assert owners(deadlines.todo_for(db, todo_world["two"])) == {"overdue": [], "due_soon": [], "later": ["b", "c"]}
    assert owners(deadlines.todo_for(db, todo_world["bureau"])) == {
        "overdue": ["d"], "due_soon": ["a", "f"], "later": ["b", "e"]}
    assert deadlines.todo_for(db, todo_world["teller"]).total == 0


def test_todo_page_api_and_home_show_the_users_list(db, todo_world, client_for, api_client):
    browser = client_for(todo_world["one"])
    page = browser.get("/todo")
    assert page.status_code == 200
    assert "纠纷 d 回访" in page.text and "纠纷 b 回访" not in page.text and 'href="/disputes/a"' in page.text
    assert 'data-todo="overdue"' in page.text and 'href="/todo"' in page.text
    # Home is each role's landing page: the to-do for an analyst, the console for a duty officer.
    assert "纠纷 a 回访" in client_for(todo_world["bureau"]).get("/").text
    assert browser.get("/", follow_redirects=False).headers["location"] == "/antifraud/console"
    data = api_client(todo_world["one"]).get("/api/v1/todo").json()
    assert [i["owner_id"] for i in data["overdue"]] == ["d"]
    first = data["due_soon"][0]
    assert first["title"] == "纠纷 a 回访" and first["kind"] == "follow_up" and first["status"] == "running"
    assert dt.datetime.fromisoformat(first["due_at"]).tzinfo is not None
    assert client_for(todo_world["teller"]).get("/todo").status_code == 200
