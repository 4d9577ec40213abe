"""The Chinese names of rental codes, shared by pages, the printed plate and the figures; and its codes."""

from __future__ import annotations

import enum

from pingan.rental.models import CheckItem, DeclaredBy, KeeperRole, PropertyKind, RiskColour
from pingan.rental.transitions import STATUS_LABELS

KIND_LABELS = {PropertyKind.WHOLE_FLAT: "整套出租", PropertyKind.SHARED: "合租", PropertyKind.GROUP_RENTAL: "群租房",
               PropertyKind.DORMITORY: "集体宿舍", PropertyKind.SHOP_WITH_ROOMS: "沿街商铺带住人"}
COLOUR_LABELS = {RiskColour.GREEN: "绿色", RiskColour.YELLOW: "黄色", RiskColour.RED: "红色"}
KEEPER_LABELS = {KeeperRole.LANDLORD: "房东", KeeperRole.MANAGER: "物业管理人", KeeperRole.AGENT: "中介"}
# What a keeper may be refused (permissions.KEEPER_STEPS), as "物业管理人不能{...}".
KEEPER_STEP_LABELS = {"declare": "申报入住", "end": "申报退租", "confirm": "确认报送", "dispute": "提出异议",
                      "appoint": "委托或撤销管理人"}
DECLARED_BY_LABELS = {DeclaredBy.TENANT: "租户自主申报", DeclaredBy.LANDLORD: "房东申报",
                      DeclaredBy.MANAGER: "物业管理人申报", DeclaredBy.AGENT: "中介申报",
                      DeclaredBy.OFFICER: "民警/网格员登记"}
ITEM_LABELS = {CheckItem.EXTINGUISHER: "灭火器", CheckItem.ESCAPE_ROUTE: "逃生通道",
               CheckItem.EBIKE_CHARGING: "电动车室内充电", CheckItem.GAS: "燃气", CheckItem.WIRING: "电线线路",
               CheckItem.LOCKS: "门锁"}


class Action(enum.StrEnum):
    """Audit actions, ``rental.<noun>.<past-tense verb>``."""

    PROPERTY_CREATED = "rental.property.created"
    PROPERTY_VIEWED = "rental.property.viewed"
    TENANCY_DECLARED = "rental.tenancy.declared"
    TENANCY_CONFIRMED = "rental.tenancy.confirmed"
    TENANCY_DISPUTED = "rental.tenancy.disputed"
    TENANCY_VERIFIED = "rental.tenancy.verified"
    TENANCY_REJECTED = "rental.tenancy.rejected"
    TENANCY_ENDED = "rental.tenancy.ended"
    TENANCY_DEREGISTERED = "rental.tenancy.deregistered"
    CODE_ISSUED = "rental.code.issued"
    CODE_REVOKED = "rental.code.revoked"
    PLATE_PRINTED = "rental.plate.printed"
    INSPECTION_RECORDED = "rental.inspection.recorded"
    KEEPER_APPOINTED = "rental.keeper.appointed"
    KEEPER_WITHDRAWN = "rental.keeper.withdrawn"
    ID_PHOTO_VIEWED = "rental.id_photo.viewed"
    ID_PHOTO_PURGED = "rental.id_photo.purged"


class Topic(enum.StrEnum):
    """Notification topics."""

    REPORT_ESCALATED = "rental.report.escalated"


class Clock(enum.StrEnum):
    """Deadline clock kinds, each named after the event that meets it."""

    REPORT = "rental.tenancy.reported"
    CHASE = "rental.report.chased"
    AUDIT = "rental.report.audited"
    RECTIFY = "rental.hazard.rectified"


CLOCK_LABELS = {Clock.REPORT: "房东3个工作日内报送", Clock.CHASE: "网格员督促房东报送",
                Clock.AUDIT: "社区民警督办房东报送", Clock.RECTIFY: "隐患整改"}
PHASE_LABELS = {"in": "入住", "out": "退租"}
ACTION_LABELS = {
    Action.PROPERTY_CREATED: "登记出租房", Action.PROPERTY_VIEWED: "查看出租房", Action.TENANCY_DECLARED: "申报租户",
    Action.TENANCY_CONFIRMED: "房东确认", Action.TENANCY_DISPUTED: "房东提出异议", Action.TENANCY_VERIFIED: "上门核实",
    Action.TENANCY_REJECTED: "核实不符", Action.TENANCY_ENDED: "退租", Action.TENANCY_DEREGISTERED: "注销登记",
    Action.CODE_ISSUED: "签发房屋码", Action.CODE_REVOKED: "作废房屋码", Action.PLATE_PRINTED: "打印门牌",
    Action.INSPECTION_RECORDED: "安全检查", Action.KEEPER_APPOINTED: "委托管理人", Action.KEEPER_WITHDRAWN: "撤销委托",
    Action.ID_PHOTO_VIEWED: "查看身份证照片",
    Action.ID_PHOTO_PURGED: "删除身份证照片",
}

__all__ = ["STATUS_LABELS"]
