"""What every 调解室 page shares: who may open it and the Chinese labels of codes."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.mediation import vocabulary
from pingan.mediation.permissions import can_write
from pingan.web.templating import render

LABELS = {"status_labels": {k.value: v for k, v in vocabulary.STATUS_LABELS.items()},
          "source_labels": {k.value: v for k, v in vocabulary.SOURCE_LABELS.items()},
          "category_labels": {k.value: v for k, v in vocabulary.CATEGORY_LABELS.items()},
          "outcome_labels": {k.value: v for k, v in vocabulary.OUTCOME_LABELS.items()},
          "mediator_kinds": {k.value: v for k, v in vocabulary.MEDIATOR_KINDS.items()},
          "follow_up_kinds": {k.value: v for k, v in vocabulary.FOLLOW_UP_KINDS.items()},
          "event_labels": vocabulary.EVENT_LABELS, "clock_labels": vocabulary.CLOCK_LABELS}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = request.state.user
    return render(request, name, {**LABELS, "can_write": can_write(user), **context}, status_code=status_code)
