"""The codes of 一窗通办 (audit actions, notification topics, clock kinds) and every Chinese label."""

from __future__ import annotations

import enum

from pingan.onewindow.models import (
    Channel,
    Department,
    Handover,
    ItemStatus,
    LimitKind,
    RectificationStatus,
    ServicePointStatus,
    TicketStatus,
)

DEPARTMENT_LABELS = {Department.HOUSEHOLD: "户政", Department.ID_CARD: "居民身份证",
                     Department.EXIT_ENTRY: "出入境", Department.TRAFFIC: "交通管理",
                     Department.PUBLIC_ORDER: "治安", Department.PARTNER: "部门联办"}
ITEM_STATUS_LABELS = {
    ItemStatus.AWAITING_MATERIALS: "待补材料", ItemStatus.ACCEPTED: "已受理", ItemStatus.IN_PROGRESS: "办理中",
    ItemStatus.READY: "待领取", ItemStatus.HANDED_OVER: "已交付", ItemStatus.ISSUED_ON_SPOT: "当场办结",
    ItemStatus.REJECTED: "不予受理",
}
RECTIFICATION_STATUS_LABELS = {
    RectificationStatus.OPEN: "整改中", RectificationStatus.CALLED_BACK: "已回访",
    RectificationStatus.CLOSED: "已办结", RectificationStatus.APPEALED: "申诉复核中",
    RectificationStatus.ANNULLED: "申诉成立，差评撤销",
}
POINT_STATUS_LABELS = {ServicePointStatus.ACTIVE: "服务中", ServicePointStatus.SUSPENDED: "暂停",
                       ServicePointStatus.CLOSED: "已撤销"}
LIMIT_KIND_LABELS = {LimitKind.CALENDAR: "自然日", LimitKind.WORKING: "工作日"}
CHANNEL_LABELS = {Channel.WINDOW: "窗口", Channel.ONLINE: "网上办", Channel.PARTNER: "政务App",
                  Channel.VILLAGE_AGENT: "村级代办"}
HANDOVER_LABELS = {Handover.COLLECTED: "窗口领取", Handover.POSTED: "邮寄"}
TICKET_STATUS_LABELS = {TicketStatus.WAITING: "等候中", TicketStatus.CALLED: "办理中", TicketStatus.DONE: "已办结",
                        TicketStatus.NO_SHOW: "过号"}
# 好差评: five grades, 5 best.
GRADE_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
# 不满意 and 非常不满意 open a rectification.
BAD_GRADES = frozenset({1, 2})


class Action(enum.StrEnum):
    """Audit actions, ``onewindow.<noun>.<past-tense verb>``."""

    CATALOGUE_LOADED = "onewindow.catalogue.loaded"
    APPLICATION_CREATED = "onewindow.application.created"
    APPLICATION_VIEWED = "onewindow.application.viewed"
    NOTICE_ISSUED = "onewindow.notice.issued"
    NOTICE_PRINTED = "onewindow.notice.printed"
    ITEM_SUPPLIED = "onewindow.item.supplied"
    ITEM_STARTED = "onewindow.item.started"
    ITEM_READIED = "onewindow.item.readied"
    ITEM_COLLECTED = "onewindow.item.collected"
    ITEM_POSTED = "onewindow.item.posted"
    ITEM_ISSUED = "onewindow.item.issued"
    ITEM_REJECTED = "onewindow.item.rejected"
    ITEM_RATED = "onewindow.item.rated"
    TICKET_TAKEN = "onewindow.ticket.taken"
    TICKET_CALLED = "onewindow.ticket.called"
    TICKET_FINISHED = "onewindow.ticket.finished"
    RECTIFICATION_OPENED = "onewindow.rectification.opened"
    POINT_REGISTERED = "onewindow.point.registered"
    POINT_UPDATED = "onewindow.point.updated"
    POINT_SUSPENDED = "onewindow.point.suspended"
    POINT_RESUMED = "onewindow.point.resumed"
    POINT_CLOSED = "onewindow.point.closed"
    PARTNER_ITEMS_VIEWED = "onewindow.partner.viewed"
    RECTIFICATION_CALLED_BACK = "onewindow.rectification.called_back"
    RECTIFICATION_CLOSED = "onewindow.rectification.closed"
    RECTIFICATION_APPEALED = "onewindow.rectification.appealed"
    RECTIFICATION_UPHELD = "onewindow.rectification.upheld"
    RECTIFICATION_DISMISSED = "onewindow.rectification.dismissed"


# The buttons of an item's steps.
STEP_LABELS = {"supplied": "材料已补齐", "start": "开始办理", "ready": "办好待领", "collect": "窗口领取",
               "post": "邮寄", "issue_on_spot": "当场办结", "reject": "不予受理"}
# The buttons of a rectification's steps, and what the note of each records.
RECTIFICATION_STEP_LABELS = {"call_back": "记录回访", "close": "整改办结", "appeal": "提出申诉",
                             "uphold": "申诉成立", "dismiss": "驳回申诉"}
RECTIFICATION_NOTE_LABELS = {"call_back": "回访情况", "close": "整改措施", "appeal": "申诉理由",
                             "uphold": "复核意见", "dismiss": "复核意见"}
ITEM_ACTIONS = {"supplied": Action.ITEM_SUPPLIED, "start": Action.ITEM_STARTED, "ready": Action.ITEM_READIED,
                "collect": Action.ITEM_COLLECTED, "post": Action.ITEM_POSTED, "issue_on_spot": Action.ITEM_ISSUED,
                "reject": Action.ITEM_REJECTED}
POINT_ACTIONS = {"suspend": Action.POINT_SUSPENDED, "resume": Action.POINT_RESUMED, "close": Action.POINT_CLOSED}
POINT_STEP_LABELS = {"suspend": "暂停代办", "resume": "恢复代办", "close": "撤销代办点"}
RECTIFICATION_ACTIONS = {"call_back": Action.RECTIFICATION_CALLED_BACK, "close": Action.RECTIFICATION_CLOSED,
                         "appeal": Action.RECTIFICATION_APPEALED, "uphold": Action.RECTIFICATION_UPHELD,
                         "dismiss": Action.RECTIFICATION_DISMISSED}


class Topic(enum.StrEnum):
    """Notification topics (an SMS gateway subscribes a webhook to ``onewindow.item.readied``)."""

    ITEM_READIED = "onewindow.item.readied"
    ITEM_WARNED = "onewindow.item.warned"
    ITEM_ESCALATED = "onewindow.item.escalated"
    RECTIFICATION_OPENED = "onewindow.rectification.opened"
    RECTIFICATION_WARNED = "onewindow.rectification.warned"
    RECTIFICATION_ESCALATED = "onewindow.rectification.escalated"


class Clock(enum.StrEnum):
    """Deadline clock kinds, each named after the event that meets it."""

    ITEM = "onewindow.item.completed"
    RECTIFICATION = "onewindow.rectification.closed"


CLOCK_LABELS = {Clock.ITEM: "法定办理时限", Clock.RECTIFICATION: "差评整改"}
ACTION_LABELS = {
    Action.CATALOGUE_LOADED: "导入事项目录", Action.APPLICATION_CREATED: "受理申请",
    Action.APPLICATION_VIEWED: "查看申请", Action.NOTICE_ISSUED: "出具一次性告知书",
    Action.NOTICE_PRINTED: "打印一次性告知书", Action.ITEM_SUPPLIED: "补齐材料", Action.ITEM_STARTED: "开始办理",
    Action.ITEM_READIED: "办好待领", Action.ITEM_COLLECTED: "窗口领取", Action.ITEM_POSTED: "邮寄送达",
    Action.ITEM_ISSUED: "当场办结", Action.ITEM_REJECTED: "不予受理", Action.ITEM_RATED: "评价",
    Action.TICKET_TAKEN: "取号", Action.TICKET_CALLED: "叫号", Action.TICKET_FINISHED: "办结离柜",
    Action.RECTIFICATION_OPENED: "差评整改立项", Action.RECTIFICATION_CALLED_BACK: "整改回访",
    Action.RECTIFICATION_CLOSED: "整改办结", Action.RECTIFICATION_APPEALED: "差评申诉",
    Action.RECTIFICATION_UPHELD: "申诉成立", Action.RECTIFICATION_DISMISSED: "申诉驳回",
    Action.POINT_REGISTERED: "登记代办点", Action.POINT_UPDATED: "修改代办点", Action.POINT_SUSPENDED: "暂停代办点",
    Action.POINT_RESUMED: "恢复代办点", Action.POINT_CLOSED: "撤销代办点",
    Action.PARTNER_ITEMS_VIEWED: "合作部门查看事项",
}
