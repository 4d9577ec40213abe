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
