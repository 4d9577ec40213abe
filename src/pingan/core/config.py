"""Settings read from the environment (prefix ``PINGAN_``); every workflow duration lives here."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "pingan-development-secret-change-me"
DEFAULT_DB_PATH = Path("var/pingan.sqlite3")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PINGAN_", env_file=".env", extra="ignore")

    environment: str = Field("development", description="development | test | production")
    database_url: str = ""
    secret_key: str = DEFAULT_SECRET
    session_hours: float = 12
    login_max_failures: int = 5
    login_lock_minutes: float = 15
    calendar_file: Path | None = None
    workday_start: str = "08:30"
    workday_end: str = "17:30"
    deadline_scan_seconds: float = 2
    webhook_max_attempts: int = 8
    webhook_timeout_seconds: float = 5
    public_url: str = Field("", description="site address users reach, for absolute links in webhook messages")
    run_scheduler: bool = True

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

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("PINGAN_SECRET_KEY must be set in production / 生产环境必须设置 PINGAN_SECRET_KEY")
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("PINGAN_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DEFAULT_DB_PATH}"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


@functools.cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change the environment between runs)."""
    get_settings.cache_clear()
