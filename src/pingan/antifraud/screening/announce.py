"""Announcing this process's engine changes to the other processes on the bus (`platform.bus`, NATS).

Every change a service publishes in-process (`engine.changes`: intel, rule set, thresholds, model, known
payees, protected persons) goes out as one small message naming its kind; the receiving processes read the
change from the database at once (the `antifraud.sync` job run on arrival), so the message carries no data.
"""

from __future__ import annotations

import functools
from typing import get_args

from pingan.antifraud.engine import changes
from pingan.platform import bus, jobs

TOPIC = "antifraud.changed"


class _Announcer:
    """The subscriber that forwards every kind of change to the bus."""


_announcer = _Announcer()


def _announce(kind: str, *_args: object) -> None:
    bus.publish(TOPIC, {"kind": kind})


def announce_changes() -> None:
    """From now on, tell the other processes of every change published here (once per process is enough)."""
    if bus.enabled():
        changes.subscribe(_announcer, {kind: functools.partial(_announce, kind) for kind in get_args(changes.Kind)})


def follow_other_processes() -> None:
    """Announce this process's changes, and apply the other processes' as soon as they are announced."""
    announce_changes()
    bus.subscribe(TOPIC, _on_announced)


def _on_announced(_payload: dict) -> None:
    jobs.run_once("antifraud.sync")  # reads what changed from the database, under the sync job's lock
