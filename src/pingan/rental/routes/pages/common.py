"""What every 租安心 page shares: the Chinese labels of codes, the page renderer, form values and errors."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from pingan.rental import vocabulary
from pingan.rental.permissions import can_verify, can_write
from pingan.web.templating import render

LABELS = {"status_labels": {k.value: v for k, v in vocabulary.STATUS_LABELS.items()},
          "kind_labels": {k.value: v for k, v in vocabulary.KIND_LABELS.items()},
          "colour_labels": {k.value: v for k, v in vocabulary.COLOUR_LABELS.items()},
          "keeper_labels": {k.value: v for k, v in vocabulary.KEEPER_LABELS.items()},
          "declared_by_labels": {k.value: v for k, v in vocabulary.DECLARED_BY_LABELS.items()},
          "item_labels": {k.value: v for k, v in vocabulary.ITEM_LABELS.items()},
          "clock_labels": vocabulary.CLOCK_LABELS, "phase_labels": vocabulary.PHASE_LABELS}


def page(request: Request, name: str, context: dict, status_code: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    can = {"write": bool(user) and can_write(user), "verify": bool(user) and can_verify(user)}
    return render(request, name, {**LABELS, "can": can, **context}, status_code=status_code)


def values_of(form, names: tuple[str, ...]) -> dict[str, str]:
    return {k: str(form.get(k) or "").strip() for k in names}
