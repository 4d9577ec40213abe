"""Home page: the signed-in user's to-do."""

from __future__ import annotations

from fastapi import APIRouter, Request

from pingan.platform.deadlines import service as deadlines
from pingan.web.deps import CurrentUser, DbSession
from pingan.web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request, db: DbSession, user: CurrentUser):
    return render(request, "home.html", {"todo": deadlines.todo_for(db, user)})
