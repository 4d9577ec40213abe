"""Telecom-fraud reports end to end: the payee account and phone go onto 警银通's intel list at once, so the
next transfer to the account from another bank is held; the victim's earlier allowed screening becomes a
missed fraud (a fraud label for `train --from-outcomes`, a counter-remittance case); the bank answers the
stop-payment through its API (its own accounts only); then the freeze."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from pingan.antifraud.alert.service import outcome_labels
from pingan.antifraud.models import IntelEntry, MissedFraud
from pingan.cases.models import Case, FraudReport
from pingan.core import clock
from pingan.core.db import unit_of_work
from pingan.platform import handover
from tests.antifraud.engine.factories import body
from tests.cases.factories import FRAUD_PHONE, MULE_ACCOUNT, VICTIM, fraud_body

SCREEN = "/api/v1/antifraud/screenings"
URL = "/api/v1/cases"
VICTIM_CUSTOMER = {"id_number": VICTIM, "name": "王阿婆", "phone": "13905762222", "account_no": "6222020000000077"}


def test_reported_payee_is_held_at_the_next_screening_from_another_bank_and_the_missed_one_is_labelled(live):
    before = live.tzb.post(SCREEN, json=body(request_id="v-1", customer=VICTIM_CUSTOMER,
                                             payee={"account_no": MULE_ACCOUNT})).json()
    assert before["decision"] == "allow"
    officer = live.as_user("duty1")
    reported = officer.post(f"{URL}/fraud-reports", json=fraud_body(loss="1200000.00"))
    assert reported.status_code == 201, reported.text
    report = reported.json()
    assert report["missed_screenings"] == [before["screening_id"]] and report["counter_remittance"] is True
    assert report["high_loss"] is True
    assert report["payees"][0]["status"] == "stop_requested"
    assert report["payees"][0]["deadlines"][0]["kind"] == "cases.payee.stopped"

    after = live.hyrcb.post(SCREEN, json=body(request_id="n-1", bank_code="HYRCB", branch_code="HYRCB-01",
                                              occurred_at=clock.now().isoformat(),
                                              payee={"account_no": MULE_ACCOUNT})).json()
    assert after["decision"] == "hold"
    assert any(r["code"].startswith("intel.") for r in after["reasons"])
    with unit_of_work() as db:
        listed = {(e.kind.value, e.value) for e in db.scalars(select(IntelEntry))}
        assert {("account", MULE_ACCOUNT), ("phone", FRAUD_PHONE)} <= listed
        case = db.get(Case, report["case_id"])
        assert case.category == "telecom_fraud" and case.persons[0].loss == 1200000
        assert db.scalar(select(MissedFraud.screening_id)) == before["screening_id"]
        labels = [row for row in outcome_labels(db) if row["request_id"] == "v-1"]
        assert labels == [{**labels[0], "label": {"is_fraud": True, "typology": "impersonating_authorities"}}]
    figures = officer.get(f"{URL}/figures").json()
    assert (figures["fraud_cases"], figures["high_loss"], figures["counter_remittance"]) == (1, 1, 1)


def test_bank_answers_its_own_accounts_then_the_account_is_frozen(live):
    officer = live.as_user("duty1")
    report = officer.post(f"{URL}/fraud-reports", json=fraud_body(loss="5000")).json()
    payee = report["payees"][0]
    assert report["high_loss"] is False and report["counter_remittance"] is False
    # The account is at 黄岩农商银行: 台州银行's systems do not see it.
    assert live.tzb.post(f"{URL}/fraud-payees/{payee['id']}/answer", json={"result": "stopped"}).status_code == 404
    assert officer.post(f"{URL}/fraud-payees/{payee['id']}/freeze", json={"approver": "所长"}).status_code == 409
    answered = live.hyrcb.post(f"{URL}/fraud-payees/{payee['id']}/answer", json={"result": "stopped"})
    assert answered.status_code == 200 and answered.json()["status"] == "stopped"
    assert live.hyrcb.post(f"{URL}/fraud-payees/{payee['id']}/answer", json={"result": "stopped"}).status_code == 409
    frozen = officer.post(f"{URL}/fraud-payees/{payee['id']}/freeze", json={"approver": "所长"}).json()
    assert frozen["status"] == "frozen" and frozen["frozen_until"]
    kinds = {(d["kind"], d["status"]) for d in frozen["deadlines"]}
    assert kinds == {("cases.payee.stopped", "met"), ("cases.payee.frozen", "running")}
    renewed = officer.post(f"{URL}/fraud-payees/{payee['id']}/freeze", json={"approver": "所长"}).json()
    assert renewed["freeze_renewals"] == 1 and renewed["frozen_until"] > frozen["frozen_until"]
    other = live.as_user("duty2")
    assert other.post(f"{URL}/fraud-payees/{payee['id']}/renew").status_code == 404
    assert other.get(f"{URL}/fraud-reports/{report['id']}").status_code == 404


def test_bad_fraud_reports_are_422(live):
    officer = live.as_user("duty1")
    negative = officer.post(f"{URL}/fraud-reports", json=fraud_body(loss="-1"))
    assert negative.status_code == 422 and negative.json()["error"]["details"][0]["field"] == "loss"
    bank = officer.post(f"{URL}/fraud-reports", json=fraud_body(payees=[{"account_no": MULE_ACCOUNT,
                                                                         "bank_code": "NOBANK"}]))
    assert bank.status_code == 422 and bank.json()["error"]["details"][0]["field"] == "payees[0].bank_code"
    victim = fraud_body()
    victim["victim"]["id_number"] = VICTIM[:-1] + ("0" if VICTIM[-1] != "0" else "1")
    assert officer.post(f"{URL}/fraud-reports", json=victim).status_code == 422


def test_a_fraud_confirmed_at_an_alert_is_opened_here_once(db, cs):
    fields = dict(alert_id=4242, station_id=cs.duty.unit_id, victim_id_number=VICTIM, victim_name="王阿婆",
                  occurred_at=clock.now(), amount=Decimal("180000.00"), protected=Decimal("180000.00"),
                  payee_account=MULE_ACCOUNT, phone=FRAUD_PHONE, typology="investment", note=None, actor=cs.duty)
    first = handover.hand_over(db, handover.FRAUD_CASE, **fields)
    assert handover.hand_over(db, handover.FRAUD_CASE, **fields) is first
    assert first.loss == 0 and first.high_loss is False and first.payees[0].status == "listed"
    assert first.case.number.startswith("331003-01-") and first.case.persons[0].kind == "victim"
    assert db.scalar(select(func.count()).select_from(FraudReport).where(FraudReport.alert_id == 4242)) == 1
