"""The two shipped counties differ the way real ones do: organisations paid by thousands, landlords with
many tenants and payroll in both; another population, Spring Festival and typologies in no list in B."""

from __future__ import annotations

import collections
import datetime as dt

import orjson
import pytest

from pingan.antifraud.engine.contract import TYPOLOGIES, parse_labelled_request
from pingan.antifraud.simulator import county_names, simulate


def _load(out):
    return [parse_labelled_request(line) for line in (out / "labelled.jsonl").read_bytes().splitlines()]


@pytest.fixture(scope="module")
def counties(tmp_path_factory):
    out = {}
    for name in ("a", "b"):
        target = tmp_path_factory.mktemp(f"county-{name}")
        simulate(target, customers=2500, days=30, seed=9, config=name)
        out[name] = _load(target)
    return out


def test_both_named_counties_are_shipped():
    assert {"a", "b"} <= set(county_names())


def test_organisations_are_paid_by_hundreds_under_their_names_and_codes(counties):
    for rows in counties.values():
        payers = collections.defaultdict(set)
        for r in rows:
            if not r.label.is_fraud:
                payers[(r.payee.account_no)].add(r.customer.id_number)
        named = {r.payee.account_no: r.payee for r in rows if r.payee.uscc}
        busiest = sorted(payers, key=lambda k: -len(payers[k]))[:5]
        assert len(payers[busiest[0]]) > 500
        assert any(k in named for k in busiest)
        assert any(("医院" in (p.name or "")) for p in named.values())


def test_rent_to_landlords_with_many_tenants_falls_due_early_in_the_month(counties):
    rent = [r for r in counties["b"] if r.purpose in ("房租", "租金", "水电房租")]
    by_landlord = collections.Counter(r.payee.account_no for r in rent)
    assert by_landlord.most_common(1)[0][1] >= 10
    busiest = by_landlord.most_common(1)[0][0]
    days = [r.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=8))).day for r in rent
            if r.payee.account_no == busiest]
    assert sum(d <= 5 for d in days) / len(days) > 0.8


def test_payroll_pays_several_workers_within_the_hour(counties):
    wages = collections.defaultdict(list)
    for r in counties["a"]:
        if r.purpose in ("工资", "劳务费"):
            wages[(r.customer.id_number, r.occurred_at.date())].append(r.occurred_at)
    runs = [sorted(ts) for ts in wages.values() if len(ts) >= 4]
    assert runs and all((ts[-1] - ts[0]).total_seconds() < 3 * 3600 for ts in runs)


def test_county_b_has_other_people_spring_festival_and_new_typologies(counties):
    a, b = counties["a"], counties["b"]
    assert {r.customer.id_number[:2] for r in a} != {r.customer.id_number[:2] for r in b}
    new = {r.label.typology for r in b if r.label.is_fraud} - set(TYPOLOGIES)
    assert new  # e.g. ai_voice_clone, pension_investment
    tz = dt.timezone(dt.timedelta(hours=8))
    family = collections.Counter(r.occurred_at.astimezone(tz).date() for r in b
                                 if not r.label.is_fraud and r.purpose in ("红包", "过年", "压岁钱", "生活费"))
    eve = dt.date(2026, 2, 16)
    before = sum(family[dt.date(2026, 1, 27) + dt.timedelta(days=d)] for d in range(5)) / 5
    assert sum(family[eve - dt.timedelta(days=d)] for d in range(3)) / 3 > 1.5 * before


def test_the_same_seed_gives_the_same_files(tmp_path):
    simulate(tmp_path / "one", customers=300, days=5, seed=2, config="b")
    simulate(tmp_path / "two", customers=300, days=5, seed=2, config="b")
    assert (tmp_path / "one" / "labelled.jsonl").read_bytes() == (tmp_path / "two" / "labelled.jsonl").read_bytes()
    assert orjson.loads((tmp_path / "one" / "labelled.jsonl").read_bytes().splitlines()[0])["request_id"]
