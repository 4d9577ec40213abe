"""打击 pages: call intake, the case list and detail with its timeline, fugitives, the seized-goods store,
fraud-report intake, task-force board and figures (Jinja2, Chinese first)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.cases import vocabulary
from pingan.cases.permissions import READERS
from pingan.web import nav
from pingan.web.routes import audit as audit_page

from . import calls, cases, figures, registers

nav.register("cases", [
    nav.Entry("案件", "/cases", roles=READERS),
    nav.Entry("接处警", "/cases/calls", roles=READERS),
    nav.Entry("电诈报案", "/cases/fraud", roles=READERS),
    nav.Entry("在逃人员", "/cases/fugitives", roles=READERS),
    nav.Entry("涉案财物", "/cases/seizures", roles=READERS),
    nav.Entry("专班", "/cases/task-forces", roles=READERS),
    nav.Entry("打击统计", "/cases/figures", roles=READERS),
])

audit_page.register_labels(
    actions=vocabulary.ACTION_LABELS,
    entities={"cases_case": "案件", "cases_call": "警情", "cases_fugitive": "在逃人员", "cases_seized_item": "涉案财物",
              "cases_fraud_report": "电诈报案", "cases_fraud_payee": "涉案账户", "cases_task_force": "专班",
              "cases_task": "专班任务"},
    fields={"number": "案件编号", "kind": "类型", "category": "类别", "call_no": "警情编号", "status": "状态",
            "disposition": "处置", "loss": "损失", "payees": "涉案账户", "phones": "涉案电话", "high_loss": "高损",
            "missed": "漏筛", "movement": "流转", "danger": "危险程度"},
    values={"category": {**{k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
                         **{k.value: v for k, v in vocabulary.CALL_CATEGORY_LABELS.items()
                            if k.value not in {c.value for c in vocabulary.CATEGORY_LABELS}}},
            "disposition": {k.value: v for k, v in vocabulary.DISPOSITION_LABELS.items()},
            "status": {k.value: v for k, v in vocabulary.STATUS_LABELS.items()},
            "movement": {k.value: v for k, v in vocabulary.MOVEMENT_LABELS.items()}},
)

router = APIRouter(include_in_schema=False)
# The calls and registers first: /cases/{id} would otherwise take their paths.
for _module in (calls, registers, figures, cases):
    router.include_router(_module.router)
