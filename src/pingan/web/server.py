"""The HTTP protocol `pingan serve` runs uvicorn with: uvicorn's own, plus a time-out and a size limit on
request headers."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from pingan.core.config import get_settings

# Browsers send a few KB of headers; h11 (uvicorn's other parser) stops at 16 KB, httptools at nothing.
MAX_HEADER_BYTES = 64 * 1024
TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """Closes a connection whose request headers are not complete ``header_timeout`` seconds after it opened
    (or after the request's first byte, on a kept-alive connection), or that sends more than
    `MAX_HEADER_BYTES` of them (431).

    uvicorn times out an idle kept-alive connection, but never one that is still sending its headers, so
    a client dripping a byte at a time (a slow-loris) held its socket for ever.
    """

    header_timeout: float = 15.0
    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes = 0

    def data_received(self, data: bytes) -> None:
        if self._header_timer is not None:
            self._header_bytes += len(data)
        super().data_received(data)
        if self._header_timer is not None and self._header_bytes > MAX_HEADER_BYTES:
            self._disarm()
            self.transport.write(TOO_LARGE)
            self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        self._header_bytes = 0
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        self.transport.close()


def protocol(header_timeout: float) -> type[HeaderTimeoutProtocol]:
    """The protocol class for ``uvicorn.Config(http=...)`` with this header time-out."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": header_timeout})


class ConfiguredProtocol(HeaderTimeoutProtocol):
    """The protocol named by import path (several worker processes): its time-out from the settings."""

    @property
    def header_timeout(self) -> float:  # type: ignore[override]
        return get_settings().header_timeout_seconds
