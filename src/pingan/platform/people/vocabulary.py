"""Chinese names of the roles a person appears in and of the record kinds the register knows."""

from __future__ import annotations

from pingan.platform.people.models import PersonRole

ROLE_LABELS = {PersonRole.CUSTOMER: "银行客户", PersonRole.PARTY: "纠纷当事人", PersonRole.TENANT: "承租人",
               PersonRole.LANDLORD: "房东", PersonRole.SUSPECT: "嫌疑人", PersonRole.VICTIM: "受害人",
               PersonRole.FUGITIVE: "在逃人员", PersonRole.APPLICANT: "办事群众", PersonRole.GRID_MEMBER: "综治力量",
               PersonRole.WITNESS: "证人", PersonRole.RESIDENT: "实有人口",
               PersonRole.CALLER: "报警人"}
RECORD_LABELS = {"antifraud.screening": "转账筛查", "antifraud.alert": "预警", "mediation.dispute": "纠纷",
                 "cases.call": "警情", "cases.case": "案件", "grid.report": "网格上报", "rental.tenancy": "租住登记",
                 "onewindow.application": "办件", "grid.collection": "信息采集"}
