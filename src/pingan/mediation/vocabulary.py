"""The Chinese names of mediation codes, shared by pages, the printed agreement and the figures."""

from __future__ import annotations

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

__all__ = ["STATUS_LABELS"]
