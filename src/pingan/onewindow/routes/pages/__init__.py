"""一窗通办 pages: the clerk's desk (call a ticket, take an application, move its items), the public kiosk,
TV board and rating pad (no account, throttled), and the figures (Jinja2, Chinese first)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.onewindow.permissions import READERS, WRITERS
from pingan.platform.users.models import Role
from pingan.web import nav

from . import desk, partner, points, public, rectifications

nav.register("onewindow", [
    nav.Entry("窗口工作台", "/onewindow", roles=WRITERS, landing_for={Role.WINDOW_CLERK}),
    nav.Entry("差评整改", "/onewindow/rectifications", roles=READERS),
    nav.Entry("村级代办点", "/onewindow/points", roles=READERS),
    nav.Entry("一窗通办统计", "/onewindow/figures", roles=READERS),
    nav.Entry("合作部门窗口", "/onewindow/partner", roles={Role.PARTNER_CLERK},
              landing_for={Role.PARTNER_CLERK}, for_admin=False),
])

router = APIRouter(include_in_schema=False)
for _module in (desk, public, rectifications, points, partner):
    router.include_router(_module.router)
