"""Grid test builders: standard addresses in the test county's two grids, report and call bodies, tiny images."""

from __future__ import annotations

import base64
import os
import struct
import zlib

TOUTUO_GRID = "331003-01-01-01"
JIANGKOU_GRID = "331003-02-01-01"

ADDRESS_CSV = (
    "code,grid,road,number,building,unit,room\n"
    f"T-001,{TOUTUO_GRID},新下岙村,1,,,\n"
    f"T-002,{TOUTUO_GRID},新下岙村,2,,,\n"
    f"T-032,{TOUTUO_GRID},新下岙村,32,,,\n"
    f"J-001,{JIANGKOU_GRID},江口路,1,,,\n"
)

# A 1×1 PNG and the first bytes of a JPEG: enough for a check by content.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
                       "WjR9awAAAABJRU5ErkJggg==")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def camera_png(width: int = 1400, height: int = 1000) -> bytes:
    """A real picture the size of a phone photo (random pixels do not compress: 3 bytes a pixel, ~4 MB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def report_body(**overrides) -> dict:
    body = {"grid_code": TOUTUO_GRID, "category": "safety_hazard", "description": "村口电线裸露，雨天有触电危险",
            "address_code": "T-001", "fields": {"hazard_kind": "electric", "urgent": "yes"}}
    body.update(overrides)
    return body


def call_body(**overrides) -> dict:
    body = {"call_no": "110-20261201-0001", "phone": "13905762001", "summary": "楼上装修噪音扰民",
            "station_code": "331003-01", "address_code": "T-002"}
    body.update(overrides)
    return body
