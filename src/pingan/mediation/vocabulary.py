"""The Chinese names of mediation codes, shared by pages, the printed agreement and the figures."""

from __future__ import annotations

import enum

from pingan.mediation.models import Category, FollowUpKind, MediatorKind, Outcome, Source
from pingan.mediation.transitions import STATUS_LABELS

SOURCE_LABELS = {Source.CALL_110: "110警情", Source.WALK_IN: "来访", Source.GRID_REPORT: "网格上报",
                 Source.COURT_REFERRAL: "法院委派"}
CATEGORY_LABELS = {
    Category.NEIGHBOUR: "邻里纠纷", Category.FAMILY: "家庭纠纷", Category.LANDLORD_TENANT: "房屋租赁",
    Category.CONSUMER: "消费纠纷", Category.CATERING_FUMES: "餐饮油烟", Category.DEMOLITION: "征地拆迁",
    Category.PARKING: "停车纠纷", Category.LABOUR: "劳资纠纷", Category.TRAFFIC: "交通事故", Category.OTHER: "其他",
}
OUTCOME_LABELS = {Outcome.SETTLED: "调解成功", Outcome.UNSETTLED: "未调解成功", Outcome.ABSENT: "当事人未到场"}
MEDIATOR_KINDS = {MediatorKind.OFFICER: "民警", MediatorKind.ELDER: "老娘舅", MediatorKind.LAWYER: "律师"}
FOLLOW_UP_KINDS = {FollowUpKind.FOLLOW_UP: "民警跟进", FollowUpKind.RETURN_VISIT: "回访"}
EVENT_LABELS = {
    "intake": "受理", "secondary": "标记为次生纠纷", "secondary_linked": "关联次生纠纷", "session.started": "开始调解",
    "session.settled": "调解成功", "session.unsettled": "未调解成功", "session.absent": "当事人未到场",
    "follow_up": "民警跟进", "return_visit": "回访", "closed": "结案", "clock.warning": "时限提醒",
    "clock.breach": "超时上报",
}



class Action(enum.StrEnum):
    """Audit actions, ``mediation.<noun>.<past-tense verb>``."""

    DISPUTE_CREATED = "mediation.dispute.created"
    DISPUTE_VIEWED = "mediation.dispute.viewed"
    DISPUTE_FOLLOWED_UP = "mediation.dispute.followed_up"
    DISPUTE_REVISITED = "mediation.dispute.revisited"
    DISPUTE_CLOSED = "mediation.dispute.closed"
    SESSION_STARTED = "mediation.session.started"
    SESSION_SETTLED = "mediation.session.settled"
    SESSION_UNSETTLED = "mediation.session.unsettled"
    SESSION_MISSED = "mediation.session.missed"
    AGREEMENT_PRINTED = "mediation.agreement.printed"
    ROOM_CREATED = "mediation.room.created"
    MEDIATOR_CREATED = "mediation.mediator.created"


class Topic(enum.StrEnum):
    """Notification topics."""

    DISPUTE_RECURRED = "mediation.dispute.recurred"
    DISPUTE_ESCALATED = "mediation.dispute.escalated"


class Clock(enum.StrEnum):
    """Deadline clock kinds, each named after the event that meets it."""

    SAME_DAY = "mediation.dispute.mediated"
    FOLLOW_UP = "mediation.dispute.followed_up"
    RETURN_VISIT = "mediation.dispute.revisited"
    PERFORMANCE = "mediation.agreement.performed"
    CLOSE = "mediation.dispute.closed"


SESSION_ACTIONS = {Outcome.SETTLED: Action.SESSION_SETTLED, Outcome.UNSETTLED: Action.SESSION_UNSETTLED,
                   Outcome.ABSENT: Action.SESSION_MISSED}
FOLLOW_UP_ACTIONS = {FollowUpKind.FOLLOW_UP: Action.DISPUTE_FOLLOWED_UP,
                     FollowUpKind.RETURN_VISIT: Action.DISPUTE_REVISITED}
FOLLOW_UP_CLOCKS = {FollowUpKind.FOLLOW_UP: Clock.FOLLOW_UP, FollowUpKind.RETURN_VISIT: Clock.RETURN_VISIT}
CLOCK_LABELS = {Clock.SAME_DAY: "当日调解", Clock.FOLLOW_UP: "社区民警跟进", Clock.RETURN_VISIT: "调解回访",
                Clock.PERFORMANCE: "协议履行", Clock.CLOSE: "调解结案"}
ACTION_LABELS = {
    Action.DISPUTE_CREATED: "受理纠纷", Action.DISPUTE_VIEWED: "查看纠纷", Action.DISPUTE_CLOSED: "结案",
    Action.AGREEMENT_PRINTED: "打印调解协议书", Action.ROOM_CREATED: "设立调解室",
    Action.MEDIATOR_CREATED: "登记调解员",
    Action.SESSION_STARTED: "开始调解", **{SESSION_ACTIONS[o]: label for o, label in OUTCOME_LABELS.items()},
    **{FOLLOW_UP_ACTIONS[k]: label for k, label in FOLLOW_UP_KINDS.items()},
}

__all__ = ["STATUS_LABELS"]
