"""调解室 pages: the board, intake, dispute detail, room schedule and figures (Jinja2, Chinese first)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.platform.auth.models import Role
from pingan.web import nav

from . import board, disputes

_READERS = {Role.MEDIATOR, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.LEADER}
nav.register("调解看板", "/mediation", roles=_READERS, order=30)
nav.register("纠纷受理", "/mediation/disputes/new", roles=_READERS - {Role.LEADER}, order=31)
nav.register("调解室排期", "/mediation/rooms", roles=_READERS, order=32)
nav.register("调解统计", "/mediation/figures", roles=_READERS, order=33)

router = APIRouter(include_in_schema=False)
for _module in (board, disputes):
    router.include_router(_module.router)
