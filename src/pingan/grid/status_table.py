"""What each grid status table (report, call, patrol, video) shares: a step is allowed when the table has it;
any other step is refused (409) with the status's own reason, or with a step's own gate (closing before feedback)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Generic, TypeVar

from pingan.core.errors import InvalidTransition

S = TypeVar("S", bound=enum.StrEnum)


class StatusTable(Generic[S]):
    def __init__(self, transitions: Mapping[tuple[S, str], S], refusals: Mapping[S, tuple[str, str]],
                 gates: Mapping[tuple[S, str], tuple[str, str]] | None = None) -> None:
        self.transitions, self.refusals, self.gates = transitions, refusals, gates or {}

    def allowed(self, status: S, event: str) -> bool:
        """Pages show only the steps allowed."""
        return (status, event) in self.transitions

    def next_status(self, status: S, event: str) -> S:
        """The status after ``event``; raises InvalidTransition (409) when the table has no such step."""
        try:
            return self.transitions[(status, event)]
        except KeyError:
            raise InvalidTransition(*self.gates.get((status, event), self.refusals[status])) from None
