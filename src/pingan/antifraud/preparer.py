"""Validating and preparing screening request bodies in a process of their own, for a server's event loop.

A server process answers every screening on one event-loop thread, and validating a body (Pydantic, the ID
check digit) and working out its facts is a third of that thread's work per request, while a second core
sits half idle. The preparer process does that work: the loop sends it the bodies that arrived since its
last turn in one message and gets back, in one message, each body's `PreparedRequest` or validation
errors. The engine's sequential part stays on the loop. Both sides run `prepared.prepare_body`
— the code the batch workers and the in-process path run — so where a body is prepared changes nothing
in the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import marshal
import multiprocessing
import os
import struct
from multiprocessing.connection import Connection

from pingan.antifraud.prepared import PreparedRequest, from_plain, prepare_body, to_plain
from pingan.antifraud.settings import get_antifraud_settings
from pingan.core import heap
from pingan.core.errors import ErrorDetail, ValidationFailed

log = logging.getLogger("pingan.antifraud.preparer")


def _pack(body: bytes) -> tuple:
    try:
        return (0, to_plain(prepare_body(body)))
    except ValidationFailed as exc:
        return (1, [(d.field, d.code, d.message) for d in exc.details])


def _unpack(packed: tuple) -> PreparedRequest | ValidationFailed:
    kind, value = packed
    if kind == 1:
        return ValidationFailed("request.invalid", "请求内容不合法 / invalid request", [ErrorDetail(*d) for d in value])
    return from_plain(value)


_HEADER = struct.Struct("!I")  # each message: its length, then the marshalled list


def _read_exactly(fd: int, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _serve(conn: Connection) -> None:
    """The preparer process: a list of bodies in, a list of packed results out, until the pipe closes."""
    heap.settle()
    fd = conn.fileno()
    while True:
        try:
            (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
            bodies = marshal.loads(_read_exactly(fd, size))
        except EOFError:  # the server is gone
            return
        reply = marshal.dumps([_pack(body) for body in bodies])
        view = memoryview(_HEADER.pack(len(reply)) + reply)
        while view:
            view = view[os.write(fd, view):]


class Preparer:
    """The server side: `await prepare(body)` from the event loop. Bodies that arrive in the same turn of the
    loop travel together; if the preparer process dies, what it held is prepared here and a new one starts.

    The loop's end of the pipe is non-blocking: what cannot be written at once waits for the pipe to drain,
    and replies are read as they come and cut into messages here.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._ctx = multiprocessing.get_context("spawn")
        self._queued: list[tuple[bytes, asyncio.Future]] = []
        self._flush_scheduled = False
        self._start()

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child,), name="pingan-screening-preparer",
                                       daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent
        self._fd = parent.fileno()
        os.set_blocking(self._fd, False)
        self._sent: list[list[tuple[bytes, asyncio.Future]]] = []  # batches in the process, oldest first
        self._in, self._out = bytearray(), bytearray()
        self._loop.add_reader(self._fd, self._on_readable)

    async def prepare(self, body: bytes) -> PreparedRequest:
        future = self._loop.create_future()
        self._queued.append((body, future))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)
        result = await future
        if isinstance(result, ValidationFailed):
            raise result
        return result

    def _flush(self) -> None:
        self._flush_scheduled = False
        batch, self._queued = self._queued, []
        if not batch:
            return
        payload = marshal.dumps([body for body, _ in batch])
        self._sent.append(batch)
        was_empty = not self._out
        self._out += _HEADER.pack(len(payload)) + payload
        if was_empty:
            self._write()

    def _write(self) -> None:
        try:
            written = os.write(self._fd, self._out)
        except BlockingIOError:
            written = 0
        except OSError:
            self._recover()
            return
        del self._out[:written]
        if self._out:
            self._loop.add_writer(self._fd, self._on_writable)

    def _on_writable(self) -> None:
        self._loop.remove_writer(self._fd)
        self._write()

    def _on_readable(self) -> None:
        try:
            data = os.read(self._fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the process is gone
            self._recover()
            return
        self._in += data
        while len(self._in) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._in)
            if len(self._in) < _HEADER.size + size:
                break
            results = marshal.loads(self._in[_HEADER.size:_HEADER.size + size])
            del self._in[:_HEADER.size + size]
            for (_, future), packed in zip(self._sent.pop(0), results, strict=True):
                if not future.done():  # the client may have gone away meanwhile
                    future.set_result(_unpack(packed))

    def _recover(self) -> None:
        log.error("screening preparer process died; preparing in the server until a new one is up")
        self._loop.remove_reader(self._fd)
        self._loop.remove_writer(self._fd)
        with contextlib.suppress(OSError):
            self._conn.close()
        for batch in self._sent:
            for body, future in batch:
                if not future.done():
                    future.set_result(_unpack(_pack(body)))
        self._start()


_preparer: Preparer | None = None


def start_on_loop() -> None:
    """Start the preparer process for the running event loop (server start-up), if the settings want one.

    It is a daemon: when the server process ends, so does it (it also stops when its pipe closes)."""
    global _preparer
    loop = asyncio.get_running_loop()
    if get_antifraud_settings().prepare_process and (_preparer is None or _preparer._loop is not loop):
        _preparer = Preparer(loop)


async def prepare_on_loop(body: bytes) -> PreparedRequest:
    """Validate and prepare a body: in the preparer process when the server started one, else here."""
    if _preparer is None or _preparer._loop is not asyncio.get_running_loop():
        return prepare_body(body)
    return await _preparer.prepare(body)
