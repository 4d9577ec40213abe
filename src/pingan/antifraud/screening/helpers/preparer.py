"""Validating and preparing screening request bodies in a process of their own, for a server's event loop.

A server process answers every screening on one event-loop thread, and validating a body (Pydantic, the ID
check digit) and working out its facts is a third of that thread's work per request, while a second core
sits half idle. The preparer process does that work: the loop sends it the bodies that arrived since its
last turn (`pipes.LoopPipe`) and gets back each body's `PreparedRequest` or validation errors. The engine's
sequential part stays on the loop. Both sides run `prepared.prepare_body` — the code the batch workers and
the in-process path run — so where a body is prepared changes nothing in the answer.
"""

from __future__ import annotations

import asyncio
import logging
from multiprocessing.connection import Connection

from pingan.antifraud.screening.helpers import pipes
from pingan.antifraud.screening.prepared import PreparedRequest, from_plain, prepare_body, to_plain
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core import heap
from pingan.core.errors import AppError, ErrorDetail, ValidationFailed
from pingan.core.schemas import invalid_request

log = logging.getLogger("pingan.antifraud.preparer")

# Bodies per message: the loop decides the first ones while the preparer works on the next.
CHUNK = 32


class PreparationFailed(AppError):
    """A body that broke the preparing code itself (a bug): that body alone is answered 500."""

    status_code = 500


def _pack(body: bytes) -> tuple:
    # Whatever one body does, it is answered on its own: an exception escaping here would end the
    # preparer process and leave every body it held waiting.
    try:
        return (0, to_plain(prepare_body(body)))
    except ValidationFailed as exc:
        return (1, [(d.field, d.code, d.message) for d in exc.details])
    except Exception:
        log.exception("preparing a screening body failed")
        return (2, None)


def _unpack(packed: tuple) -> PreparedRequest | AppError:
    kind, value = packed
    if kind == 1:
        return invalid_request([ErrorDetail(*d) for d in value])
    if kind == 2:
        return PreparationFailed("server.error", "系统内部错误，请联系管理员 / internal error")
    return from_plain(value)


def _serve(conn: Connection) -> None:
    """The preparer process: bodies in, packed results out, until the pipe closes."""
    heap.settle()
    pipes.serve(conn, lambda bodies: [_pack(body) for body in bodies])


class Preparer(pipes.LoopPipe):
    """The server side: `await prepare(body)` from the event loop. If the preparer process dies, what it
    held is prepared here and a new one starts."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop, _serve, "pingan-screening-preparer", chunk=CHUNK)

    async def prepare(self, body: bytes) -> PreparedRequest:
        future = self._loop.create_future()
        self.put(body, future)
        result = await future
        if isinstance(result, AppError):
            raise result
        return result

    def deliver(self, token: asyncio.Future, result: tuple) -> None:
        if not token.done():  # the client may have gone away meanwhile
            token.set_result(_unpack(result))

    def lost(self, pairs: list[tuple[bytes, asyncio.Future]]) -> None:
        log.error("screening preparer process died; its bodies are prepared here and a new one has started")
        for body, future in pairs:
            self.deliver(future, _pack(body))


_preparer: Preparer | None = None


def start_on_loop() -> None:
    """Start the preparer process for the running event loop (server start-up), if the settings want one.

    It is a daemon: when the server process ends, so does it (it also stops when its pipe closes)."""
    global _preparer
    loop = asyncio.get_running_loop()
    if get_antifraud_settings().prepare_process and (_preparer is None or _preparer._loop is not loop):
        _preparer = Preparer(loop)


def starting() -> bool:
    """This server's preparer process has not answered yet (just started, or started again)."""
    return _preparer is not None and not _preparer.answering


async def prepare_on_loop(body: bytes) -> PreparedRequest:
    """Validate and prepare a body: in the preparer process when the server started one, else here."""
    if _preparer is None or _preparer._loop is not asyncio.get_running_loop():
        return prepare_body(body)
    return await _preparer.prepare(body)
