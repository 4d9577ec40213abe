"""Every (status, event) pair of the rectification table: allowed ones move, the rest are 409."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import RectificationStatus
from pingan.onewindow.rating.transitions import EVENTS, TRANSITIONS, next_status


@pytest.mark.parametrize("status", list(RectificationStatus))
@pytest.mark.parametrize("event", EVENTS)
def test_rectification_pair(status, event):
    if (status, event) in TRANSITIONS:
        assert next_status(status, event) is TRANSITIONS[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as exc:
            next_status(status, event)
        assert exc.value.code.startswith("rectification.")


def test_closing_before_the_call_back_is_the_closure_gate():
    with pytest.raises(InvalidTransition) as exc:
        next_status(RectificationStatus.OPEN, "close")
    assert exc.value.code == "rectification.no_call_back"
