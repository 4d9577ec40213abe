"""The simulated county has the published shapes: typology shares, victims' ages and sexes, channels,
losses, mule accounts shared by victims — and ordinary customers who look like victims now and then."""

from __future__ import annotations

import collections
import datetime as dt
import statistics

import orjson
import pytest

from pingan.antifraud.engine.contract import parse_screening_request
from pingan.antifraud.intel import service as intel
from pingan.antifraud.simulator import load_config, simulate
from pingan.core.identity import parse_resident_id
from pingan.platform.org.loader import parse_org_file


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    # Four times the default case rate, so a small county still has enough cases of each typology.
    config = load_config()
    config["fraud"]["cases_per_1000_customers_per_month"] *= 4
    summary = simulate(out, customers=6000, days=30, seed=11, config=config)
    requests = [orjson.loads(line) for line in (out / "requests.jsonl").read_bytes().splitlines()]
    labels = [orjson.loads(line) for line in (out / "labels.jsonl").read_bytes().splitlines()]
    return out, summary, requests, labels


def _cases(requests, labels):
    cases = collections.defaultdict(list)
    for req, lab in zip(requests, labels, strict=True):
        if lab["label"]["is_fraud"]:
            cases[lab["case_id"]].append((req, lab["label"]["typology"]))
    return cases


def test_files_follow_the_contract_in_time_order(county):
    out, summary, requests, labels = county
    assert summary.requests == len(requests) == len(labels) > 30_000
    times = [parse_screening_request(r).occurred_at for r in requests[:3000]]
    assert times == sorted(times)
    assert all(r["request_id"] == lab["request_id"] for r, lab in zip(requests, labels, strict=True))
    labelled = orjson.loads((out / "labelled.jsonl").read_bytes().splitlines()[0])
    assert labelled["label"] == labels[0]["label"]
    assert intel.parse_csv((out / "intel.csv").read_text(encoding="utf-8"))
    org = parse_org_file(out / "org.yaml")
    branches = {b.code for bank in org.banks for b in bank.branches}
    assert {r["branch_code"] for r in requests} <= branches


def test_typology_shares_and_fraud_rate(county):
    _, summary, requests, labels = county
    shares = {t: n / summary.cases for t, n in summary.typologies.items()}
    assert 0.22 <= shares["brushing_rebate"] <= 0.45  # about a third of cases
    assert max(shares, key=shares.get) == "brushing_rebate"
    assert set(summary.typologies) >= {"investment", "loan", "fake_customer_service", "impersonating_authorities"}
    assert 0.01 < summary.fraud_requests / summary.requests < 0.06


def test_victims_ages_sexes_channels_and_losses(county):
    _, _, requests, labels = county
    by_typology = collections.defaultdict(list)
    for case in _cases(requests, labels).values():
        by_typology[case[0][1]].append(case)

    def victims(t):
        return [parse_resident_id(c[0][0]["customer"]["id_number"]) for c in by_typology[t]]

    def age(rid):
        return rid.age_on(dt.date(2026, 10, 1))

    assert statistics.median(map(age, victims("brushing_rebate"))) < 35
    authorities = victims("impersonating_authorities")
    assert statistics.median(map(age, authorities)) >= 58
    assert sum(v.sex == "F" for v in authorities) / len(authorities) > 0.5
    counter = [r["channel"] == "counter" for c in by_typology["impersonating_authorities"] for r, _ in c]
    assert sum(counter) / len(counter) > 0.5
    secret = [("keeps_secret_from_family" in r["signals"]) for c in by_typology["impersonating_authorities"]
              for r, _ in c if r["channel"] == "counter"]
    assert sum(secret) / len(secret) > 0.25

    def loss(t):
        return statistics.mean(sum(float(r["amount"]) for r, _ in c) for c in by_typology[t])

    assert loss("investment") > loss("brushing_rebate") * 3
    screen = [("screen_sharing" in r["signals"]) for c in by_typology["fake_customer_service"] for r, _ in c
              if r["channel"] in ("mobile", "online")]
    assert sum(screen) / len(screen) > 0.3
    # Escalation: in multi-transfer brushing cases the last transfer is usually the largest.
    multi = [c for c in by_typology["brushing_rebate"] if len(c) >= 3]
    grows = [float(c[-1][0]["amount"]) > float(c[0][0]["amount"]) for c in multi]
    assert sum(grows) / len(grows) > 0.7


def test_mules_are_shared_far_away_and_legit_customers_look_like_victims_too(county):
    _, _, requests, labels = county
    payers = collections.defaultdict(set)
    fraud_payees = []
    for req, lab in zip(requests, labels, strict=True):
        if lab["label"]["is_fraud"]:
            payers[req["payee"]["account_no"]].add(req["customer"]["id_number"])
            fraud_payees.append(req)
    assert sum(len(p) >= 2 for p in payers.values()) / len(payers) > 0.3
    far = [r for r in fraud_payees if "region_code" in r["payee"]]
    other = [r["payee"]["region_code"][:2] != r["customer"]["id_number"][:2] for r in far]
    assert sum(other) / len(other) > 0.6

    legit = [r for r, lab in zip(requests, labels, strict=True) if not lab["label"]["is_fraud"]]
    assert sum(float(r["amount"]) >= 50_000 for r in legit) > 20  # houses, cars, suppliers
    assert sum("on_phone" in r["signals"] for r in legit) > 50  # honest customers on the phone
    elderly_counter = [r for r in legit if r["channel"] == "counter"]
    assert len(elderly_counter) / len(legit) > 0.1
    migrants = [r for r in legit if r["customer"]["id_number"][:2] != "33"]
    assert len(migrants) / len(legit) > 0.1


def test_same_seed_same_files(tmp_path):
    simulate(tmp_path / "a", customers=200, days=3, seed=5)
    simulate(tmp_path / "b", customers=200, days=3, seed=5)
    for name in ("requests.jsonl", "labels.jsonl", "intel.csv", "org.yaml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
