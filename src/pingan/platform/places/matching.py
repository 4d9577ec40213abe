"""Free text to scored standard-address candidates.

The road or village is looked up first among the distinct road keys (a few thousand in a county, held per
process and refreshed when an address is added or edited), exactly or by edit distance (rapidfuzz); then
the house number narrows the rows through the (road_key, number) index, so the cost does not grow with the
number of addresses. Building, unit and room then order what is left.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from pingan.platform.places import repository as repo
from pingan.platform.places.models import Address
from pingan.platform.places.normalise import ParsedAddress, parse
from pingan.platform.places.settings import get_places_settings
from pingan.platform.users.models import User

# How much of the score (0-100) each part carries: the road, then the number, then each finer level.
_ROAD, _NUMBER, _LEVEL = 50, 26, 8
_ROADS_TRIED = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    address: Address
    score: int


class _RoadKeys:
    """The distinct road keys, per database, rebuilt when the addresses' stamp changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_bind: dict[str, tuple[tuple, list[str]]] = {}

    def get(self, db: Session) -> list[str]:
        bind = str(db.get_bind().engine.url)
        stamp = repo.stamp(db)
        cached = self._by_bind.get(bind)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        keys = repo.road_keys(db)
        with self._lock:
            self._by_bind[bind] = (stamp, keys)
        return keys


road_keys = _RoadKeys()


def _roads(parsed: ParsedAddress, keys: list[str], min_score: float) -> dict[str, float]:
    """Road key → similarity (0-100) for the keys worth trying."""
    if not parsed.road_key:
        return {}
    found = {key: float(score) for key, score, _ in process.extract(
        parsed.road_key, keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=_ROADS_TRIED)}
    # Text left in front of a known road (an unknown town name, a shop): the road it ends with counts fully.
    for key in keys:
        if len(key) >= 2 and parsed.road_key.endswith(key) and key != parsed.road_key:
            found[key] = max(found.get(key, 0.0), 95.0)
    if parsed.road_key in found:
        found[parsed.road_key] = 100.0
    return found


def _level_points(wanted: str, have: str) -> float:
    if wanted and have:
        return _LEVEL if wanted == have else -2 * _LEVEL
    if wanted:
        return -_LEVEL / 2  # the text names a room the register does not have: the house is still right
    return -_LEVEL / 4 if have else _LEVEL  # nothing asked: prefer the house itself to one of its rooms


def score(parsed: ParsedAddress, road_score: float, address: Address) -> int:
    points = _ROAD * road_score / 100
    if parsed.number:
        points += _NUMBER if address.number == parsed.number else 0
    points += _level_points(parsed.building, address.building)
    points += _level_points(parsed.unit, address.unit_no)
    points += _level_points(parsed.room, address.room)
    return max(0, min(100, round(points)))


def match(db: Session, user: User, text: str, *, limit: int | None = None) -> list[Candidate]:
    """The best standard addresses in the user's jurisdiction for ``text``, best first."""
    settings = get_places_settings()
    parsed = parse(text)
    roads = _roads(parsed, road_keys.get(db), settings.min_road_score)
    if not roads:
        return []
    rows = repo.candidates(db, user, list(roads), parsed.number)
    if not rows and parsed.number:
        rows = repo.candidates(db, user, list(roads), "")
    ranked = sorted((Candidate(a, score(parsed, roads[a.road_key], a)) for a in rows),
                    key=lambda c: (-c.score, len(c.address.text), c.address.code))
    return ranked[: limit or settings.match_limit]
