"""Users, passwords (Argon2), web sessions with lock-out, and API keys stored as hashes."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import secrets
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pingan.core import clock
from pingan.core.config import get_settings
from pingan.core.errors import Conflict, TooManyRequests, Unauthenticated, ValidationFailed, not_found
from pingan.platform.audit import service as audit
from pingan.platform.auth.throttle import LoginThrottle
from pingan.platform.org import service as org_service
from pingan.platform.org.models import UnitKind
from pingan.platform.users.models import ApiKey, Role, User, WebSession
from pingan.platform.vocabulary import Action


def _hasher() -> PasswordHasher:
    settings = get_settings()
    return _hasher_of(settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism)


@functools.cache
def _hasher_of(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _lowest_priority() -> None:
    """The hashing thread yields the processor to everything else (argon2's lane threads inherit it). On
    Linux a nice value is a thread's own; elsewhere it would be the whole process's, so it is left alone."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, 0, 19)  # 0: the calling thread


# One password check at a time per process, on a thread of its own at the lowest priority: a check takes a
# fifth of a second on all of argon2's lanes, so checks at the screenings' priority (a password-guessing
# client) would take the cores from the screenings; log-ins queue instead.
_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pingan-password", initializer=_lowest_priority)
API_KEY_PREFIX = "pa_"
MIN_PASSWORD_LENGTH = 8

# Where in the organisation each role sits: a unit of these kinds, or a bank (branch).
ROLE_PLACES: dict[Role, set[UnitKind] | str] = {
    Role.ADMIN: {UnitKind.BUREAU},
    Role.LEADER: {UnitKind.BUREAU},
    Role.ANALYST: {UnitKind.BUREAU},
    Role.DUTY_OFFICER: {UnitKind.STATION, UnitKind.BUREAU},
    Role.COMMUNITY_OFFICER: {UnitKind.COMMUNITY, UnitKind.STATION},
    Role.GRID_WORKER: {UnitKind.GRID, UnitKind.COMMUNITY},
    Role.MEDIATOR: {UnitKind.STATION, UnitKind.COMMUNITY},
    Role.WINDOW_CLERK: {UnitKind.STATION, UnitKind.BUREAU},
    Role.TELLER: "branch",
    Role.BANK_SYSTEM: "bank",
    # A landlord (manager, agent) of the rental portal belongs to no unit: they see their own properties.
    Role.LANDLORD: "none",
    # A partner bureau's clerk is no police unit's: the one-window module gives them their bureau's items.
    Role.PARTNER_CLERK: "none",
}


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationFailed(
            "user.role", f"未知角色 {value} / unknown role {value}; one of: {', '.join(r.value for r in Role)}"
        ) from None


def create_user(
    db: Session,
    *,
    username: str,
    password: str | None,
    role: Role,
    display_name: str | None = None,
    unit_code: str | None = None,
    branch_code: str | None = None,
    bank_code: str | None = None,
    actor: User | None = None,
) -> User:
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("user.exists", f"用户名 {username} 已存在 / username {username} already exists")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("user.password_short", "密码至少 8 位 / password must have at least 8 characters")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password) if password else None,
        role=role,
        created_at=clock.now(),
    )
    place = ROLE_PLACES[role]
    if place == "branch":
        if not branch_code:
            raise ValidationFailed("user.branch_required", "柜员须指定网点 / a teller needs --branch")
        branch = org_service.get_branch(db, branch_code)
        user.branch_id, user.bank_id = branch.id, branch.bank_id
    elif place == "bank":
        if not bank_code:
            raise ValidationFailed("user.bank_required", "银行系统须指定银行 / a bank system needs --bank")
        user.bank_id = org_service.get_bank(db, bank_code).id
    elif place == "none":
        if unit_code or branch_code or bank_code:
            raise ValidationFailed("user.no_unit", "房东账号不属于任何单位 / a landlord account has no unit")
    else:
        if not unit_code:
            raise ValidationFailed("user.unit_required", "须指定所属单位 / --unit is required for this role")
        unit = org_service.get_unit(db, unit_code)
        if unit.kind not in place:
            allowed = "/".join(k.value for k in place)
            raise ValidationFailed(
                "user.unit_kind", f"该角色应属于 {allowed} 级单位 / role {role.value} belongs to a {allowed} unit"
            )
        user.unit_id = unit.id
    db.add(user)
    db.flush()
    audit.record(db, actor=actor, action=Action.USER_CREATED, entity=user, unit_id=user.unit_id,
                 data={"username": username, "role": role.value})
    return user


def get_user(db: Session, username: str) -> User:
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        raise not_found("user", "用户")
    return user


def login_throttle() -> LoginThrottle:
    settings = get_settings()
    return LoginThrottle(per_account=settings.login_max_failures, per_address=settings.login_address_max_failures,
                         window=dt.timedelta(minutes=settings.login_lock_minutes))


@dataclass(frozen=True)
class Credentials:
    """What a log-in checks a password against; an unknown or disabled account has no user id."""

    user_id: int | None
    password_hash: str


def credentials(db: Session, username: str) -> Credentials:
    found = db.execute(select(User.id, User.password_hash).where(
        User.username == username, User.is_active.is_(True), User.password_hash.is_not(None))).first()
    return Credentials(found.id, found.password_hash) if found else Credentials(None, _dummy_hash())


def authenticate(db: Session, *, username: str, password: str, found: Credentials, address: str,
                 throttle: LoginThrottle) -> User:
    """Check a password against ``found`` (read by `credentials`, in a transaction that has ended: the hash
    takes a fifth of a second of CPU, and on SQLite a transaction that writes holds the write lock).

    Failures are throttled per client address and per account at that address, and every refusal reads
    the same whether the account exists or not.
    """
    if throttle.blocked(address, username):
        raise TooManyRequests("auth.throttled", "登录失败次数过多，请稍后再试 / too many failed log-ins, try later")
    if not _password_matches(found.password_hash, password) or found.user_id is None:
        if throttle.failed(address, username) and found.user_id is not None:
            user = db.get(User, found.user_id)
            audit.record(db, actor=user, action=Action.USER_LOCKED, entity=user, unit_id=user.unit_id,
                         data={"address": address})
        raise Unauthenticated("auth.bad_credentials", "用户名或密码错误 / wrong username or password")
    throttle.succeeded(address, username)
    user = db.get(User, found.user_id)
    user.last_login_at = clock.now()
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _checker.submit(_hasher().verify, password_hash, password).result()
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown user, so that the answer takes as long as for a real one."""
    return _hasher().hash(secrets.token_urlsafe(16))


def start_session(db: Session, *, user: User, ip: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    hours = get_settings().session_hours
    db.add(WebSession(token_hash=_sha256(token), user_id=user.id, created_at=now,
                      expires_at=now + dt.timedelta(hours=hours), ip=ip))
    audit.record(db, actor=user, action=Action.SESSION_STARTED, entity=user, unit_id=user.unit_id)
    return token


def user_for_session(db: Session, token: str) -> User | None:
    session = db.scalar(select(WebSession).where(WebSession.token_hash == _sha256(token)))
    if session is None or session.revoked_at is not None or session.expires_at <= clock.now():
        return None
    user = session.user
    return user if user.is_active else None


def end_session(db: Session, token: str) -> None:
    session = db.scalar(select(WebSession).where(WebSession.token_hash == _sha256(token)))
    if session is not None and session.revoked_at is None:
        session.revoked_at = clock.now()
        audit.record(db, actor=session.user, action=Action.SESSION_ENDED, entity=session.user,
                     unit_id=session.user.unit_id)


def bank_system_user(db: Session, bank_code: str) -> User:
    """The service account a bank's systems act as (created on first use)."""
    bank = org_service.get_bank(db, bank_code)
    username = f"bank-{bank.code.lower()}"
    user = db.scalar(select(User).where(User.username == username))
    if user is None:
        user = create_user(db, username=username, password=None, role=Role.BANK_SYSTEM,
                           display_name=f"{bank.name}系统", bank_code=bank.code)
    return user


def create_api_key(db: Session, *, user: User, name: str, actor: User | None = None) -> tuple[ApiKey, str]:
    """Create a key; the plain key is returned once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plain = f"{API_KEY_PREFIX}{prefix}_{secret}"
    key = ApiKey(prefix=prefix, key_hash=_sha256(plain), name=name, user_id=user.id, created_at=clock.now())
    db.add(key)
    db.flush()
    audit.record(db, actor=actor, action=Action.APIKEY_CREATED, entity=key, unit_id=user.unit_id,
                 data={"user": user.username, "prefix": prefix})
    return key, plain


def user_for_api_key(db: Session, plain: str) -> User | None:
    if not plain.startswith(API_KEY_PREFIX):
        return None
    prefix = plain[len(API_KEY_PREFIX):].split("_", 1)[0]
    key = db.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.key_hash, _sha256(plain)):
        return None
    return key.user if key.user.is_active else None


def list_api_keys(db: Session) -> list[ApiKey]:
    return list(db.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_api_key(db: Session, *, prefix: str, actor: User | None = None) -> ApiKey:
    key = db.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise not_found("apikey", "API 密钥")
    key.revoked_at = clock.now()
    audit.record(db, actor=actor, action=Action.APIKEY_REVOKED, entity=key, unit_id=key.user.unit_id)
    return key

