"""The tenancy status table: every allowed (status, event) pair leads where the table says, every other pair
is refused with 409 and the status's own code."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.rental.models import TenancyStatus
from pingan.rental.transitions import EVENTS, TRANSITIONS, allowed, next_status

PAIRS = [(s, e) for s in TenancyStatus for e in EVENTS]


@pytest.mark.parametrize(("status", "event"), PAIRS)
def test_every_pair_is_allowed_or_refused(status, event):
    if (status, event) in TRANSITIONS:
        assert allowed(status, event)
        assert next_status(status, event) is TRANSITIONS[(status, event)]
    else:
        assert not allowed(status, event)
        with pytest.raises(InvalidTransition) as refused:
            next_status(status, event)
        assert refused.value.status_code == 409
        assert refused.value.code.startswith("tenancy.")


def test_the_happy_path_runs_declared_to_deregistered():
    status = TenancyStatus.DECLARED
    for event in ("verify", "confirm", "end", "confirm", "deregister"):
        status = next_status(status, event)
    assert status is TenancyStatus.DEREGISTERED


def test_nothing_leaves_a_final_status():
    for final in (TenancyStatus.DEREGISTERED, TenancyStatus.REJECTED):
        assert not any(allowed(final, e) for e in EVENTS)
