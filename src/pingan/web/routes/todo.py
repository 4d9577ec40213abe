"""The signed-in user's to-do: running deadlines assigned to them or to their jurisdiction, as a page and JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from pingan.core.schemas import ERROR_RESPONSES, Time
from pingan.platform.deadlines import service as deadlines
from pingan.platform.deadlines.models import ClockMode, ClockStatus, DeadlineClock
from pingan.web.deps import CurrentUser, DbSession
from pingan.web.templating import render

router = APIRouter()


@router.get("/todo", include_in_schema=False)
def todo_page(request: Request, db: DbSession, user: CurrentUser):
    return render(request, "todo/page.html", {"todo": deadlines.todo_for(db, user)})


class TodoItemOut(BaseModel):
    id: int
    kind: str
    title: str
    link: str | None
    owner_type: str
    owner_id: str
    status: ClockStatus
    mode: ClockMode
    warn_at: Time | None
    due_at: Time


class TodoOut(BaseModel):
    overdue: list[TodoItemOut]
    due_soon: list[TodoItemOut]
    later: list[TodoItemOut]


def _item(deadline: DeadlineClock) -> dict:
    return {
        "id": deadline.id,
        "kind": deadline.kind,
        "title": deadline.title,
        "link": deadline.link,
        "owner_type": deadline.owner_type,
        "owner_id": deadline.owner_id,
        "status": deadline.status.value,
        "mode": deadline.mode.value,
        "warn_at": deadline.warn_at.isoformat() if deadline.warn_at else None,
        "due_at": deadline.due_at.isoformat(),
    }


@router.get("/api/v1/todo", tags=["platform"], response_model=TodoOut, responses=ERROR_RESPONSES)
def todo_api(db: DbSession, user: CurrentUser) -> dict:
    """Running deadlines for the caller, split into overdue, due soon and later, each by due time."""
    todo = deadlines.todo_for(db, user)
    return {"overdue": [_item(d) for d in todo.overdue], "due_soon": [_item(d) for d in todo.due_soon],
            "later": [_item(d) for d in todo.later]}
