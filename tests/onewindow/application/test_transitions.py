"""Every (status, event) pair of the item table: allowed ones move, the rest are 409."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.onewindow.application.transitions import EVENTS, TRANSITIONS, next_status
from pingan.onewindow.models import ItemStatus


@pytest.mark.parametrize("status", list(ItemStatus))
@pytest.mark.parametrize("event", EVENTS)
def test_item_pair(status, event):
    if (status, event) in TRANSITIONS:
        assert next_status(status, event) is TRANSITIONS[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as exc:
            next_status(status, event)
        assert exc.value.code.startswith("item.")
