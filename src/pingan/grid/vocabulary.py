"""The codes of 警网融合 (audit actions, notification topics, clock kinds) and every Chinese label, keyed by the
enums; shared by pages, the API's labels and the figures."""

from __future__ import annotations

import enum

from pingan.grid.models import (
    CallStatus,
    CollectionKind,
    HandoverTarget,
    MemberKind,
    MemberStatus,
    PatrolStatus,
    PublicityTopic,
    ReportCategory,
    ReportStatus,
    TargetKind,
)

MEMBER_KINDS = {MemberKind.GRID_WORKER: "网格员", MemberKind.GUARD: "保安", MemberKind.BUILDING_HEAD: "楼道长",
                MemberKind.VOLUNTEER: "平安志愿者", MemberKind.OTHER: "其他"}
MEMBER_STATUSES = {MemberStatus.ACTIVE: "在岗", MemberStatus.ON_LEAVE: "请假", MemberStatus.LEFT: "离岗"}
CATEGORY_LABELS = {
    ReportCategory.SAFETY_HAZARD: "安全隐患", ReportCategory.DISPUTE: "矛盾纠纷",
    ReportCategory.SUSPICIOUS_PERSON: "可疑人员", ReportCategory.WILDLIFE: "野生动物",
    ReportCategory.FIRE_RISK: "消防隐患", ReportCategory.RENTAL_HOUSE: "出租房屋",
    ReportCategory.FRAUD_LEAD: "涉诈线索", ReportCategory.OTHER: "其他",
}
COLLECTION_KINDS = {CollectionKind.FLOATING_POPULATION: "流动人口", CollectionKind.RENTAL_HOUSE: "出租房屋",
                    CollectionKind.SHOP: "店铺/重点场所", CollectionKind.HAZARD: "隐患"}
# What the phone's collection form asks for each kind (the record keeps them in ``data``; all optional).
COLLECTION_FIELDS = {
    CollectionKind.FLOATING_POPULATION.value: (("phone", "联系电话"), ("work", "工作单位/务工情况"),
                                               ("moved_in", "入住日期"), ("note", "备注")),
    CollectionKind.RENTAL_HOUSE.value: (("landlord", "房东"), ("tenants", "租住人数"), ("checked", "检查情况"),
                                        ("note", "备注")),
    CollectionKind.SHOP.value: (("shop_name", "店名/场所名称"), ("owner", "负责人"), ("checked", "检查情况"),
                                ("note", "备注")),
    CollectionKind.HAZARD.value: (("hazard", "隐患情况"), ("note", "备注")),
}
COLLECTION_FIELD_LABELS = {code: label for fields in COLLECTION_FIELDS.values() for code, label in fields}
PATROL_STATUSES = {PatrolStatus.PLANNED: "计划中", PatrolStatus.UNDER_WAY: "巡逻中", PatrolStatus.ENDED: "已结束"}
PUBLICITY_TOPICS = {PublicityTopic.ANTI_FRAUD: "反诈", PublicityTopic.FIRE: "消防",
                    PublicityTopic.ROAD_SAFETY: "交通安全", PublicityTopic.DRUGS: "禁毒", PublicityTopic.OTHER: "其他"}
TARGET_KINDS = {TargetKind.COLLECTION: "信息采集", TargetKind.PATROL: "联动巡逻", TargetKind.PUBLICITY: "宣防活动"}
HANDOVER_LABELS = {HandoverTarget.MEDIATION: "移交调解室", HandoverTarget.CASES: "移交派出所（警情/案件）",
                   HandoverTarget.DEPARTMENT: "移交其他部门"}
EVENT_LABELS = {
    "submitted": "上报", "accepted": "受理", "handled": "处置", "handed_over": "移交", "fed_back": "反馈",
    "closed": "办结", "linked": "并入原报告", "duplicate_linked": "关联重复上报", "photo": "上传照片",
    "received": "接收警情", "returned": "退回派出所", "called_back": "回访", "repeat": "重复来电",
    "repeat_linked": "再次来电", "clock.warning": "时限提醒", "clock.breach": "超时催办", "clock.escalated": "超时上报",
    "video": "视频通话", "cases_outcome": "派出所处置结果",
}

RS, CS = ReportStatus, CallStatus
REPORT_STATUS_LABELS = {RS.SUBMITTED: "待受理", RS.ACCEPTED: "已受理", RS.HANDLED: "已处置", RS.HANDED_OVER: "已移交",
                        RS.FED_BACK: "已反馈", RS.CLOSED: "已办结", RS.LINKED: "已并入原报告"}
CALL_STATUS_LABELS = {CS.RECEIVED: "待签收", CS.ACCEPTED: "已签收", CS.HANDLED: "已处置", CS.FED_BACK: "已反馈",
                      CS.CLOSED: "已办结", CS.CALLED_BACK: "已回访", CS.RETURNED: "已退回派出所"}


class Action(enum.StrEnum):
    """Audit actions, ``grid.<noun>.<past-tense verb>``."""

    MEMBER_CREATED = "grid.member.created"
    MEMBER_UPDATED = "grid.member.updated"
    COVERAGE_ASSIGNED = "grid.coverage.assigned"
    REPORT_SUBMITTED = "grid.report.submitted"
    REPORT_VIEWED = "grid.report.viewed"
    REPORT_ACCEPTED = "grid.report.accepted"
    REPORT_HANDLED = "grid.report.handled"
    REPORT_HANDED_OVER = "grid.report.handed_over"
    REPORT_FED_BACK = "grid.report.fed_back"
    REPORT_CLOSED = "grid.report.closed"
    REPORT_LINKED = "grid.report.linked"
    PHOTO_ADDED = "grid.photo.added"
    CALL_RECEIVED = "grid.call.received"
    CALL_VIEWED = "grid.call.viewed"
    CALL_ACCEPTED = "grid.call.accepted"
    CALL_HANDLED = "grid.call.handled"
    CALL_FED_BACK = "grid.call.fed_back"
    CALL_CLOSED = "grid.call.closed"
    CALL_CALLED_BACK = "grid.call.called_back"
    CALL_RETURNED = "grid.call.returned"
    COLLECTION_CREATED = "grid.collection.created"
    COLLECTION_UPDATED = "grid.collection.updated"
    COLLECTION_VERIFIED = "grid.collection.verified"
    COLLECTION_VIEWED = "grid.collection.viewed"
    PATROL_PLANNED = "grid.patrol.planned"
    PATROL_STARTED = "grid.patrol.started"
    PATROL_CHECKED_IN = "grid.patrol.checked_in"
    PATROL_ENDED = "grid.patrol.ended"
    PATROL_VERIFIED = "grid.patrol.verified"
    CHECKPOINT_CREATED = "grid.checkpoint.created"
    PUBLICITY_RECORDED = "grid.publicity.recorded"
    PUBLICITY_VERIFIED = "grid.publicity.verified"
    TARGET_SET = "grid.target.set"
    VIDEO_STARTED = "grid.video.started"
    VIDEO_ENDED = "grid.video.ended"


class Topic(enum.StrEnum):
    """Notification topics."""

    REPORT_SUBMITTED = "grid.report.submitted"
    REPORT_FED_BACK = "grid.report.fed_back"
    # The station disposed of the call a report handed to the police became.
    REPORT_POLICE_OUTCOME = "grid.report.police_outcome"
    CALL_RECEIVED = "grid.call.received"
    CALL_FED_BACK = "grid.call.fed_back"
    CALL_RETURNED = "grid.call.returned"
    CALL_REPEATED = "grid.call.repeated"
    WORK_CHASED = "grid.work.chased"
    WORK_ESCALATED = "grid.work.escalated"
    COLLECTION_CONFLICTED = "grid.collection.conflicted"


class Clock(enum.StrEnum):
    """Deadline clock kinds, each named after the event that meets it."""

    REPORT_ACCEPT = "grid.report.accepted"
    REPORT_FEEDBACK = "grid.report.fed_back"
    CALL_ACCEPT = "grid.call.accepted"
    CALL_FEEDBACK = "grid.call.fed_back"
    CALL_BACK = "grid.call.called_back"
    # Started when one of the above runs out (the chase notice): met when that step is done, escalated if not.
    CHASE = "grid.work.caught_up"


CLOCK_LABELS = {Clock.REPORT_ACCEPT: "上报受理", Clock.REPORT_FEEDBACK: "上报反馈", Clock.CALL_ACCEPT: "警情签收",
                Clock.CALL_FEEDBACK: "警情反馈", Clock.CALL_BACK: "办结次日回访", Clock.CHASE: "催办"}
ACTION_LABELS = {
    Action.MEMBER_CREATED: "登记网格力量", Action.MEMBER_UPDATED: "更新网格力量",
    Action.COVERAGE_ASSIGNED: "指定网格民警",
    Action.REPORT_SUBMITTED: "网格上报", Action.REPORT_VIEWED: "查看上报", Action.REPORT_ACCEPTED: "受理上报",
    Action.REPORT_HANDLED: "处置上报", Action.REPORT_HANDED_OVER: "移交上报", Action.REPORT_FED_BACK: "反馈上报",
    Action.REPORT_CLOSED: "办结上报", Action.REPORT_LINKED: "并入原报告", Action.PHOTO_ADDED: "上传照片",
    Action.CALL_RECEIVED: "接收分流警情", Action.CALL_VIEWED: "查看分流警情", Action.CALL_ACCEPTED: "签收警情",
    Action.CALL_HANDLED: "处置警情", Action.CALL_FED_BACK: "反馈警情", Action.CALL_CLOSED: "办结警情",
    Action.CALL_CALLED_BACK: "回访警情", Action.CALL_RETURNED: "退回警情",
    Action.COLLECTION_CREATED: "信息采集", Action.COLLECTION_UPDATED: "更新采集信息",
    Action.COLLECTION_VERIFIED: "核实采集信息", Action.COLLECTION_VIEWED: "查看采集信息",
    Action.PATROL_PLANNED: "计划巡逻", Action.PATROL_STARTED: "开始巡逻",
    Action.PATROL_CHECKED_IN: "巡逻打卡", Action.PATROL_ENDED: "结束巡逻", Action.PATROL_VERIFIED: "核实巡逻",
    Action.CHECKPOINT_CREATED: "设立巡逻点", Action.PUBLICITY_RECORDED: "记录宣防活动",
    Action.PUBLICITY_VERIFIED: "核实宣防活动", Action.TARGET_SET: "设定年度目标",
    Action.VIDEO_STARTED: "发起视频通话", Action.VIDEO_ENDED: "结束视频通话",
}
