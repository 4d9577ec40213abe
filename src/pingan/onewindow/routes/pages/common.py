"""What every 一窗通办 page shares: the labels of codes and the page renderer."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.core import clock
from pingan.onewindow import vocabulary
from pingan.onewindow.permissions import can_write
from pingan.web.templating import render

LABELS = {"item_status_labels": {k.value: v for k, v in vocabulary.ITEM_STATUS_LABELS.items()},
          "channel_labels": {k.value: v for k, v in vocabulary.CHANNEL_LABELS.items()},
          "limit_kind_labels": {k.value: v for k, v in vocabulary.LIMIT_KIND_LABELS.items()},
          "grade_labels": vocabulary.GRADE_LABELS,
          "rectification_labels": {k.value: v for k, v in vocabulary.RECTIFICATION_STATUS_LABELS.items()}}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    return render(request, name, {**LABELS, "step_labels": vocabulary.STEP_LABELS,
                                  "rectification_step_labels": vocabulary.RECTIFICATION_STEP_LABELS,
                                  "note_labels": vocabulary.RECTIFICATION_NOTE_LABELS,
                                  "can_write": user is not None and can_write(user), "now": clock.now(),
                                  "clock_labels": vocabulary.CLOCK_LABELS, **context},
                  status_code=status_code)
