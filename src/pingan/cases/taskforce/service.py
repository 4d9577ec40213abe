"""Task-force steps: set up a 专班 (lead, members, cases) and move its tasks raised → allocated → done →
resulted, each with a due time on the platform's deadlines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.case import service as case_service
from pingan.cases.models import Task, TaskForce, TaskStatus
from pingan.cases.schemas import TaskForceIn, TaskIn, TaskStepIn
from pingan.cases.taskforce.transitions import next_status
from pingan.cases.vocabulary import Action
from pingan.core import clock
from pingan.core.errors import NotFound
from pingan.platform.audit import service as audit
from pingan.platform.auth import service as auth
from pingan.platform.users.models import User


def _user(db: Session, username: str, field: str) -> User:
    try:
        return auth.get_user(db, username)
    except NotFound:
        raise case_service.invalid(field, "user.unknown", "没有这个用户 / no such user") from None


def create(db: Session, *, data: TaskForceIn, actor: User) -> TaskForce:
    unit = case_service.station(db, actor, data.station_code)
    lead = _user(db, data.lead_username, "lead_username")
    members = [_user(db, name, f"member_usernames[{i}]").id for i, name in enumerate(data.member_usernames)]
    for i, case_id in enumerate(data.case_ids):
        try:
            repo.get_case(db, actor, case_id)
        except NotFound:
            raise case_service.invalid(f"case_ids[{i}]", "case.unknown", "没有这个案件 / no such case") from None
    force = TaskForce(name=data.name, station_id=unit.id, lead_id=lead.id,
                      member_ids=list(dict.fromkeys([lead.id, *members])), case_ids=list(dict.fromkeys(data.case_ids)),
                      created_at=clock.now())
    db.add(force)
    db.flush()
    audit.record(db, actor=actor, action=Action.TASK_FORCE_CREATED, entity=force, unit_id=unit.id,
                 data={"members": len(force.member_ids), "cases": force.case_ids})
    return force


def raise_task(db: Session, *, force: TaskForce, data: TaskIn, actor: User) -> Task:
    assignee = _user(db, data.assignee_username, "assignee_username") if data.assignee_username else None
    task = Task(task_force_id=force.id, title=data.title, due_at=data.due_at, raised_at=clock.now(),
                status=TaskStatus.ALLOCATED if assignee else TaskStatus.RAISED,
                assignee_id=assignee.id if assignee else None)
    force.tasks.append(task)
    db.flush()
    clocks.start_task(db, task, force)
    audit.record(db, actor=actor, action=Action.TASK_RAISED, entity=task, unit_id=force.station_id,
                 data={"assignee": task.assignee_id})
    return task


def move_task(db: Session, *, force: TaskForce, task_id: int, data: TaskStepIn, actor: User) -> Task:
    task = next((t for t in force.tasks if t.id == task_id), None)
    if task is None:
        raise NotFound("task.not_found", "任务不存在 / no such task")
    task.status = next_status(task.status, data.event)
    if data.event == "allocate":
        if not data.assignee_username:
            raise case_service.invalid("assignee_username", "required", "请指定任务承办人 / name who does it")
        task.assignee_id = _user(db, data.assignee_username, "assignee_username").id
    elif data.event == "done":
        task.done_at = clock.now()
        clocks.stop_task(db, task)
    else:
        if not data.result:
            raise case_service.invalid("result", "required", "请填写任务结果 / give the result")
        task.result = data.result
    audit.record(db, actor=actor, action=Action.TASK_MOVED, entity=task, unit_id=force.station_id,
                 data={"event": data.event, "status": task.status.value})
    return task
