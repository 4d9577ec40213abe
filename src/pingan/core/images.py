"""What an uploaded picture really is, from its bytes (never its name or declared type): a JPEG or a PNG, checked
by its structure, not only its first bytes."""

from __future__ import annotations

import struct

JPEG, PNG = "image/jpeg", "image/png"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def image_type(data: bytes) -> str | None:
    """``image/jpeg`` or ``image/png`` if the bytes are one, else None.

    JPEG: the start-of-image marker, a marker segment after it and the end-of-image marker (phones may add a
    few bytes after it). PNG: the signature, the IHDR chunk first with a non-zero size, and the IEND chunk."""
    if len(data) > 4 and data[:3] == b"\xff\xd8\xff" and b"\xff\xd9" in data[-64:]:
        return JPEG
    if len(data) > 33 and data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR" and b"IEND" in data[-16:]:
        width, height = struct.unpack(">II", data[16:24])
        if width and height:
            return PNG
    return None
