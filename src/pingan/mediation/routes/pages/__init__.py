"""调解室 pages: the board, intake, dispute detail, room schedule and figures (Jinja2, Chinese first)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.mediation import vocabulary
from pingan.mediation.permissions import READERS, WRITERS
from pingan.platform.users.models import Role
from pingan.web import nav
from pingan.web.routes import audit as audit_page

from . import board, disputes

nav.register("mediation", [
    nav.Entry("调解看板", "/mediation", roles=READERS, landing_for={Role.MEDIATOR}),
    nav.Entry("纠纷受理", "/mediation/disputes/new", roles=WRITERS),
    nav.Entry("调解室排期", "/mediation/rooms", roles=READERS),
    nav.Entry("调解统计", "/mediation/figures", roles=READERS),
])

audit_page.register_labels(
    actions=vocabulary.ACTION_LABELS,
    entities={"mediation_dispute": "纠纷", "mediation_room": "调解室", "mediation_mediator": "调解员"},
    fields={"source": "来源", "category": "类型", "parties": "当事人", "secondary_of": "次生于纠纷",
            "session": "调解场次", "on_time": "按时", "agreement_performed": "协议已履行"},
    values={"source": {k.value: v for k, v in vocabulary.SOURCE_LABELS.items()},
            "category": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
            "kind": vocabulary.CLOCK_LABELS},
)

router = APIRouter(include_in_schema=False)
for _module in (board, disputes):
    router.include_router(_module.router)
