"""Calibration on a bank's own traffic, with no labels: replay a week of its requests through the engine as
it stands (active model and rule set, intel and known-payee lists) and find the integer thresholds that
give the target shares of holds and warnings."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from pingan.antifraud.engine import Engine
from pingan.antifraud.engine.contract import ScreeningRequest, parse_screening_request


@dataclass
class Replayed:
    """Per bank: the integer score of every screening replayed and whether it was a forced hold."""

    scores: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    forced: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lines: int = 0
    bad_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Calibrated:
    bank_code: str
    warn: int
    hold: int
    screenings: int
    hold_rate: float  # achieved on the replay
    warn_rate: float  # share of warnings (warn, not hold)
    forced_holds: int


def replay(engine: Engine, lines: Iterable[bytes], *, bank_code: str | None = None) -> Replayed:
    """Screen every valid line in time order (the state follows all of them, whichever bank); keep the
    scores of `bank_code`'s requests (every bank's, each apart, without it)."""
    out = Replayed()
    requests: list[ScreeningRequest] = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        out.lines += 1
        try:
            requests.append(parse_screening_request(raw))
        except ValidationError:
            out.bad_lines.append(number)
    requests.sort(key=lambda r: r.occurred_at)
    for req, decision in engine.replay(requests):
        if bank_code is not None and req.bank_code != bank_code:
            continue
        if any(code == "intel.payee_account" for code in decision.fired):
            out.forced[req.bank_code] += 1
        else:
            out.scores[req.bank_code].append(decision.score)
    return out


def thresholds_for(scores: list[int], forced: int, *, hold_rate: float, warn_rate: float) -> tuple[int, int]:
    """The lowest integer (warn, hold) giving at most `hold_rate` holds (forced holds included) and at most
    `warn_rate` warnings among these screenings."""
    ordered = sorted(scores)
    n = len(ordered) + forced

    def at_or_above(t: int) -> int:
        return len(ordered) - bisect.bisect_left(ordered, t)

    hold = next((t for t in range(1, 1001) if forced + at_or_above(t) <= hold_rate * n), 1000)
    warn = next((t for t in range(1, hold + 1) if at_or_above(t) - at_or_above(hold) <= warn_rate * n), hold)
    return warn, hold


def calibrate(replayed: Replayed, *, hold_rate: float, warn_rate: float) -> list[Calibrated]:
    out = []
    for bank in sorted(set(replayed.scores) | set(replayed.forced)):
        scores, forced = replayed.scores.get(bank, []), replayed.forced.get(bank, 0)
        warn, hold = thresholds_for(scores, forced, hold_rate=hold_rate, warn_rate=warn_rate)
        n = len(scores) + forced
        holds = forced + sum(s >= hold for s in scores)
        warns = sum(warn <= s < hold for s in scores)
        out.append(Calibrated(bank, warn, hold, n, holds / n, warns / n, forced))
    return out
