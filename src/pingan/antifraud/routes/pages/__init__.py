"""警银通 pages: the teller's counter, screening records, intel lists and rule settings (Jinja2 + htmx)."""

from __future__ import annotations

from fastapi import APIRouter

from pingan.antifraud.vocabulary import ACTION_LABELS, CLOCK_LABELS, OUTCOME_LABELS, STATUS_LABELS, TYPOLOGY_LABELS
from pingan.platform.users.models import Role
from pingan.web import nav
from pingan.web.routes import audit as audit_page

from . import counter, intel, models, rates, rules, screenings

_POLICE = {Role.ANALYST, Role.LEADER, Role.DUTY_OFFICER}
nav.register("antifraud", [
    nav.Entry("值班台", "/antifraud/console", roles=_POLICE, landing_for={Role.DUTY_OFFICER}),
    nav.Entry("柜面筛查", "/antifraud/counter", roles={Role.TELLER}, landing_for={Role.TELLER}),
    nav.Entry("预警处置", "/antifraud/alerts", roles=_POLICE),
    nav.Entry("处置统计", "/antifraud/alerts/measures", roles=_POLICE),
    nav.Entry("筛查记录", "/antifraud/screenings", roles=_POLICE | {Role.TELLER}),
    nav.Entry("情报名单", "/antifraud/intel", roles=_POLICE),
    nav.Entry("规则设置", "/antifraud/rules", roles=_POLICE),
    nav.Entry("银行阈值", "/antifraud/rates", roles=_POLICE),
    nav.Entry("模型管理", "/antifraud/models", roles=_POLICE),
])

audit_page.register_labels(
    actions=ACTION_LABELS,
    entities={"antifraud_screening": "筛查", "antifraud_alert": "预警", "antifraud_intel_entry": "情报条目",
              "antifraud_ruleset": "规则版本", "antifraud_model": "模型", "antifraud_known_payee": "已知收款方",
              "antifraud_bank_thresholds": "银行阈值版本"},
    fields={"outcome": "处置结果", "amount_protected": "挽回金额", "typology": "诈骗类型", "officer": "出警民警",
            "model_id": "模型", "replaced": "替换", "data_hash": "数据摘要", "thresholds": "参数",
            "enabled": "规则开关", "warn": "提醒阈值", "hold": "止付阈值", "clock": "时限"},
    values={"from": {k: v for k, (v, _) in STATUS_LABELS.items()}, "to": {k: v for k, (v, _) in STATUS_LABELS.items()},
            "outcome": OUTCOME_LABELS, "typology": TYPOLOGY_LABELS, "kind": CLOCK_LABELS,
            "clock": CLOCK_LABELS},
)

router = APIRouter(prefix="/antifraud", include_in_schema=False)
for _module in (counter, screenings, intel, rules, rates, models):
    router.include_router(_module.router)
