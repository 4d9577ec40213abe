"""The error family services raise; one handler (pingan.web.errors) maps it to HTTP and to pages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    field: str
    code: str
    message: str = ""

    def as_dict(self) -> dict:
        out = {"field": self.field, "code": self.code}
        if self.message:
            out["message"] = self.message
        return out


@dataclass
class AppError(Exception):
    """A client error: machine ``code`` plus a ``message`` written "中文 / English"."""

    code: str
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    status_code = 400

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class ValidationFailed(AppError):
    status_code = 422


class NotFound(AppError):
    status_code = 404


class PermissionDenied(AppError):
    status_code = 403


class Unauthenticated(AppError):
    status_code = 401


class Conflict(AppError):
    status_code = 409


class InvalidTransition(AppError):
    status_code = 409


class TooManyRequests(AppError):
    status_code = 429


def not_found(what: str = "record", zh: str = "记录") -> NotFound:
    return NotFound(f"{what}.not_found", f"{zh}不存在 / {what} not found")


class PayloadTooLarge(AppError):
    status_code = 413
