"""The demo county: organisation file and one demo user for every role (idempotent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core.identity import make_resident_id
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_file
from pingan.platform.places import demo as places_demo
from pingan.platform.users.models import Role, User

DEMO_ORG = Path(__file__).resolve().parents[2] / "data" / "demo_org.yaml"
DEMO_PASSWORD = "pingan-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    unit: str | None = None
    branch: str | None = None


DEMO_USERS = [
    DemoUser("admin", "系统管理员", Role.ADMIN, unit="331003"),
    DemoUser("leader", "分局领导", Role.LEADER, unit="331003"),
    DemoUser("analyst", "反诈中心 王研判", Role.ANALYST, unit="331003"),
    DemoUser("duty_toutuo", "头陀所值班 李警官", Role.DUTY_OFFICER, unit="331003-01"),
    DemoUser("duty_jiangkou", "江口所值班 陈警官", Role.DUTY_OFFICER, unit="331003-02"),
    DemoUser("officer_toutuo", "头陀社区民警 张警官", Role.COMMUNITY_OFFICER, unit="331003-01-01"),
    DemoUser("officer_ningxi", "宁溪社区民警 刘警官", Role.COMMUNITY_OFFICER, unit="331003-05-01"),
    DemoUser("mediator_ningxi", "宁溪调解员 老娘舅", Role.MEDIATOR, unit="331003-05"),
    DemoUser("grid_toutuo", "头陀网格员 周网格", Role.GRID_WORKER, unit="331003-01-01-01"),
    DemoUser("clerk", "一窗通办 吴窗口", Role.WINDOW_CLERK, unit="331003-03"),
    DemoUser("landlord_chen", "房东 陈建国", Role.LANDLORD),
    DemoUser("landlord_li", "房东 李秀英", Role.LANDLORD),
    DemoUser("manager_wu", "物业 吴主管（代房东陈建国）", Role.LANDLORD),
    DemoUser("teller_tzb", "台州银行头陀支行 柜员", Role.TELLER, branch="TZB-01"),
    DemoUser("teller_hyrcb", "黄岩农商行江口支行 柜员", Role.TELLER, branch="HYRCB-02"),
]


@dataclass(frozen=True)
class DemoResident:
    name: str
    id_number: str
    phone: str


# A resident whom several modules' demos meet, so that her file (一人一档) shows more than one module: a bank
# customer held at the counter three days ago (anti-fraud) and a party to a dispute today (mediation).
RESIDENT = DemoResident("赵小红", make_resident_id("331003", dt.date(1963, 3, 4), 3, "F"), "13905760003")


# (what is being done, done so far, out of): how a long loader reports, for the CLI's progress bar.
Progress = Callable[[str, int, int], None]

# Modules add their demo records (each loader idempotent), registered when the module loads. A loader takes
# the demo's session and its records commit with the county. A loader run `after_commit` is called as
# `fn(progress=...)` once the county is committed, and works in units of work of its own (anti-fraud: its
# screenings are stored on the screening writer's own connection, which must see the county's branches).
_loaders: list[Callable[[Session], None]] = []
_after_commit: list[Callable[..., object]] = []


def register_loader(fn: Callable, *, after_commit: bool = False) -> None:
    loaders = _after_commit if after_commit else _loaders
    if fn not in loaders:
        loaders.append(fn)


def load_after_commit(*, progress: Progress) -> list[object]:
    """Run the loaders that need the demo county committed; what each returns (a summary), in order."""
    return [fn(progress=progress) for fn in _after_commit]


def _silent(_what: str, _done: int, _total: int) -> None:
    pass


def load_demo(db: Session, *, progress: Progress = _silent) -> list[DemoUser]:
    """Load the demo organisation, create the demo users that do not exist yet, then the modules' records
    (``progress`` hears of each module's part as it is done: the two years of history take a while)."""
    org_service.apply_org_file(db, parse_org_file(DEMO_ORG))
    existing = set(db.scalars(select(User.username)))
    for u in DEMO_USERS:
        if u.username not in existing:
            auth.create_user(db, username=u.username, password=DEMO_PASSWORD, role=u.role,
                             display_name=u.display_name, unit_code=u.unit, branch_code=u.branch)
    places_demo.load_places_demo(db)
    label = "demo records / 演示数据"
    progress(label, 0, len(_loaders))
    for n, loader in enumerate(_loaders):
        loader(db)
        progress(label, n + 1, len(_loaders))
    return DEMO_USERS
