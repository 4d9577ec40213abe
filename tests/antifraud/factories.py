"""Anti-fraud test builders: the test county with its users and bank keys, the live app's clients, and
screening bodies for the API and the teller's counter form."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select

from pingan.antifraud.alert import service as alert_flow
from pingan.antifraud.engine import DecisionThresholds, EngineDecision
from pingan.antifraud.engine.contract import Reason, parse_screening_request
from pingan.antifraud.models import Alert
from pingan.antifraud.screening import repository as screening_repo
from pingan.antifraud.screening.prepared import prepare
from pingan.antifraud.screening.runtime.runtime import BranchInfo, PendingScreening, new_screening_id
from pingan.antifraud.screening.storage import store
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform.auth import service as auth
from pingan.platform.org import service as org_service
from pingan.platform.org.loader import parse_org_text
from pingan.platform.org.models import BankBranch
from pingan.platform.users.models import Role
from tests.antifraud.engine.factories import ADULT_MAN, ELDERLY_WOMAN, body
from tests.factories import COUNTY_YAML, PASSWORD, login

URL = "/api/v1/antifraud/screenings"
_holds = itertools.count(1)

RISKY = dict(
    request_id="risky-1", channel="counter", amount="180000.00",
    customer={"id_number": ELDERLY_WOMAN, "name": "王阿婆", "balance": "200000.00"},
    payee={"account_no": "6217000000009999", "name": "李某", "region_code": "510104"},
    purpose="公安局说我的账户涉嫌洗钱，要转到安全账户资金审查",
    signals=["on_phone", "caller_instructing", "keeps_secret_from_family", "fixed_deposit_early_withdrawal"],
)


COUNTER = "/antifraud/counter"
ORDINARY = {
    "customer.name": "张三", "customer.id_number": ADULT_MAN, "customer.phone": "13800138000",
    "customer.account_no": "6222020000000001", "customer.balance": "50000", "amount": "2000.00",
    "payee.account_no": "6222020000000002", "payee.name": "张小明", "payee.region_code": "331003",
    "purpose": "生活费",
}


@dataclass
class Live:
    app: object
    tzb: TestClient  # API client of 台州银行's systems
    hyrcb: TestClient  # API client of 黄岩农商银行's systems
    keys: dict[str, str]

    def client(self, headers: dict | None = None) -> TestClient:
        return TestClient(self.app, headers=headers or {})

    def as_user(self, username: str) -> TestClient:
        client = TestClient(self.app)
        assert login(client, username).status_code == 303
        client.headers["X-CSRF-Token"] = client.cookies.get("pingan_csrf")
        return client


def seed_county() -> dict[str, str]:
    """Commit the test county, a user per role and an API key for each bank's systems."""
    keys = {}
    with unit_of_work() as db:
        org_service.apply_org_file(db, parse_org_text(COUNTY_YAML))
        for username, role, place in [
            ("analyst", Role.ANALYST, {"unit_code": "331003"}),
            ("duty1", Role.DUTY_OFFICER, {"unit_code": "331003-01"}),
            ("duty2", Role.DUTY_OFFICER, {"unit_code": "331003-02"}),
            ("clerk1", Role.WINDOW_CLERK, {"unit_code": "331003-01"}),
            ("mediator1", Role.MEDIATOR, {"unit_code": "331003-01"}),
            ("teller1", Role.TELLER, {"branch_code": "TZB-01"}),
            ("teller2", Role.TELLER, {"branch_code": "TZB-02"}),
        ]:
            auth.create_user(db, username=username, password=PASSWORD, role=role, **place)
        for bank in ("TZB", "HYRCB"):
            _, keys[bank] = auth.create_api_key(db, user=auth.bank_system_user(db, bank), name="core")
        _, keys["teller1"] = auth.create_api_key(db, user=auth.get_user(db, "teller1"), name="script")
    return keys



def request_id_of(client) -> str:
    page = client.get(COUNTER)
    assert page.status_code == 200, page.text
    return re.search(r'name="request_id" value="([0-9a-f]{32})"', page.text).group(1)


def screen(client, fields: dict, *, request_id: str | None = None, htmx: bool = False):
    data = {"request_id": request_id or request_id_of(client), **fields}
    return client.post(COUNTER, data=data, headers={"HX-Request": "true"} if htmx else {})


def screening_id(text: str) -> str:
    return re.search(r'href="/antifraud/screenings/([0-9a-f]+)"', text).group(1)


def decided_row(db, request: dict, *, decision: str, score: int | None = None, typology: str | None = None,
                submitted_by_id: int | None = None) -> dict:
    """A decided screening of ``request`` (a `body`) as the store receives it, made by the code's own
    constructors (`prepare`, `PendingScreening`, `screening_values`, `screening_row`), with the engine's
    answer given instead of computed."""
    branch = db.scalar(select(BankBranch).where(BankBranch.code == request["branch_code"]))
    answer = EngineDecision(
        decision=decision, score={"allow": 0, "warn": 400, "hold": 900}[decision] if score is None else score,
        reasons=(Reason(code="test.reason", message="原因"),), typology=typology, questions=("问题",),
        model_version="rules", ruleset_version="default", thresholds=DecisionThresholds(), model_probability=None,
        rule_points=0, fired=("test.reason",), features=())
    pending = PendingScreening(new_screening_id(), prepare(parse_screening_request(request)),
                               BranchInfo(branch.id, branch.bank_id, branch.bank.code, branch.station_id), answer,
                               clock.now(), 1.0, submitted_by_id)
    return screening_repo.screening_row(screening_repo.screening_values(pending))


def decided_body(branch_code: str, request_id: str, **fields) -> dict:
    """A screening body at this branch (its bank's code derived)."""
    return body(request_id=request_id, bank_code=branch_code.split("-")[0], branch_code=branch_code, **fields)


def held_alert(db, *, channel: str = "counter", branch: str = "TZB-01", amount: str = "180000.00",
               payee: str = "6217000000009999", typology: str = "impersonating_authorities") -> Alert:
    """A held screening stored the way the store process stores it, so its alert is opened by
    ``open_alerts`` on the store path."""
    request = decided_body(branch, f"hold-{next(_holds)}", channel=channel, amount=amount,
                           customer={"id_number": ELDERLY_WOMAN, "name": "王阿婆"}, payee={"account_no": payee})
    (alert_id,) = store.write_screenings(db, [decided_row(db, request, decision="hold", typology=typology)])
    return db.get(Alert, alert_id)


def alert_step(db, alert: Alert, action: str, actor, outcome: str | None = None) -> Alert:
    """One step of the alert (``outcome`` for a close), with what each step needs."""
    if action == "acknowledge":
        return alert_flow.acknowledge_alert(db, alert=alert, actor=actor)
    if action == "dispatch":
        return alert_flow.dispatch_alert(db, alert=alert, actor=actor, officer="张警官")
    if action == "arrive":
        return alert_flow.arrive_alert(db, alert=alert, actor=actor)
    return alert_flow.close_alert(db, alert=alert, actor=actor, outcome=outcome)
