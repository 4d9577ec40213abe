"""租安心 pages: the officers' properties and figures, the landlords' portal and the public declaration page
(Jinja2, Chinese first; the portal and the declaration page phone first)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.platform.users.models import Role
from pingan.rental import vocabulary
from pingan.rental.permissions import KEEPERS, OFFICERS, READERS
from pingan.web import nav
from pingan.web.routes import audit as audit_page

from . import declare, figures, portal, properties, register

nav.register("rental", [
    nav.Entry("出租房屋", "/rental", roles=READERS),
    nav.Entry("登记出租房", "/rental/properties/new", roles=OFFICERS),
    nav.Entry("租安心统计", "/rental/figures", roles=READERS),
    nav.Entry("我的出租房", "/rental/portal", roles=KEEPERS, landing_for={Role.LANDLORD}),
])

audit_page.register_labels(
    actions=vocabulary.ACTION_LABELS,
    entities={"rental_property": "出租房", "rental_tenancy": "租住登记", "rental_unit": "出租房间"},
    fields={"kind": "类型", "units": "房间数", "by": "申报人", "unit": "房间", "on_time": "按时报送",
            "phase": "入住/退租", "inspection": "检查", "hazards": "隐患", "rectified": "整改"},
    values={"kind": {k.value: v for k, v in vocabulary.KIND_LABELS.items()},
            "by": {k.value: v for k, v in vocabulary.DECLARED_BY_LABELS.items()},
            "phase": vocabulary.PHASE_LABELS},
)

router = APIRouter(include_in_schema=False)
for _module in (declare, portal, figures, register, properties):
    router.include_router(_module.router)
