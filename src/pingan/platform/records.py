"""How the register names a module's record: (module, kind, id), e.g. ("mediation", "dispute", 12)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Record(NamedTuple):
    module: str
    kind: str
    id: object

    @property
    def kind_code(self) -> str:
        """``mediation.dispute``: the form settings and pages use."""
        return f"{self.module}.{self.kind}"


class Sighting(NamedTuple):
    """One person in one record, as plain values: what `people.seen_many` writes and watch lists check."""

    id_number: str
    name: str
    role: str
    module: str
    kind: str
    record_id: str
    unit_id: int | None
    at: dt.datetime
    phone: str | None = None
    link: str | None = None
    entered_by_id: int | None = None
