"""The platform's codes: audit actions and notification topics, each ``platform.<noun>.<past-tense verb>``.

The register's parts (people, places, watch) keep theirs in their own packages.
"""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    SESSION_STARTED = "platform.session.started"
    SESSION_ENDED = "platform.session.ended"
    USER_CREATED = "platform.user.created"
    USER_LOCKED = "platform.user.locked"
    APIKEY_CREATED = "platform.apikey.created"
    APIKEY_REVOKED = "platform.apikey.revoked"
    ORG_LOADED = "platform.org.loaded"
    WEBHOOK_CREATED = "platform.webhook.created"
    WEBHOOK_ACTIVATED = "platform.webhook.activated"
    WEBHOOK_DEACTIVATED = "platform.webhook.deactivated"
    WEBHOOK_DELETED = "platform.webhook.deleted"
    DEADLINE_WARNED = "platform.deadline.warned"
    DEADLINE_BREACHED = "platform.deadline.breached"


class Topic(enum.StrEnum):
    DEADLINE_WARNED = "platform.deadline.warned"
    DEADLINE_BREACHED = "platform.deadline.breached"


ACTION_LABELS = {
    Action.SESSION_STARTED: "登录", Action.SESSION_ENDED: "退出登录", Action.USER_LOCKED: "账户锁定",
    Action.USER_CREATED: "创建用户", Action.APIKEY_CREATED: "创建 API 密钥", Action.APIKEY_REVOKED: "吊销 API 密钥",
    Action.ORG_LOADED: "导入组织机构", Action.WEBHOOK_CREATED: "创建推送", Action.WEBHOOK_DELETED: "删除推送",
    Action.WEBHOOK_ACTIVATED: "启用推送", Action.WEBHOOK_DEACTIVATED: "停用推送",
    Action.DEADLINE_WARNED: "时限提醒", Action.DEADLINE_BREACHED: "超时上报",
}
