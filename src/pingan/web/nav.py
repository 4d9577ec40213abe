"""The navigation side bar: modules register their entries under their module group; a user sees only the
entries their role may open, and lands on the entry declared as their role's landing page.

A module declares its entries in one list (``nav.register("mediation", [nav.Entry(...), ...])``); the group's
label and place come from ``GROUPS`` here, its English from the locale files like every label.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import KW_ONLY, dataclass

from pingan.platform.users.models import Role, User

TODO_HREF = "/todo"


@dataclass(frozen=True)
class Group:
    code: str
    label: str


@dataclass(frozen=True)
class Entry:
    """One link. ``roles`` None: every signed-in user; administrators see every entry but those of one account's
    own desk (``for_admin`` False: a partner desk's page, which an administrator has none of). ``landing_for``:
    the roles whose landing page (``/``) this entry is."""

    label: str
    href: str
    _: KW_ONLY
    roles: Collection[Role] | None = None
    landing_for: Collection[Role] = ()
    for_admin: bool = True

    def __post_init__(self) -> None:
        if self.roles is not None:
            object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "landing_for", frozenset(self.landing_for))

    def visible_to(self, user: User) -> bool:
        return self.roles is None or (user.role is Role.ADMIN and self.for_admin) or user.role in self.roles


# The side bar's groups, in order: the personal to-do, one per module (those not built yet are listed so their
# place is settled), and the platform's own pages last.
GROUPS = (
    Group("work", "工作台"),
    Group("antifraud", "警银通"),
    Group("mediation", "调解室"),
    Group("cases", "打击"),
    Group("grid", "警网融合"),
    Group("rental", "租安心"),
    Group("onewindow", "一窗通办"),
    Group("stats", "数据看板"),
    Group("register", "一标三实"),
    Group("platform", "平台"),
)
_GROUP_CODES = {g.code for g in GROUPS}
_entries: dict[str, list[Entry]] = {g.code: [] for g in GROUPS}


@dataclass(frozen=True)
class MenuEntry:
    label: str
    href: str
    active: bool


@dataclass(frozen=True)
class MenuGroup:
    code: str
    label: str
    entries: list[MenuEntry]


def register(group: str, entries: Iterable[Entry]) -> None:
    """Add a module's entries to its group, in the order given; an entry registered again is ignored."""
    if group not in _GROUP_CODES:
        raise ValueError(f"unknown navigation group {group!r}; add it to pingan.web.nav.GROUPS")
    known = {e.href for items in _entries.values() for e in items}
    for entry in entries:
        if entry.href not in known:
            _entries[group].append(entry)
            known.add(entry.href)


def entries_for(user: User) -> list[Entry]:
    """Every entry the user's role may open, in side-bar order."""
    return [e for g in GROUPS for e in _entries[g.code] if e.visible_to(user)]


def menu_for(user: User, path: str) -> list[MenuGroup]:
    """The side bar for ``user`` on ``path``: non-empty groups; the entry with the longest matching address is
    the active one (``/antifraud/alerts/measures`` is not also ``/antifraud/alerts``)."""
    visible = entries_for(user)
    matches = [e.href for e in visible if path == e.href or path.startswith(e.href.rstrip("/") + "/")]
    current = max(matches, key=len, default=None)
    menu = []
    for g in GROUPS:
        items = [MenuEntry(e.label, e.href, e.href == current) for e in _entries[g.code] if e.visible_to(user)]
        if items:
            menu.append(MenuGroup(g.code, g.label, items))
    return menu


def landing_for(user: User) -> str:
    """Where ``/`` takes the user: the entry declared as their role's landing page, else the to-do."""
    for entry in entries_for(user):
        if user.role in entry.landing_for:
            return entry.href
    return TODO_HREF


_POLICE = {Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER, Role.COMMUNITY_OFFICER, Role.MEDIATOR,
           Role.GRID_WORKER, Role.WINDOW_CLERK}
register("work", [Entry("待办", TODO_HREF)])
register("platform", [
    Entry("组织机构", "/org", roles=_POLICE | {Role.TELLER}),
    Entry("审计日志", "/audit", roles={Role.LEADER, Role.ANALYST, Role.DUTY_OFFICER}),
])
