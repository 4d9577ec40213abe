"""The navigation bar: platform and modules register entries, each visible to some roles."""

from __future__ import annotations

from dataclasses import dataclass

from pingan.platform.auth.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[Role] | None
    order: int


_items: list[NavItem] = []


def register(label: str, href: str, *, roles: set[Role] | None = None, order: int = 100) -> None:
    if any(item.href == href for item in _items):
        return
    _items.append(NavItem(label, href, frozenset(roles) if roles is not None else None, order))
    _items.sort(key=lambda item: item.order)


def items_for(user: User) -> list[NavItem]:
    return [i for i in _items if i.roles is None or user.role is Role.ADMIN or user.role in i.roles]


_POLICE = {Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.MEDIATOR,
           Role.GRID_WORKER, Role.WINDOW_CLERK}
register("首页", "/", order=0)
register("组织机构", "/org", roles=_POLICE | {Role.TELLER}, order=900)
register("审计日志", "/audit", roles={Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER}, order=950)
