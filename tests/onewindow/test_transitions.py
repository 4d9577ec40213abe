"""Every (status, event) pair of the item and rectification tables: allowed ones move, the rest are 409."""

from __future__ import annotations

import pytest

from pingan.core.errors import InvalidTransition
from pingan.onewindow.models import ItemStatus, RectificationStatus
from pingan.onewindow.transitions import (
    ITEM_EVENTS,
    ITEM_TRANSITIONS,
    RECTIFICATION_EVENTS,
    RECTIFICATION_TRANSITIONS,
    next_item_status,
    next_rectification_status,
)


@pytest.mark.parametrize("status", list(ItemStatus))
@pytest.mark.parametrize("event", ITEM_EVENTS)
def test_item_pair(status, event):
    if (status, event) in ITEM_TRANSITIONS:
        assert next_item_status(status, event) is ITEM_TRANSITIONS[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as exc:
            next_item_status(status, event)
        assert exc.value.code.startswith("item.")


@pytest.mark.parametrize("status", list(RectificationStatus))
@pytest.mark.parametrize("event", RECTIFICATION_EVENTS)
def test_rectification_pair(status, event):
    if (status, event) in RECTIFICATION_TRANSITIONS:
        assert next_rectification_status(status, event) is RECTIFICATION_TRANSITIONS[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as exc:
            next_rectification_status(status, event)
        assert exc.value.code.startswith("rectification.")


def test_closing_before_the_call_back_is_the_closure_gate():
    with pytest.raises(InvalidTransition) as exc:
        next_rectification_status(RectificationStatus.OPEN, "close")
    assert exc.value.code == "rectification.no_call_back"
