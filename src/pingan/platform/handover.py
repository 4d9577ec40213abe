"""Hand-overs between modules that may not import each other. The module that owns a kind of record
registers, when it loads, the step that takes one in; the module that meets such a record hands it over by
kind, in its own transaction (DESIGN.md: fraud cases belong to cases, and antifraud asks cases to open one
when an alert confirms a fraud; a direct import would tie the two modules into a cycle)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

Receiver = Callable[..., object]

# A fraud confirmed at a 警银通 alert: cases opens its fraud case.
FRAUD_CASE = "fraud_case"
# A grid report the community officer hands to the police: cases takes it in as a 110-style call at the
# station (the receiver returns the call's number; the same report twice is the same call) ...
GRID_REPORT_CALL = "grid_report_call"
# ... and, once the station has disposed of that call, the grid takes the outcome onto the report's timeline.
GRID_REPORT_OUTCOME = "grid_report_outcome"

_receivers: dict[str, Receiver] = {}


def takes(kind: str) -> Callable[[Receiver], Receiver]:
    """Decorator: ``fn(db, **fields)`` takes in the records of ``kind`` handed over by another module."""

    def wrap(fn: Receiver) -> Receiver:
        _receivers[kind] = fn
        return fn

    return wrap


def hand_over(db: Session, kind: str, **fields) -> object:
    """What the owning module's receiver returns; LookupError when no loaded module takes ``kind``."""
    try:
        receiver = _receivers[kind]
    except KeyError:
        raise LookupError(f"no module takes {kind!r} records: is its owner in registry.MODULES?") from None
    return receiver(db, **fields)
