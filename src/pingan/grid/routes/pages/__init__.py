"""警网融合 pages: the worker's phone pages, the officer's board, report and call detail, the grid page."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.grid import vocabulary
from pingan.grid.permissions import READERS, REPORTERS
from pingan.platform.users.models import Role
from pingan.web import nav
from pingan.web.routes import audit as audit_page

from . import board, entry, records, video, work

nav.register("grid", [
    nav.Entry("网格工作台", "/grid", roles=READERS, landing_for={Role.GRID_WORKER}),
    nav.Entry("网格上报", "/grid/reports/new", roles=REPORTERS),
    nav.Entry("信息采集", "/grid/collections/new", roles=REPORTERS),
    nav.Entry("联动巡逻", "/grid/patrols/new", roles=REPORTERS),
    nav.Entry("宣防活动", "/grid/publicity/new", roles=REPORTERS),
    nav.Entry("分流警情", "/grid/calls", roles=READERS),
    nav.Entry("网格统计", "/grid/figures", roles=READERS),
])

audit_page.register_labels(
    actions=vocabulary.ACTION_LABELS,
    entities={"grid_report": "网格上报", "grid_call": "分流警情", "grid_member": "网格力量",
              "grid_coverage": "网格民警", "grid_collection": "采集信息"},
    fields={"category": "类别", "grid": "网格", "address": "标准地址", "photo": "照片", "target": "移交去向",
            "ref": "接收方", "on_time": "按时", "original": "原报告", "call_no": "警情编号", "station": "派出所",
            "repeat_of": "重复来电", "satisfied": "满意"},
    values={"category": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
            "target": {k.value: v for k, v in vocabulary.HANDOVER_LABELS.items()},
            "kind": vocabulary.CLOCK_LABELS},
)

router = APIRouter(include_in_schema=False)
for _module in (board, entry, records, video, work):
    router.include_router(_module.router)
