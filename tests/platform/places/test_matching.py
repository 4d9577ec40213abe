"""Free text finds the standard address a clerk means: the corpus of written variants, and the jurisdiction."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pingan.platform.places import matching, service
from pingan.platform.places.normalise import parse
from pingan.platform.users.models import Role

CORPUS = Path(__file__).parent / "data" / "address_corpus.csv"


def _corpus() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8") as f:
        return [(row["text"], row["code"]) for row in csv.DictReader(f)]


def test_the_corpus_has_at_least_200_written_variants():
    assert len(_corpus()) >= 200


def test_every_variant_of_the_corpus_finds_its_address_first(addresses, make_user):
    analyst = make_user(Role.ANALYST)
    misses = []
    for text, code in _corpus():
        found = matching.match(addresses, analyst, text)
        if not found or found[0].address.code != code:
            misses.append((text, code, [(c.address.code, c.score) for c in found[:3]]))
    assert not misses, misses[:10]


@pytest.mark.parametrize(("text", "parts"), [
    ("黄岩区头陀镇新下岙村32号", ("新下岙", "32", "", "", "")),
    ("新下岙村32号2单元", ("新下岙", "32", "", "2", "")),
    ("浙江省台州市黄岩区头陀镇新下岙社区３２号２幢１单元３０１室", ("新下岙", "32", "2", "1", "301")),
    ("劳动北路118号5-2-501", ("劳动北路", "118", "5", "2", "501")),
    ("新下岙村32之1号", ("新下岙", "32-1", "", "", "")),
    ("镇西村5号", ("镇西", "5", "", "", "")),
    ("市府大道1号", ("市府大道", "1", "", "", "")),
])
def test_the_parts_of_a_written_address(text, parts):
    p = parse(text)
    assert (p.road_key, p.number, p.building, p.unit, p.room) == parts


def test_an_exact_address_scores_higher_than_its_neighbours(addresses, make_user):
    found = matching.match(addresses, make_user(Role.ANALYST), "新下岙村32号2幢1单元301室")
    assert found[0].address.code == "TT-XXA-32-2-1-301"
    assert found[0].score > found[1].score
    assert found[0].score >= 90


def test_an_unknown_village_offers_nothing(addresses, make_user):
    assert matching.match(addresses, make_user(Role.ANALYST), "院桥镇莲花村99号") == []


def test_candidates_stay_within_the_users_jurisdiction(addresses, make_user):
    jiangkou = make_user(Role.DUTY_OFFICER, unit="331003-02")
    assert matching.match(addresses, jiangkou, "新下岙村32号") == []
    assert matching.match(addresses, jiangkou, "劳动北路118号")[0].address.code == "JK-LDB-118"
    assert matching.match(addresses, make_user(Role.TELLER), "劳动北路118号") == []


def test_a_new_address_is_found_at_once(addresses, make_user):
    analyst = make_user(Role.ANALYST)
    assert matching.match(addresses, analyst, "横街村3号") == []
    service.import_csv(addresses, "code,grid,road,number,building,unit,room\nTT-HJ-3,331003-01-01-01,横街村,3,,,\n")
    assert matching.match(addresses, analyst, "横街村3号")[0].address.code == "TT-HJ-3"


def test_the_match_api_answers_with_scores(addresses, make_user, api_client):
    client = api_client(make_user(Role.COMMUNITY_OFFICER))
    response = client.get("/api/v1/places/match", params={"q": "头陀镇新下岙村32号"})
    assert response.status_code == 200
    best = response.json()[0]
    assert best["address"]["code"] == "TT-XXA-32" and best["address"]["text"] == "新下岙村32号"
    assert 0 <= best["score"] <= 100
