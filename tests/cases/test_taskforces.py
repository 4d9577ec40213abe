"""Task forces: a lead, members and cases; tasks raised → allocated → done → resulted with due times (a clock
each, met when done); 409 out of order; another station's task force is 404. Small cases: a theft report goes
to the community officer with a same-day target, and its time to solve is on the case."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from pingan.cases.vocabulary import Clock
from pingan.core import clock
from pingan.platform.deadlines.models import DeadlineClock
from tests.cases.factories import case_body

URL = "/api/v1/cases"


def test_task_force_tasks_walk_their_table(db, cs, clients):
    case = clients.duty.post(URL, json=case_body(category="homicide", title="2006年命案")).json()
    made = clients.duty.post(f"{URL}/task-forces", json={
        "name": "“7·14”命案专班", "station_code": "331003-01", "lead_username": cs.duty.username,
        "member_usernames": [cs.officer.username], "case_ids": [case["id"]]})
    assert made.status_code == 201, made.text
    force = made.json()
    assert force["member_ids"] == [cs.duty.id, cs.officer.id] and force["case_ids"] == [case["id"]]
    due = (clock.now() + dt.timedelta(days=2)).isoformat()
    raised = clients.duty.post(f"{URL}/task-forces/{force['id']}/tasks", json={"title": "调取监控", "due_at": due})
    task = raised.json()["tasks"][0]
    assert task["status"] == "raised"
    path = f"{URL}/task-forces/{force['id']}/tasks/{task['id']}"
    assert clients.duty.post(path, json={"event": "done"}).status_code == 409
    allocated = clients.duty.post(path, json={"event": "allocate", "assignee_username": cs.officer.username})
    assert allocated.json()["tasks"][0]["assignee_id"] == cs.officer.id
    assert clients.duty.post(path, json={"event": "done"}).json()["tasks"][0]["status"] == "done"
    assert clients.duty.post(path, json={"event": "result"}).status_code == 422
    resulted = clients.duty.post(path, json={"event": "result", "result": "锁定两兄弟在山东"}).json()
    assert resulted["tasks"][0]["status"] == "resulted"
    clock_row = db.scalar(select(DeadlineClock).where(DeadlineClock.kind == Clock.TASK))
    assert clock_row.status == "met"
    assert clients.other.get(f"{URL}/task-forces/{force['id']}").status_code == 404


def test_small_case_goes_to_the_community_officer_same_day(db, cs, clients):
    body = case_body(title="盆景被盗", small=True, assignee_username=cs.officer.username, community_code="331003-01-01")
    case = clients.duty.post(URL, json=body).json()
    kinds = {d["kind"]: d for d in case["deadlines"]}
    assert Clock.SMALL_CASE in kinds
    due = clock.local(dt.datetime.fromisoformat(kinds[Clock.SMALL_CASE]["due_at"]))
    assert due.date() == clock.today_local()
    # The community officer of the community sees and solves it.
    assert clients.officer.post(f"{URL}/{case['id']}/file", json={}).status_code == 200
    solved = clients.officer.post(f"{URL}/{case['id']}/solve", json={"note": "当日找回"}).json()
    same_day = next(d for d in solved["deadlines"] if d["kind"] == Clock.SMALL_CASE)
    assert same_day["status"] == "met"
    assert solved["solved_at"] >= solved["received_at"]
