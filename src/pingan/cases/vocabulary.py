"""The codes of 打击 (audit actions, notification topics, clock kinds) and every Chinese label, keyed by the
enums of models.py; pages, figures and the Excel export read them from here."""

from __future__ import annotations

import enum

from pingan.cases.models import (
    CallCategory,
    CaseCategory,
    CaseKind,
    CaseStatus,
    ContactMethod,
    Danger,
    DisposalKind,
    Disposition,
    FilingTrack,
    FugitiveStatus,
    ItemStatus,
    ItemUnit,
    MovementKind,
    PayeeStatus,
    PersonKind,
    SuspectStatus,
    TaskStatus,
)


class Action(enum.StrEnum):
    """Audit actions, ``cases.<noun>.<past-tense verb>``."""

    CALL_RECORDED = "cases.call.recorded"
    CALL_DISPOSED = "cases.call.disposed"
    CALL_RETURNED = "cases.call.returned"
    CASE_CREATED = "cases.case.created"
    CASE_VIEWED = "cases.case.viewed"
    CASE_FILED = "cases.case.filed"
    CASE_NOT_FILED = "cases.case.not_filed"
    CASE_INVESTIGATED = "cases.case.investigated"
    CASE_SOLVED = "cases.case.solved"
    CASE_TRANSFERRED = "cases.case.transferred"
    CASE_CLOSED = "cases.case.closed"
    CASE_WITHDRAWN = "cases.case.withdrawn"
    CASE_RETRACKED = "cases.case.retracked"
    CASE_EXTENDED = "cases.case.extended"
    PERSON_ADDED = "cases.person.added"
    PERSON_UPDATED = "cases.person.updated"
    FUGITIVE_REGISTERED = "cases.fugitive.registered"
    FUGITIVE_ENDED = "cases.fugitive.ended"
    ITEM_SEIZED = "cases.item.seized"
    ITEM_MOVED = "cases.item.moved"
    FRAUD_REPORTED = "cases.fraud.reported"
    PAYEE_ANSWERED = "cases.payee.answered"
    PAYEE_RENEWED = "cases.payee.renewed"
    PAYEE_FROZEN = "cases.payee.frozen"
    TASK_FORCE_CREATED = "cases.task_force.created"
    TASK_RAISED = "cases.task.raised"
    TASK_MOVED = "cases.task.moved"


class Topic(enum.StrEnum):
    """Notification topics."""

    CASE_ESCALATED = "cases.case.escalated"
    STOP_PAYMENT_REQUESTED = "cases.payee.stop_requested"
    CUSTODY_ESCALATED = "cases.item.escalated"
    FRAUD_HIGH_LOSS = "cases.fraud.reported"


class Clock(enum.StrEnum):
    """Deadline clock kinds, each named after the event that meets it."""

    FILING = "cases.case.decided"
    PUBLIC_ORDER = "cases.case.concluded"
    SMALL_CASE = "cases.case.solved"
    CUSTODY = "cases.item.handed_over"
    LOAN = "cases.item.returned"
    STOP_PAYMENT = "cases.payee.stopped"
    FREEZE = "cases.payee.frozen"
    TASK = "cases.task.done"


CALL_CATEGORY_LABELS = {
    CallCategory.CRIMINAL: "刑事警情", CallCategory.PUBLIC_ORDER: "治安警情", CallCategory.DISPUTE: "纠纷警情",
    CallCategory.FRAUD: "电诈警情", CallCategory.TRAFFIC: "交通警情", CallCategory.HELP: "求助",
    CallCategory.OTHER: "其他",
}
DISPOSITION_LABELS = {Disposition.CASE: "立案侦办", Disposition.DISPUTE: "转调解", Disposition.GRID: "移交网格",
                      Disposition.FALSE: "虚假警情", Disposition.REPEAT: "重复报警"}
KIND_LABELS = {CaseKind.CRIMINAL: "刑事案件", CaseKind.ADMINISTRATIVE: "行政（治安）案件"}
CATEGORY_LABELS = {
    CaseCategory.HOMICIDE: "命案", CaseCategory.ROBBERY: "抢劫", CaseCategory.SNATCHING: "抢夺",
    CaseCategory.THEFT: "盗窃", CaseCategory.PROPERTY_OTHER: "其他侵财", CaseCategory.TELECOM_FRAUD: "电信网络诈骗",
    CaseCategory.COUNTERFEIT: "制售假冒伪劣", CaseCategory.WILDLIFE: "野生动物", CaseCategory.PUBLIC_ORDER: "治安",
    CaseCategory.OTHER: "其他",
}
STATUS_LABELS = {
    CaseStatus.RECEIVED: "已受案", CaseStatus.FILED: "已立案", CaseStatus.NOT_FILED: "不予立案",
    CaseStatus.INVESTIGATING: "侦查中", CaseStatus.SOLVED: "已破案", CaseStatus.TRANSFERRED: "已移送起诉",
    CaseStatus.CLOSED: "已结案", CaseStatus.WITHDRAWN: "已撤销",
}
TRACK_LABELS = {FilingTrack.STANDARD: "3日内决定", FilingTrack.CLUE_CHECK: "核查线索 7日",
                FilingTrack.COMPLEX: "重大复杂 30日（经批准）"}
PERSON_KIND_LABELS = {PersonKind.SUSPECT: "嫌疑人", PersonKind.VICTIM: "被害人", PersonKind.WITNESS: "证人"}
SUSPECT_STATUS_LABELS = {SuspectStatus.AT_LARGE: "在逃", SuspectStatus.DETAINED: "刑事拘留",
                         SuspectStatus.ON_BAIL: "取保候审", SuspectStatus.ARRESTED: "逮捕",
                         SuspectStatus.RELEASED: "释放"}
DANGER_LABELS = {Danger.LOW: "一般", Danger.MEDIUM: "较大", Danger.HIGH: "重大"}
FUGITIVE_STATUS_LABELS = {FugitiveStatus.AT_LARGE: "在逃", FugitiveStatus.CAUGHT: "已抓获",
                          FugitiveStatus.DEAD: "已死亡", FugitiveStatus.REVOKED: "已撤销"}
UNIT_LABELS = {ItemUnit.BOX: "箱", ItemUnit.TONNE: "吨", ItemUnit.SET: "套", ItemUnit.CARTON: "条",
               ItemUnit.PIECE: "件"}
ITEM_STATUS_LABELS = {ItemStatus.SEIZED: "已扣押待移交", ItemStatus.IN_CUSTODY: "保管中", ItemStatus.LENT: "调用中",
                      ItemStatus.DISPOSED: "已处置"}
MOVEMENT_LABELS = {MovementKind.SEIZED: "扣押", MovementKind.HANDED_OVER: "移交保管", MovementKind.LENT: "调用",
                   MovementKind.RETURNED: "归还", MovementKind.DISPOSED: "处置"}
DISPOSAL_LABELS = {DisposalKind.RETURNED_TO_OWNER: "发还", DisposalKind.DESTROYED: "销毁",
                   DisposalKind.CONFISCATED: "没收"}
CONTACT_LABELS = {ContactMethod.PHONE: "电话", ContactMethod.SMS: "短信", ContactMethod.WECHAT: "微信",
                  ContactMethod.QQ: "QQ", ContactMethod.APP: "APP", ContactMethod.WEBSITE: "网站",
                  ContactMethod.OTHER: "其他"}
PAYEE_STATUS_LABELS = {PayeeStatus.LISTED: "已列入情报名单",
                       PayeeStatus.STOP_REQUESTED: "紧急止付待反馈", PayeeStatus.STOPPED: "已止付",
                       PayeeStatus.REFUSED: "银行未能止付", PayeeStatus.FROZEN: "已冻结",
                       PayeeStatus.LAPSED: "止付已失效"}
TASK_STATUS_LABELS = {TaskStatus.RAISED: "待分配", TaskStatus.ALLOCATED: "已分配", TaskStatus.DONE: "已完成",
                      TaskStatus.RESULTED: "已出结果"}
CLOCK_LABELS = {Clock.FILING: "立案审查", Clock.PUBLIC_ORDER: "治安案件办案期限", Clock.SMALL_CASE: "小案当日办结",
                Clock.CUSTODY: "涉案财物24小时移交", Clock.LOAN: "调用归还", Clock.STOP_PAYMENT: "紧急止付48小时",
                Clock.FREEZE: "冻结6个月", Clock.TASK: "专班任务"}
EVENT_LABELS = {
    "received": "受案", "filed": "立案", "not_filed": "不予立案", "investigating": "开展侦查", "solved": "破案",
    "transferred": "移送起诉", "closed": "结案", "withdrawn": "撤销案件", "retracked": "变更立案审查期限",
    "extended": "延长办案期限", "person": "添加涉案人员", "person.updated": "涉案人员状态变更",
    "fugitive": "登记在逃人员", "fugitive.caught": "抓获在逃人员", "seized": "扣押财物", "fraud": "电诈报案",
    "clock.warning": "时限提醒", "clock.breach": "超时上报",
}
ACTION_LABELS = {
    Action.CALL_RECORDED: "接警登记", Action.CALL_DISPOSED: "警情处置", Action.CALL_RETURNED: "网格退回警情",
    Action.CASE_CREATED: "受案登记",
    Action.CASE_VIEWED: "查看案件", Action.CASE_FILED: "立案", Action.CASE_NOT_FILED: "不予立案",
    Action.CASE_INVESTIGATED: "开展侦查", Action.CASE_SOLVED: "破案", Action.CASE_TRANSFERRED: "移送起诉",
    Action.CASE_CLOSED: "结案", Action.CASE_WITHDRAWN: "撤销案件", Action.CASE_RETRACKED: "变更立案审查期限",
    Action.CASE_EXTENDED: "延长办案期限", Action.PERSON_ADDED: "添加涉案人员",
    Action.PERSON_UPDATED: "变更涉案人员状态",
    Action.FUGITIVE_REGISTERED: "登记在逃人员", Action.FUGITIVE_ENDED: "在逃人员销案",
    Action.ITEM_SEIZED: "扣押财物", Action.ITEM_MOVED: "财物流转", Action.FRAUD_REPORTED: "电诈报案",
    Action.PAYEE_ANSWERED: "银行止付反馈", Action.PAYEE_RENEWED: "续止付", Action.PAYEE_FROZEN: "冻结",
    Action.TASK_FORCE_CREATED: "成立专班", Action.TASK_RAISED: "下达任务", Action.TASK_MOVED: "任务流转",
}
