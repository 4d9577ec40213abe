"""A partner account: a user with the partner-clerk role and a desk at one bureau. It sees only the items
routed to its bureau (the applicant masked in lists, the read audited) and moves them through the same
status table as the police window; everything else is 404 or 403."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.core.errors import ErrorDetail, PermissionDenied
from pingan.core.schemas import invalid_request
from pingan.onewindow import repository as repo
from pingan.onewindow.application import service as applications
from pingan.onewindow.models import ApplicationItem, Bureau, ItemStatus, PartnerDesk
from pingan.onewindow.schemas import StepIn
from pingan.onewindow.vocabulary import Action
from pingan.platform.audit import service as audit
from pingan.platform.auth import service as auth
from pingan.platform.users.models import Role, User

# What a partner desk does with its items: the police window accepts them (materials) and rates them.
STEPS = ("start", "ready", "collect", "post", "reject")


def desk(db: Session, user: User) -> PartnerDesk:
    """The caller's desk; a partner-clerk account without one may do nothing (403)."""
    found = repo.desk_of(db, user) if user.role is Role.PARTNER_CLERK else None
    if found is None:
        raise PermissionDenied("partner.no_desk", "该账号不是合作部门窗口 / the account has no partner desk")
    return found


def add(db: Session, *, username: str, display_name: str, bureau_code: str, password: str | None,
        actor: User | None = None) -> tuple[User, str]:
    """Create the partner account at its bureau's desk and its API key (the key is shown once)."""
    bureau = repo.bureaus(db).get(bureau_code)
    if bureau is None:
        raise invalid_request([ErrorDetail("bureau", "bureau.unknown", "没有这个合作部门 / no such bureau")])
    user = auth.create_user(db, username=username, password=password, role=Role.PARTNER_CLERK,
                            display_name=display_name, actor=actor)
    db.add(PartnerDesk(user_id=user.id, bureau_id=bureau.id))
    db.flush()
    _, key = auth.create_api_key(db, user=user, name=f"partner desk {bureau.code}", actor=actor)
    return user, key


def items(db: Session, *, user: User, status: ItemStatus | None = None) -> tuple[Bureau, list[ApplicationItem]]:
    """The bureau's items (the list shows masked applicants; the read is in the audit trail)."""
    found = desk(db, user)
    rows = repo.partner_items(db, found.bureau_id, status=status)
    audit.record(db, actor=user, action=Action.PARTNER_ITEMS_VIEWED, entity_type="onewindow_bureau",
                 entity_id=found.bureau_id, data={"items": len(rows)})
    return found.bureau, rows


def step(db: Session, *, user: User, item_id: int, event: str, data: StepIn) -> ApplicationItem:
    """One step of an item of the caller's bureau (another's is 404); the police-window steps are 403."""
    found = desk(db, user)
    item = repo.get_partner_item(db, found.bureau_id, item_id)
    if event not in STEPS:
        raise PermissionDenied("partner.step", "该步骤由公安窗口办理 / the police window takes this step")
    return applications.step(db, item=item, event=event, data=data, actor=user)
