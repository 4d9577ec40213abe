"""Auth tables: users with a role and a place in the organisation, web sessions, hashed API keys."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pingan.core.db import Base, StrEnumType, UtcDateTime
from pingan.platform.org.models import Bank, BankBranch, OrgUnit


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEADER = "leader"
    ANALYST = "analyst"
    DUTY_OFFICER = "duty_officer"
    COMMUNITY_OFFICER = "community_officer"
    TELLER = "teller"
    BANK_SYSTEM = "bank_system"
    GRID_WORKER = "grid_worker"
    MEDIATOR = "mediator"
    WINDOW_CLERK = "window_clerk"
    # The window clerk of a partner bureau (人社, 民政 …): only the one-window items routed to that bureau.
    PARTNER_CLERK = "partner_clerk"
    LANDLORD = "landlord"


ROLE_LABELS = {
    Role.ADMIN: "系统管理员",
    Role.LEADER: "分局领导",
    Role.ANALYST: "反诈中心研判员",
    Role.DUTY_OFFICER: "派出所值班民警",
    Role.COMMUNITY_OFFICER: "社区民警",
    Role.TELLER: "银行柜员",
    Role.BANK_SYSTEM: "银行系统",
    Role.GRID_WORKER: "网格员",
    Role.MEDIATOR: "调解员",
    Role.WINDOW_CLERK: "窗口办事员",
    Role.PARTNER_CLERK: "合作部门窗口",
    Role.LANDLORD: "房东",
}

BANK_ROLES = frozenset({Role.TELLER, Role.BANK_SYSTEM})


class User(Base):
    __tablename__ = "auth_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role, 32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("org_bank.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("org_bank_branch.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

    unit: Mapped[OrgUnit | None] = relationship()
    bank: Mapped[Bank | None] = relationship()
    branch: Mapped[BankBranch | None] = relationship()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_bank_user(self) -> bool:
        return self.role in BANK_ROLES


class WebSession(Base):
    __tablename__ = "auth_web_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class ApiKey(Base):
    __tablename__ = "auth_api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The visible prefix finds the row; only a hash of the whole key is stored.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("auth_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship()
