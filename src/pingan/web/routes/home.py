"""Home (``/``): each role's landing page, declared by the navigation entries (a teller's counter, a duty
officer's console, ...); the to-do for everyone else."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from pingan.web import nav
from pingan.web.deps import CurrentUser

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(user: CurrentUser) -> RedirectResponse:
    return RedirectResponse(nav.landing_for(user), status_code=303)
