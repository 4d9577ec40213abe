"""Helper processes of the screening process, reached over a pipe: the preparer and the store.

Every message is a `marshal`led list, framed by its length. A request message carries a list of items; its
reply carries one result per item, in order. The helper answers messages in the order they came.

On a server's event loop the client is a `LoopPipe`: the items put in one turn of the loop travel in one
message over a non-blocking pipe, and replies are read as they come, so the loop never blocks on a helper.
A blocking caller (the batch command's writer thread) uses `call`.
"""

from __future__ import annotations

import asyncio
import contextlib
import marshal
import multiprocessing
import os
import select
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

_HEADER = struct.Struct("!I")
_PING = _HEADER.pack(len(marshal.dumps([]))) + marshal.dumps([])


def _read_exactly(fd: int, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def read_message(fd: int) -> list:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return marshal.loads(_read_exactly(fd, size))


def write_message(fd: int, items: list) -> None:
    payload = marshal.dumps(items)
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def call(fd: int, items: list) -> list:
    """One message out and its reply back, blocking (raises EOFError or OSError if the helper is gone)."""
    write_message(fd, items)
    return read_message(fd)


def serve(conn: Connection, handle: Callable[[list], list], *, merge: bool = False) -> None:
    """A helper's main loop: ``handle`` each message's items and reply, until the client closes the pipe.

    With ``merge``, the messages already waiting are handled together (one call of ``handle``: for the
    store, one transaction) and each gets its own reply.
    """
    fd = conn.fileno()
    while True:
        try:
            messages = [read_message(fd)]
            while merge and select.select([fd], [], [], 0)[0]:
                messages.append(read_message(fd))
        except EOFError:  # the client is gone: what it did not get a reply for, it never answered
            return
        results = handle([item for message in messages for item in message])
        start = 0
        try:
            for message in messages:
                write_message(fd, results[start:start + len(message)])
                start += len(message)
        except BrokenPipeError:
            return


@contextlib.contextmanager
def without_main_script() -> Iterator[None]:
    """Processes spawned meanwhile import only the module of what they run, not the script this process was
    started as: a spawned child runs the parent's main script again first, and for the ``pingan`` command
    that imports every module of the platform (over a second of CPU per helper) for nothing."""
    main = sys.modules["__main__"]
    script = main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        if script is not None:
            main.__file__ = script


def spawn(target: Callable[[Connection], None], name: str) -> tuple[multiprocessing.Process, Connection]:
    """Start ``target(connection)`` in a new daemon process; returns it and the client's end of the pipe."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=target, args=(child,), name=name, daemon=True)
    with without_main_script():
        process.start()
    child.close()
    return process, parent


class LoopPipe:
    """A helper process's client on an event loop.

    `put(item, token)` queues an item; the items queued in one turn of the loop are sent in one message
    (at most ``chunk`` items each, so the helper's first results come back while it works on the rest).
    Each result is handed to `deliver(token, result)`. If the helper dies, `lost(pairs)` gets every
    (item, token) it held without replying, and a new helper is started. `answering` is False from a
    helper's start until its first reply (`/readyz` waits for it).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, target: Callable[[Connection], None], name: str, *,
                 chunk: int = 1 << 30) -> None:
        self._loop, self._target, self._name, self._chunk = loop, target, name, chunk
        self._queued: list[tuple[object, object]] = []
        self._flush_scheduled = False
        self._start()

    def _start(self) -> None:
        self.process, self._conn = spawn(self._target, self._name)
        self._fd = self._conn.fileno()
        os.set_blocking(self._fd, False)
        self._sent: deque[list[tuple[object, object]]] = deque()  # messages in the helper, oldest first
        self._in, self._out = bytearray(), bytearray()
        # An empty first message: its reply says the new helper has imported its code and answers (a spawned
        # interpreter takes seconds on a busy machine, and what is put meanwhile waits in the pipe).
        self.answering = False
        self._sent.append([])
        with contextlib.suppress(OSError):  # a helper dead already is found by its reader (end of file)
            os.write(self._fd, _PING)  # a few bytes into an empty pipe: all or nothing
        self._loop.add_reader(self._fd, self._on_readable)

    def deliver(self, token: object, result: object) -> None:
        raise NotImplementedError

    def lost(self, pairs: list[tuple[object, object]]) -> None:
        raise NotImplementedError

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing in the helper."""
        return not self._queued and not self._sent

    def put(self, item: object, token: object) -> None:
        self._queued.append((item, token))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        queued, self._queued = self._queued, []
        was_empty = not self._out
        for start in range(0, len(queued), self._chunk):
            pairs = queued[start:start + self._chunk]
            payload = marshal.dumps([item for item, _ in pairs])
            self._sent.append(pairs)
            self._out += _HEADER.pack(len(payload)) + payload
        if was_empty and self._out:
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
        if not data:  # the helper is gone
            self._recover()
            return
        self._in += data
        while len(self._in) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._in)
            if len(self._in) < _HEADER.size + size:
                break
            results = marshal.loads(self._in[_HEADER.size:_HEADER.size + size])
            del self._in[:_HEADER.size + size]
            self.answering = True
            for (_, token), result in zip(self._sent.popleft(), results, strict=True):
                self.deliver(token, result)

    def _recover(self) -> None:
        self._detach()
        held = [pair for pairs in self._sent for pair in pairs]
        self._start()
        self.lost(held)

    def _detach(self) -> None:
        self._loop.remove_reader(self._fd)
        self._loop.remove_writer(self._fd)
        with contextlib.suppress(OSError):
            self._conn.close()

    def close(self) -> None:
        """On the loop's thread: close the pipe, and so end the helper once it has replied to what it holds."""
        self._detach()
