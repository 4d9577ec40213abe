"""Several screening processes on one database, sharing Redis (the state) and NATS JetStream (the events),
each a real `pingan serve` with its preparer and store processes."""

from __future__ import annotations

import collections
import datetime as dt
import subprocess
import sys
import threading
import time

import httpx
import orjson
import pytest
import redis
from sqlalchemy import func, select

from pingan.antifraud.engine.state import stable_key
from pingan.antifraud.models import Alert, Screening
from pingan.core.db import get_engine, unit_of_work
from pingan.core.identity import make_resident_id
from pingan.platform.auth import service as auth
from tests.antifraud.engine.factories import body
from tests.antifraud.factories import RISKY, seed_county
from tests.scale import servers

pytestmark = [pytest.mark.slow, pytest.mark.timed]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    # Several processes share one PostgreSQL: `serve --workers` refuses SQLite, and docs/scaling.md runs
    # separate processes on PostgreSQL only (tests/scale/test_leader.py checks the refusal).
    if get_engine().dialect.name != "postgresql":
        pytest.skip("several screening processes share PostgreSQL")

SCREENINGS = "/api/v1/antifraud/screenings"
MULE = "6217000000008888"


def _sequence(n: int) -> list[dict]:
    """A county's morning: a few customers paying a few payees, a mule account collecting from many, and a
    call-centre fraud now and then, in time order."""
    customers = [make_resident_id("331003", dt.date(1950 + 7 * i, 3, 1 + i), 10 + i, "MF"[i % 2]) for i in range(9)]
    payees = ["6222020000000002", "6222020000000003", MULE, "6230000000000004"]
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    out = []
    for i in range(n):
        if i % 11 == 5:
            out.append(body(**{**RISKY, "request_id": f"s-{i}",
                               "occurred_at": (start + dt.timedelta(minutes=3 * i)).isoformat()}))
            continue
        out.append(body(request_id=f"s-{i}", amount=f"{(i * 977) % 40000 + 100}.00",
                        occurred_at=(start + dt.timedelta(minutes=3 * i)).isoformat(),
                        customer={"id_number": customers[i % len(customers)], "account_no": f"62220200001{i % 9:05d}"},
                        payee={"account_no": payees[(i * 7) % len(payees)] if i % 3 else MULE}))
    return out


def _keys() -> dict[str, str]:
    keys = seed_county()
    with unit_of_work() as db:
        for username in ("analyst", "duty1"):
            _, keys[username] = auth.create_api_key(db, user=auth.get_user(db, username), name="test")
    return keys


def _shared(prefix: str, redis_url: str, nats_url: str | None) -> dict[str, str]:
    env = {"PINGAN_ANTIFRAUD_STATE_URL": redis_url, "PINGAN_ANTIFRAUD_STATE_PREFIX": prefix}
    if nats_url:
        env |= {"PINGAN_EVENTS_URL": nats_url, "PINGAN_EVENTS_STREAM": prefix.upper()}
    return env


def test_two_processes_sharing_redis_decide_as_one_process(committed_db, redis_url, prefix):
    keys = _keys()
    alone = servers.Server({})  # the in-memory store, as a county runs today
    first, second = (servers.Server(_shared(prefix, redis_url, None)) for _ in range(2))
    try:
        servers.start_all(alone, first, second)
        headers = {"Authorization": f"Bearer {keys['TZB']}"}
        decided: dict[str, list] = {"alone": [], "pair": []}
        with httpx.Client(headers=headers, timeout=30) as client:
            for i, request in enumerate(_sequence(66)):
                a = client.post(alone.base + SCREENINGS, json=request)
                other = (first, second)[i % 2]  # the pair takes turns, as behind a load balancer
                b = client.post(other.base + SCREENINGS, json={**request, "request_id": f"p-{i}"})
                assert a.status_code == b.status_code == 200, (a.text, b.text)
                for name, answer in (("alone", a.json()), ("pair", b.json())):
                    decided[name].append((answer["decision"], answer["score"],
                                          [r["code"] for r in answer["reasons"]]))
        assert decided["pair"] == decided["alone"]
        kinds = {d for d, _, _ in decided["alone"]}
        assert {"allow", "hold"} <= kinds  # the sequence exercised the rules, not only the defaults
        assert any("payee.many_payers_24h" in codes for _, _, codes in decided["alone"])
    finally:
        for server in (alone, first, second):
            server.stop()


def test_a_person_protected_through_one_process_is_protected_by_the_other(committed_db, redis_url, prefix):
    """Redis alone, no bus and no scheduler: a customer dissuaded at an alert closed through one process is
    warned at their next transfer through the other, which can only know it from the shared state."""
    keys = _keys()
    first, second = (servers.Server(_shared(prefix, redis_url, None)) for _ in range(2))
    try:
        servers.start_all(first, second)
        bank = {"Authorization": f"Bearer {keys['TZB']}"}
        duty = {"Authorization": f"Bearer {keys['duty1']}"}
        small = body(request_id="granny-small-1", amount="300.00", customer=RISKY["customer"],
                     payee={"account_no": "6222020000000002"})
        with httpx.Client(timeout=30) as client:
            held = client.post(first.base + SCREENINGS, headers=bank, json=body(**RISKY)).json()
            assert held["decision"] == "hold", held
            before = client.post(second.base + SCREENINGS, headers=bank, json=small).json()
            assert "protected.recent_dissuasion" not in [r["code"] for r in before["reasons"]]
            alert = f"{first.base}/api/v1/antifraud/alerts/{held['alert_id']}"
            for step, extra in (("acknowledge", {}), ("dispatch", {"officer": "张警官"}), ("arrive", {}),
                                ("close", {"outcome": "dissuaded"})):
                done = client.post(f"{alert}/{step}", headers=duty, json=extra)
                assert done.status_code == 200, (step, done.text)
            after = client.post(second.base + SCREENINGS, headers=bank,
                                json={**small, "request_id": "granny-small-2"}).json()
        assert {"code": "protected.recent_dissuasion", "message": "近期被劝阻客户"} in after["reasons"]
        assert after["decision"] in ("warn", "hold")
    finally:
        first.stop()
        second.stop()


def test_a_batch_on_the_shared_state_claims_the_request_ids(committed_db, redis_url, prefix, tmp_path):
    """`pingan antifraud screen` on Redis claims the banks' request ids as the API does: a line screened
    over HTTP before gets that first answer, and an HTTP retry of a batch line gets the batch's."""
    keys = _keys()
    server = servers.Server(_shared(prefix, redis_url, None))
    requests = [body(request_id=f"batch-{i}", amount=f"{200 + 17 * i}.00") for i in range(6)]
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in requests))
    try:
        servers.start_all(server)
        with httpx.Client(headers={"Authorization": f"Bearer {keys['TZB']}"}, timeout=30) as client:
            before = client.post(server.base + SCREENINGS, json=requests[0]).json()
            subprocess.run([sys.executable, "-m", "pingan.cli", "antifraud", "screen", "-i", str(source),
                            "-o", str(target), "--workers", "0"], env=server.env, check=True, capture_output=True)
            lines = [orjson.loads(line) for line in target.read_bytes().splitlines()]
            retried = client.post(server.base + SCREENINGS, json=requests[3])
        assert [line.get("request_id") for line in lines] == [r["request_id"] for r in requests]
        assert (lines[0]["screening_id"], lines[0]["decision"]) == (before["screening_id"], before["decision"])
        assert retried.status_code == 200, retried.text
        assert (retried.json()["screening_id"], retried.json()["decision"]) == (lines[3]["screening_id"],
                                                                                lines[3]["decision"])
        with unit_of_work() as db:
            stored = db.execute(select(Screening.request_id, func.count()).where(
                Screening.request_id.like("batch-%")).group_by(Screening.request_id)).all()
        assert sorted(stored) == [(r["request_id"], 1) for r in requests]
    finally:
        server.stop()


def _listen(server: servers.Server, key: str, arrived: list, ready: threading.Event, stop: threading.Event) -> None:
    """A duty officer's live feed on `server`: each event with the time it arrived."""
    with httpx.Client(timeout=httpx.Timeout(5, read=None)) as client, client.stream(
            "GET", server.base + "/api/v1/events/stream", headers={"Authorization": f"Bearer {key}"}) as stream:
        ready.set()
        for line in stream.iter_lines():
            if line.startswith("data: "):
                arrived.append((time.monotonic(), orjson.loads(line[6:])))
            if stop.is_set():
                return


def test_a_listing_and_a_hold_reach_the_other_process_at_once(committed_db, nats_url, prefix):
    """In-memory stores, events on NATS: a listing made through one process holds the next transfer through
    the other 100 ms later; a hold screened by one reaches the duty officer's feed on the other within 1 s."""
    keys = _keys()
    env = {"PINGAN_EVENTS_URL": nats_url, "PINGAN_EVENTS_STREAM": prefix.upper()}
    first, second = servers.Server(env), servers.Server(env)
    try:
        servers.start_all(first, second)
        bank = {"Authorization": f"Bearer {keys['TZB']}"}
        analyst = {"Authorization": f"Bearer {keys['analyst']}"}
        payee = "6228480000001234"
        transfer = body(request_id="after-listing", payee={"account_no": payee})
        with httpx.Client(timeout=30) as client:
            before = client.post(second.base + SCREENINGS, headers=bank, json={**transfer, "request_id": "before"})
            assert before.json()["decision"] != "hold"
            listed = client.post(first.base + "/api/v1/antifraud/intel", headers=analyst, json={"rows": [
                {"kind": "account", "value": payee, "source": "反诈中心研判", "listed_on": "2025-03-01"}]})
            assert listed.status_code == 200, listed.text
            time.sleep(0.1)
            after = client.post(second.base + SCREENINGS, headers=bank, json=transfer)
            assert after.json()["decision"] == "hold", after.text
            assert "intel.payee_account" in [r["code"] for r in after.json()["reasons"]]

            arrived: list = []
            ready, stop = threading.Event(), threading.Event()
            feed = threading.Thread(target=_listen, args=(second, keys["duty1"], arrived, ready, stop), daemon=True)
            feed.start()
            assert ready.wait(10)
            time.sleep(0.5)  # the stream has read its starting point
            held = client.post(first.base + SCREENINGS, headers=bank, json=body(**{**RISKY, "request_id": "feed-1"}))
            answered = time.monotonic()
            alert_id = held.json()["alert_id"]
            assert held.json()["decision"] == "hold" and alert_id
            deadline = answered + 5
            while time.monotonic() < deadline and not any(e.get("alert_id") == alert_id for _, e in arrived):
                time.sleep(0.02)
            stop.set()
        reached = [t for t, e in arrived if e.get("alert_id") == alert_id]
        assert reached, "the hold never reached the other process's feed"
        assert reached[0] - answered <= 1.0
    finally:
        first.stop()
        second.stop()


def _load(targets: list[servers.Server], key: str, answered: dict, stop: threading.Event, lock: threading.Lock,
          counter, per_target: int = 4, missed: collections.Counter | None = None) -> list[threading.Thread]:
    """Banks posting to each target until ``stop``; ``missed`` counts what was not answered, by server port and
    why (the error code of a refusal, or the transport error), for a failure to explain itself."""
    missed = collections.Counter() if missed is None else missed

    def bank(server: servers.Server) -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
            while not stop.is_set():
                with lock:
                    i = next(counter)
                request = _request(i)
                try:
                    response = client.post(server.base + SCREENINGS, json=request)
                except httpx.HTTPError as exc:
                    if server.proc.poll() is not None:
                        return  # killed
                    with lock:
                        missed[server.port, type(exc).__name__] += 1
                    continue
                with lock:
                    if response.status_code == 200:
                        answered[request["request_id"]] = (server, response.json())
                    else:
                        missed[server.port, f"{response.status_code} {response.text[:80]}"] += 1

    threads = [threading.Thread(target=bank, args=(s,), daemon=True) for s in targets for _ in range(per_target)]
    for t in threads:
        t.start()
    return threads


def _request(i: int) -> dict:
    if i % 10 == 0:
        return body(**{**RISKY, "request_id": f"load-{i}"})
    return body(request_id=f"load-{i}", amount=f"{100 + i}.00",
                customer={"id_number": make_resident_id("331003", dt.date(1960 + i % 40, 1, 1 + i % 28), i % 97, "M")})


def _stored_once(answered: dict) -> None:
    """Every answered decision is stored, once, as it was answered; every hold has one alert."""
    with unit_of_work() as db:
        rows = {s.request_id: s for s in db.scalars(select(Screening).where(
            Screening.request_id.in_(list(answered))))}
        for request_id, (_, answer) in answered.items():
            row = rows.get(request_id)
            assert row is not None, request_id
            assert (row.id, row.decision.value, row.score) == (answer["screening_id"], answer["decision"],
                                                               answer["score"])
        per_request = db.execute(select(Screening.request_id, func.count()).group_by(Screening.bank_id,
                                                                                     Screening.request_id)).all()
        assert all(n == 1 for _, n in per_request)
        holds = db.scalar(select(func.count()).select_from(Screening).where(Screening.decision == "hold"))
        alerts = db.scalar(select(func.count()).select_from(Alert))
        held_with_alert = db.scalar(select(func.count(func.distinct(Alert.screening_id))))
    assert alerts == holds == held_with_alert > 0


def test_kill_one_process_under_load(committed_db, redis_url, nats_url, prefix):
    keys = _keys()
    first, second = (servers.Server(_shared(prefix, redis_url, nats_url)) for _ in range(2))
    answered: dict = {}
    stop, lock, counter = threading.Event(), threading.Lock(), iter(range(1_000_000))
    try:
        servers.start_all(first, second)
        missed: collections.Counter = collections.Counter()
        threads = _load([first, second], keys["TZB"], answered, stop, lock, counter, missed=missed)
        deadline = time.monotonic() + 60
        while len(answered) < 300 and time.monotonic() < deadline:
            time.sleep(0.1)
        first.kill()
        seen = len(answered)
        deadline = time.monotonic() + 30
        while len(answered) < seen + 100 and time.monotonic() < deadline:  # the other one carries on
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(timeout=15)
        by_first = [rid for rid, (server, _) in answered.items() if server is first]
        assert len(by_first) > 50 and len(answered) > len(by_first) + 50, \
            f"the load did not get going: {len(by_first)} answered by the first (port {first.port}), " \
            f"{len(answered)} in all; not answered: {dict(missed)}; the first's log: {first.tail()}"
        # A bank retrying through the surviving process gets the dead one's first answer.
        with httpx.Client(headers={"Authorization": f"Bearer {keys['TZB']}"}, timeout=30) as client:
            for rid in by_first[::7]:
                retry = client.post(second.base + SCREENINGS, json=_request(int(rid.split("-")[1])))
                assert retry.json() == answered[rid][1]
    finally:
        stop.set()
        first.stop()
        second.stop()
    _stored_once(answered)


def test_restart_redis_under_load(committed_db, private_redis, nats_url, prefix):
    """A Redis without persistence restarts empty: the processes refuse screenings (503) and say not ready
    until one of them has replayed the database into it; nothing answered before or after is lost, and the
    rebuilt state holds what was answered before the restart."""
    keys = _keys()
    first, second = (servers.Server(_shared(prefix, private_redis.url, nats_url)) for _ in range(2))
    answered: dict = {}
    stop, lock, counter = threading.Event(), threading.Lock(), iter(range(1_000_000))
    try:
        servers.start_all(first, second)
        threads = _load([first, second], keys["TZB"], answered, stop, lock, counter, per_target=3)
        deadline = time.monotonic() + 60
        while len(answered) < 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        private_redis.stop()
        before = len(answered)
        private_redis.start()
        deadline = time.monotonic() + 120
        while len(answered) < before + 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(timeout=15)
        assert len(answered) >= before + 200, "screening did not resume after the restart"
        for server in (first, second):
            assert httpx.get(server.base + "/readyz", timeout=5).status_code == 200
        # The rebuilt state holds every stored transfer once: those replayed from before the restart and
        # those screened since (the risky customer's count is her stored screenings').
        record = redis.Redis.from_url(private_redis.url).get(
            f"{prefix}:c:{stable_key('customer', RISKY['customer']['id_number'])}")
        with unit_of_work() as db:
            hers = db.scalar(select(func.count()).select_from(Screening).where(
                Screening.customer_id_number == RISKY["customer"]["id_number"]))
        assert int(record.split(b",")[2]) == hers
    finally:
        stop.set()
        first.stop()
        second.stop()
    _stored_once(answered)
