"""The codes of 警银通 (audit actions, notification topics, clock kinds, each ``antifraud.<noun>.<past-tense
verb>``) and the Chinese labels code needs for them."""

from __future__ import annotations

import enum

from pingan.antifraud.models import AlertKind, AlertOutcome, AlertStatus, Decision, IntelKind, IntelStatus


class Action(enum.StrEnum):
    """Audit actions."""

    SCREENING_VIEWED = "antifraud.screening.viewed"
    SCREENING_REVEALED = "antifraud.screening.revealed"
    ALERT_VIEWED = "antifraud.alert.viewed"
    ALERT_ACKNOWLEDGED = "antifraud.alert.acknowledged"
    ALERT_DISPATCHED = "antifraud.alert.dispatched"
    ALERT_ARRIVED = "antifraud.alert.arrived"
    ALERT_CLOSED = "antifraud.alert.closed"
    INTEL_LISTED = "antifraud.intel.listed"
    INTEL_DELISTED = "antifraud.intel.delisted"
    FRAUD_MISSED = "antifraud.fraud.missed"
    RULESET_SAVED = "antifraud.ruleset.saved"
    RULESET_ACTIVATED = "antifraud.ruleset.activated"
    MODEL_REGISTERED = "antifraud.model.registered"
    MODEL_ACTIVATED = "antifraud.model.activated"
    MODEL_ROLLED_BACK = "antifraud.model.rolled_back"
    MODEL_SHADOWED = "antifraud.model.shadowed"
    KNOWN_PAYEE_LISTED = "antifraud.known_payee.listed"
    KNOWN_PAYEE_DELISTED = "antifraud.known_payee.delisted"
    THRESHOLDS_SAVED = "antifraud.thresholds.saved"
    THRESHOLDS_CALIBRATED = "antifraud.thresholds.calibrated"
    THRESHOLDS_ACTIVATED = "antifraud.thresholds.activated"


class Topic(enum.StrEnum):
    """Notification topics (the live feed, webhooks)."""

    ALERT_CREATED = "antifraud.alert.created"
    ALERT_UPDATED = "antifraud.alert.updated"
    ALERT_INSTRUCTED = "antifraud.alert.instructed"
    ALERT_ESCALATED = "antifraud.alert.escalated"
    RATES_DRIFTED = "antifraud.rates.drifted"


class Clock(enum.StrEnum):
    """Deadline clock kinds of an alert, each named after the event that meets it."""

    ACKNOWLEDGED = "antifraud.alert.acknowledged"
    ARRIVED = "antifraud.alert.arrived"
    CALLED_BACK = "antifraud.alert.called_back"
    HOLD_INSTRUCTED = "antifraud.hold.instructed"


# The audit action of each step of an alert's transition table.
STEP_ACTIONS = {"acknowledge": Action.ALERT_ACKNOWLEDGED, "dispatch": Action.ALERT_DISPATCHED,
                "arrive": Action.ALERT_ARRIVED, "close": Action.ALERT_CLOSED}
CLOCK_LABELS = {Clock.ACKNOWLEDGED: "签收", Clock.ARRIVED: "民警到场", Clock.CALLED_BACK: "回访劝阻",
                Clock.HOLD_INSTRUCTED: "止付到期"}
ACTION_LABELS = {
    Action.SCREENING_VIEWED: "查看筛查记录", Action.SCREENING_REVEALED: "显示个人信息", Action.ALERT_VIEWED: "查看预警",
    Action.ALERT_ACKNOWLEDGED: "签收预警", Action.ALERT_DISPATCHED: "出警", Action.ALERT_ARRIVED: "民警到场",
    Action.ALERT_CLOSED: "办结预警", Action.INTEL_LISTED: "列入情报名单", Action.INTEL_DELISTED: "移出情报名单",
    Action.FRAUD_MISSED: "漏筛诈骗（受害人报案）",
    Action.RULESET_SAVED: "保存规则版本", Action.RULESET_ACTIVATED: "恢复规则版本", Action.MODEL_REGISTERED: "登记模型",
    Action.MODEL_ACTIVATED: "启用模型", Action.MODEL_ROLLED_BACK: "回退模型", Action.MODEL_SHADOWED: "影子运行模型",
    Action.KNOWN_PAYEE_LISTED: "列入已知收款方名单", Action.KNOWN_PAYEE_DELISTED: "移出已知收款方名单",
    Action.THRESHOLDS_SAVED: "保存银行阈值", Action.THRESHOLDS_CALIBRATED: "按本行流量校准阈值",
    Action.THRESHOLDS_ACTIVATED: "恢复银行阈值版本",
}

TYPOLOGY_LABELS = {
    "brushing_rebate": "刷单返利", "investment": "虚假投资理财", "loan": "虚假网络贷款",
    "fake_customer_service": "冒充电商物流客服", "impersonating_authorities": "冒充公检法",
    "impersonating_acquaintance": "冒充领导熟人", "romance": "网络婚恋交友", "game_trading": "网络游戏虚假交易",
    "other": "其他",
}
OUTCOME_LABELS = {AlertOutcome.DISSUADED: "劝阻成功", AlertOutcome.NOT_FRAUD: "排除诈骗",
                  AlertOutcome.INSISTED: "坚持转账", AlertOutcome.FRAUD_CONFIRMED: "确认诈骗",
                  AlertOutcome.UNREACHABLE: "未能联系", AlertOutcome.NO_ANSWER: "电话未接通"}
# (label, badge tone) of each status.
STATUS_LABELS = {AlertStatus.NEW: ("待签收", "new"), AlertStatus.ACKNOWLEDGED: ("已签收", "ack"),
                 AlertStatus.DISPATCHED: ("已出警", "in-progress"), AlertStatus.ON_SITE: ("已到场", "in-progress"),
                 AlertStatus.CLOSED: ("已办结", "closed")}
KIND_LABELS = {AlertKind.ON_SITE: "到场处置", AlertKind.CALLBACK: "电话回访"}
# (label, badge tone) of each decision.
DECISION_LABELS = {Decision.ALLOW: ("放行", "success"), Decision.WARN: ("提醒", "warning"),
                   Decision.HOLD: ("止付", "danger")}
# The contract's closed sets (engine/contract.py: Channel, Signal); a test checks the keys against them.
CHANNEL_LABELS = {"counter": "柜面", "atm": "ATM", "mobile": "手机银行", "online": "网上银行"}
SIGNAL_LABELS = {
    "on_phone": "通话中", "caller_instructing": "电话另一端有人指挥", "accompanied_by_stranger": "陌生人陪同",
    "nervous_or_hurried": "神情紧张或匆忙", "refuses_to_explain": "拒绝说明用途",
    "keeps_secret_from_family": "要求对家人保密", "fixed_deposit_early_withdrawal": "提前支取定期存款",
    "remote_control_app": "安装远程控制软件", "screen_sharing": "屏幕共享", "new_device": "新设备",
    "multiple_attempts": "多次尝试",
}
INTEL_KIND_LABELS = {IntelKind.ACCOUNT: "银行账户", IntelKind.PHONE: "手机号", IntelKind.ID_NUMBER: "身份证号",
                     IntelKind.DEVICE: "设备"}
INTEL_STATUS_LABELS = {IntelStatus.ACTIVE: ("有效", "success"), IntelStatus.REMOVED: ("已移除", "neutral")}
