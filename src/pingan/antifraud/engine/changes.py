"""What changes a running engine: intel entries, the active rule set, the active model and the shadow
challenger. Services publish a change once it is committed; the screening runtime of the process subscribes
when it boots, so the services never reach into the runtime (and a process without one ignores changes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Kind = Literal["intel", "ruleset", "model", "shadow", "protected", "known_payees", "thresholds"]

_subscribers: dict[int, dict[Kind, Callable[..., None]]] = {}


def subscribe(owner: object, handlers: dict[Kind, Callable[..., None]]) -> None:
    """Call ``handlers[kind](*args)`` for every change published from now on, until `unsubscribe`."""
    _subscribers[id(owner)] = dict(handlers)


def unsubscribe(owner: object) -> None:
    _subscribers.pop(id(owner), None)


def publish(kind: Kind, *args: object) -> None:
    """intel: (entries,) · ruleset: (active row or None,) · model, shadow: () — read the registry again ·
    protected: (watch entries,) — customers recently dissuaded (`antifraud.intel.register`) ·
    known_payees: (entries,) · thresholds: () — read the banks' active thresholds again."""
    for handlers in list(_subscribers.values()):
        handler = handlers.get(kind)
        if handler is not None:
            handler(*args)
