"""A task's status table: (status, event) → next status; anything else is refused (409)."""

from __future__ import annotations

from pingan.cases.models import TaskStatus
from pingan.core.errors import InvalidTransition

S = TaskStatus
TRANSITIONS: dict[tuple[TaskStatus, str], TaskStatus] = {
    (S.RAISED, "allocate"): S.ALLOCATED,
    (S.ALLOCATED, "allocate"): S.ALLOCATED,
    (S.ALLOCATED, "done"): S.DONE,
    (S.DONE, "result"): S.RESULTED,
}
EVENTS = ("allocate", "done", "result")


def allowed(status: TaskStatus, event: str) -> bool:
    return (status, event) in TRANSITIONS


def next_status(status: TaskStatus, event: str) -> TaskStatus:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise InvalidTransition(f"task.{status.value}", f"任务当前不能{event} / the task cannot {event} now") from None
