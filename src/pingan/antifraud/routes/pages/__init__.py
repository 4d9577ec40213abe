"""警银通 pages: the teller's counter, screening records, intel lists and rule settings (Jinja2 + htmx)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.platform.auth.models import Role
from pingan.web import nav

from . import counter, intel, models, rules, screenings

_POLICE = {Role.ANALYST, Role.LEADER, Role.DUTY_OFFICER}
nav.register("柜面筛查", "/antifraud/counter", roles={Role.TELLER}, order=20)
nav.register("筛查记录", "/antifraud/screenings", roles=_POLICE | {Role.TELLER}, order=21)
nav.register("情报名单", "/antifraud/intel", roles=_POLICE, order=22)
nav.register("规则设置", "/antifraud/rules", roles=_POLICE, order=23)
nav.register("模型管理", "/antifraud/models", roles=_POLICE, order=24)

router = APIRouter(prefix="/antifraud", include_in_schema=False)
for _module in (counter, screenings, intel, rules, models):
    router.include_router(_module.router)
