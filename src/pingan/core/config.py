"""Settings read from the environment (prefix ``PINGAN_``); every workflow duration lives here."""

from __future__ import annotations

import enum
import functools
import math
from collections import Counter
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "pingan-development-secret-change-me"
DEFAULT_DB_PATH = Path("var/pingan.sqlite3")
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 12
MIN_SECRET_BITS = 128


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def secret_weakness(secret: str) -> str | None:
    """Why ``secret`` is too weak to sign sessions' CSRF tokens in production, or None.

    Length alone lets "x" * 40 through: the secret must also use enough different characters, and its
    character-frequency (Shannon) estimate must reach 128 bits, which a random 32-byte token far exceeds.
    """
    if secret == DEFAULT_SECRET:
        return "it is the development default / 仍是开发默认值"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it has fewer than {MIN_SECRET_LENGTH} characters / 少于 {MIN_SECRET_LENGTH} 个字符"
    counts = Counter(secret)
    if len(counts) < MIN_SECRET_DISTINCT:
        return f"it uses fewer than {MIN_SECRET_DISTINCT} different characters / 不同字符少于 {MIN_SECRET_DISTINCT} 个"
    bits = -sum(n * math.log2(n / len(secret)) for n in counts.values())
    if bits < MIN_SECRET_BITS:
        return f"it is too predictable (about {bits:.0f} of {MIN_SECRET_BITS} bits) / 过于简单"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_", env_file=".env", extra="ignore")

    environment: Environment = Field(Environment.DEVELOPMENT, description="development | test | production")
    database_url: str = ""
    secret_key: str = DEFAULT_SECRET
    session_hours: float = 12
    login_max_failures: int = Field(5, description="failed log-ins of one account from one address before it waits")
    login_address_max_failures: int = Field(20, description="failed log-ins from one address before it waits")
    login_lock_minutes: float = Field(15, description="the window over which failed log-ins are counted")
    # The Argon2id cost of a password hash (RFC 9106); production refuses less than OWASP's floor of 19 MiB and
    # two passes. Existing hashes keep verifying under new costs and are rehashed at their next log-in.
    password_time_cost: int = Field(3, ge=1, description="Argon2id passes")
    password_memory_kib: int = Field(65536, ge=8, description="Argon2id memory in KiB")
    password_parallelism: int = Field(4, ge=1, description="Argon2id lanes")
    calendar_file: Path | None = None
    # A CJK font for every printed document (Debian: fonts-noto-cjk) and its face in a .ttc collection
    # (2 = Simplified Chinese in Noto CJK).
    pdf_font: Path = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    pdf_font_index: int = 2
    workday_start: str = "08:30"
    workday_end: str = "17:30"
    deadline_scan_seconds: float = 2
    webhook_max_attempts: int = 8
    webhook_timeout_seconds: float = 5
    public_url: str = Field("", description="site address users reach, for absolute links in webhook messages")
    run_scheduler: bool = True

    @field_validator("environment", mode="before")
    @classmethod
    def _known_environment(cls, value: object) -> object:
        # Exact values only: "prod", "Production" or "production " must not start as development.
        if isinstance(value, str) and value not in {e.value for e in Environment}:
            known = ", ".join(e.value for e in Environment)
            raise ValueError(f"PINGAN_ENVIRONMENT={value!r} is unknown; use one of: {known} / "
                             f"未知的运行环境 {value!r}，可选值：{known}")
        return value

    # Web security (docs/operations.md, "Web security"). Bodies are refused before they are read: a
    # request's body is held in memory while it is parsed, so an unbounded one is a memory exhaustion.
    max_body_bytes: int = Field(1024 * 1024, ge=1024, description="largest request body of any route")
    max_upload_bytes: int = Field(8 * 1024 * 1024, ge=1024, description="largest body of an upload route")
    # A client that sends its body slower than this ties up a connection and a worker for nothing; real
    # forms and uploads (5 MB over a slow branch line) arrive well within it.
    body_timeout_seconds: float = Field(60, gt=0)
    # Headers of a request take one round trip; a client still sending them after this is a slow-loris.
    header_timeout_seconds: float = Field(15, gt=0)
    # An idle keep-alive connection costs a socket; browsers reopen one in a round trip.
    keep_alive_seconds: float = Field(5, gt=0)
    # One year, the value the HSTS preload list asks for; sent only in production (served over HTTPS).
    hsts_seconds: int = Field(31_536_000, ge=0)
    # A stream re-reads its session or API key this often, so a log-out or a revoked key ends it soon.
    events_recheck_seconds: float = Field(15, gt=0)
    # Live streams are long requests: a duty desk has two or three tabs open; more is a leak or an attack.
    events_max_streams_per_user: int = Field(5, ge=1)
    events_max_streams: int = Field(500, ge=1)
    # Streams poll through their own small connection pool so that they never wait for, nor starve, requests.
    events_pool_size: int = Field(2, ge=1)
    # Events across processes (docs/scaling.md): NATS JetStream at this URL, on this stream; unset, each
    # process hears only its own (and other processes' changes through the periodic sync jobs).
    events_url: str = Field("", description="nats://host:port of NATS with JetStream, or empty")
    events_stream: str = Field("PINGAN", pattern=r"^[A-Za-z0-9_-]+$")

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        weakness = secret_weakness(self.secret_key) if self.is_production else None
        if weakness:
            raise ValueError(f"PINGAN_SECRET_KEY is too weak for production: {weakness}; generate one with "
                             "`python -c 'import secrets; print(secrets.token_urlsafe(32))'` / "
                             "生产环境的 PINGAN_SECRET_KEY 强度不足")
        if self.is_production and (self.password_memory_kib < 19456 or self.password_time_cost < 2):
            raise ValueError("PINGAN_PASSWORD_MEMORY_KIB must be at least 19456 and PINGAN_PASSWORD_TIME_COST at "
                             "least 2 in production / 生产环境的密码哈希强度不足")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DEFAULT_DB_PATH}"

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION


@functools.cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment between runs)."""
    get_settings.cache_clear()
