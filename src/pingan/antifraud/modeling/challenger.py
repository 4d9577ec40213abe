"""The shadow challenger against the deciding model, from what was stored with each screening: how often
they agree, where they differ (active decision × challenger decision), and — where a hold's alert was
closed with an outcome — which of the two got those transfers right.

Alerts exist only for the active model's holds, so outcomes say how the challenger would have treated the
frauds the active model stopped and the false alarms it raised; the challenger's own extra holds have no
outcome (nobody stopped those transfers) and are counted apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pingan.antifraud.alert.transitions import FRAUD, UNLABELLED
from pingan.antifraud.modeling import registry
from pingan.antifraud.models import Alert, AlertStatus, Decision, Screening

DECISIONS = tuple(d.value for d in Decision)
LABELS = ("fraud", "not_fraud")  # alert outcomes: fraud confirmed, dissuaded or insisted / not fraud
SIDES = ("active", "challenger")


def _table() -> dict[str, dict[str, int]]:
    return {a: dict.fromkeys(DECISIONS, 0) for a in DECISIONS}


@dataclass
class ChallengerComparison:
    """One challenger model over the screenings it scored in shadow."""

    challenger: str
    active_models: dict[str, int]  # deciding model version → screenings
    confusion: dict[str, dict[str, int]]  # active decision → challenger decision → screenings
    # outcome label → side → that side's decision → screenings whose alert was closed with that outcome
    outcomes: dict[str, dict[str, dict[str, int]]]

    @property
    def scored(self) -> int:
        return sum(sum(row.values()) for row in self.confusion.values())

    @property
    def agreed(self) -> int:
        return sum(self.confusion[d][d] for d in DECISIONS)

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.scored if self.scored else None

    def holds(self, side: str) -> int:
        if side == "active":
            return sum(self.confusion["hold"].values())
        return sum(row["hold"] for row in self.confusion.values())

    @property
    def challenger_only_holds(self) -> int:
        """Transfers the challenger would have held and the active model let through (no outcome known)."""
        return self.confusion["allow"]["hold"] + self.confusion["warn"]["hold"]

    def labelled(self, label: str) -> int:
        return sum(self.outcomes[label]["active"].values())

    def held(self, side: str, label: str) -> int:
        """Of the screenings whose alert outcome is `label`, how many this side held (or would have)."""
        return self.outcomes[label][side]["hold"]

    def as_dict(self) -> dict:
        return {"challenger": self.challenger, "active_models": self.active_models, "scored": self.scored,
                "agreed": self.agreed, "agreement": self.agreement, "confusion": self.confusion,
                "outcomes": self.outcomes, "challenger_only_holds": self.challenger_only_holds}


@dataclass
class ShadowComparison:
    since: dt.datetime | None
    screenings: int  # every screening in the window, scored in shadow or not
    challengers: list[ChallengerComparison]  # the current challenger first, then by screenings scored

    @property
    def scored(self) -> int:
        return sum(c.scored for c in self.challengers)

    def as_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None, "screenings": self.screenings,
                "scored": self.scored, "challengers": [c.as_dict() for c in self.challengers]}


def compare(db: Session, *, since: dt.datetime | None = None) -> ShadowComparison:
    """Every challenger that scored screenings received at or after `since` (all time without it)."""
    window = [] if since is None else [Screening.received_at >= since]
    shadow_decision = Screening.shadow["decision"].as_string().label("shadow_decision")
    challenger = Screening.shadow["model_version"].as_string().label("challenger")
    total = db.scalar(select(func.count()).select_from(Screening).where(*window)) or 0

    found: dict[str, ChallengerComparison] = {}

    def entry(name: str) -> ChallengerComparison:
        if name not in found:
            found[name] = ChallengerComparison(
                name, {}, _table(), {label: {side: dict.fromkeys(DECISIONS, 0) for side in SIDES}
                                     for label in LABELS})
        return found[name]

    by_decision = (select(challenger, Screening.model_version, Screening.decision, shadow_decision, func.count())
                   .where(*window, shadow_decision.is_not(None))
                   .group_by(challenger, Screening.model_version, Screening.decision, shadow_decision))
    for name, active_model, decision, would, count in db.execute(by_decision):
        row = entry(name)
        row.active_models[active_model] = row.active_models.get(active_model, 0) + count
        row.confusion[str(decision)][would] += count

    by_outcome = (select(challenger, Alert.outcome, Screening.decision, shadow_decision, func.count())
                  .join(Alert, Alert.screening_id == Screening.id)
                  .where(*window, shadow_decision.is_not(None), Alert.status == AlertStatus.CLOSED,
                         Alert.outcome.is_not(None), Alert.outcome.not_in(UNLABELLED))
                  .group_by(challenger, Alert.outcome, Screening.decision, shadow_decision))
    for name, outcome, decision, would, count in db.execute(by_outcome):
        sides = entry(name).outcomes["fraud" if outcome in FRAUD else "not_fraud"]
        sides["active"][str(decision)] += count
        sides["challenger"][would] += count

    current = registry.shadow_row(db)
    first = current.model_id if current else None
    ordered = sorted(found.values(), key=lambda c: (c.challenger != first, -c.scored, c.challenger))
    return ShadowComparison(since, total, ordered)
