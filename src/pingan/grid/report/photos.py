"""Photo checks: JPEG or PNG by content (the file's first bytes, whatever its name or declared type), and size."""

from __future__ import annotations

from pingan.core.config import get_settings
from pingan.core.errors import ErrorDetail, PayloadTooLarge, ValidationFailed
from pingan.grid.settings import get_grid_settings

_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def page_limits() -> dict[str, int]:
    """What a form with photos shows and does: the limit it names, and the size past which its script shrinks a
    photo on the phone before queueing it (so that a form's photos fit one upload even when sent together)."""
    grid, web = get_grid_settings(), get_settings()
    return {"photo_limit_mb": grid.photo_max_bytes // (1024 * 1024),
            "photo_shrink_bytes": min(grid.photo_max_bytes, web.max_upload_bytes // grid.photos_per_report)}


def too_large() -> PayloadTooLarge:
    limit = get_grid_settings().photo_max_bytes // (1024 * 1024)
    return PayloadTooLarge("photo.too_large", f"照片不能超过 {limit} MB / a photo may be at most {limit} MB")


def content_type(data: bytes, *, field: str = "photo") -> str:
    """The photo's type from its content; 413 past the size limit, 422 if it is not a JPEG or PNG image."""
    if len(data) > get_grid_settings().photo_max_bytes:
        raise too_large()
    for signature, kind in _SIGNATURES:
        if data.startswith(signature) and len(data) > len(signature):
            return kind
    raise ValidationFailed("photo.invalid", "照片须为 JPEG 或 PNG 图片 / a photo must be a JPEG or PNG image",
                           [ErrorDetail(field, "photo.not_image", "不是 JPEG 或 PNG 图片 / not a JPEG or PNG image")])
