"""Fraud-report steps: take a victim's report (it opens a telecom-fraud case with the victim on it), ask each
payee account's bank for an emergency stop-payment (48 hours, renewable once), record the bank's answer, then
freeze (6 months, renewable); list the accounts and phones on 警银通's intel list at once (so the next transfer
to them from any bank is held), and mark the victim's screenings that were let through as missed fraud."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from pingan.antifraud.intel import service as intel
from pingan.cases import clocks
from pingan.cases import repository as repo
from pingan.cases.case import service as case_service
from pingan.cases.models import CaseCategory, CaseKind, ContactMethod, FraudPayee, FraudReport, PayeeStatus, PersonKind
from pingan.cases.schemas import CaseIn, FraudReportIn, FreezeIn, PayeeAnswerIn, PersonIn
from pingan.cases.settings import get_cases_settings
from pingan.cases.vocabulary import Action, Topic
from pingan.core import clock
from pingan.core.errors import Conflict, NotFound
from pingan.platform import handover
from pingan.platform.audit import service as audit
from pingan.platform.notify import service as notify
from pingan.platform.org import service as org_service
from pingan.platform.org.models import OrgUnit
from pingan.platform.users.models import User


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def report(db: Session, *, data: FraudReportIn, actor: User, alert_id: int | None = None) -> FraudReport:
    """The victim's report, in one transaction: the case, the victim, the payees' stop-payment requests and
    clocks, the intel listings and the missed-fraud labels."""
    unit = case_service.station(db, actor, data.station_code)
    banks = {}
    for i, payee in enumerate(data.payees):
        try:
            banks[payee.bank_code] = org_service.get_bank(db, payee.bank_code)
        except NotFound:
            raise case_service.invalid(f"payees[{i}].bank_code", "bank.unknown",
                                       "没有这家银行 / no such bank") from None
    victim = data.victim
    case = case_service.register(db, actor=actor, data=CaseIn(
        kind=CaseKind.CRIMINAL, category=CaseCategory.TELECOM_FRAUD, title=f"{victim.name}被电信网络诈骗案",
        summary=data.summary or f"受害人{victim.name}被骗{data.loss}元", occurred_at=data.occurred_at,
        station_code=unit.code))
    case_service.add_person(db, case=case, actor=actor, data=PersonIn(
        kind=PersonKind.VICTIM, name=victim.name, id_number=victim.id_number, phone=victim.phone, loss=data.loss))
    settings = get_cases_settings()
    now = clock.now()
    found = FraudReport(case_id=case.id, station_id=unit.id, victim_name=victim.name,
                        victim_id_number=victim.id_number, victim_phone=victim.phone, loss=data.loss,
                        contact_method=data.contact_method, typology=data.typology, occurred_at=data.occurred_at,
                        reported_at=now, high_loss=data.loss >= settings.high_loss_yuan, alert_id=alert_id,
                        phones=list(dict.fromkeys(data.phones)), missed_screenings=[])
    db.add(found)
    for p in data.payees:
        found.payees.append(FraudPayee(account_no=p.account_no, bank_id=banks[p.bank_code].id, name=p.name,
                                       status=PayeeStatus.STOP_REQUESTED, stop_requests=1,
                                       stop_until=now + dt.timedelta(hours=settings.stop_payment_hours)))
    db.flush()
    for payee in found.payees:
        clocks.start_stop_payment(db, payee, case)
        _ask_bank(db, payee, case.number)
    _list_intel(db, found, case.number, actor)
    missed = intel.record_missed_fraud(db, id_number=victim.id_number, typology=data.typology, case_ref=case.number,
                                       since=data.occurred_at - dt.timedelta(days=settings.missed_fraud_days),
                                       until=now, actor=actor)
    found.missed_screenings, found.counter_remittance = missed, bool(missed)
    case_service.event(db, case, "fraud", actor, f"损失 {data.loss} 元，涉案账户 {len(found.payees)} 个",
                       {"high_loss": found.high_loss, "missed_screenings": missed})
    if found.high_loss:
        notify.publish(db, topic=Topic.FRAUD_HIGH_LOSS, unit_id=unit.id, link=clocks.case_link(case),
                       title=f"高损电诈案件：{case.number} 损失 {data.loss} 元", payload={"case_id": case.id})
    audit.record(db, actor=actor, action=Action.FRAUD_REPORTED, entity=found, unit_id=unit.id,
                 data={"case": case.number, "loss": str(data.loss), "payees": len(found.payees),
                       "phones": len(found.phones), "high_loss": found.high_loss, "missed": len(missed)})
    return found


@handover.takes(handover.FRAUD_CASE)
def open_from_alert(db: Session, *, alert_id: int, station_id: int, victim_id_number: str, victim_name: str,
                    occurred_at: dt.datetime, amount: Decimal, protected: Decimal | None, payee_account: str,
                    phone: str | None, typology: str | None, note: str | None, actor: User) -> FraudReport:
    """A fraud 警银通 confirmed at an alert: the telecom-fraud case with the customer as victim (the loss is
    what the hold did not keep), the payee account as listed (antifraud has put it and the phone on the intel
    list; no stop-payment: the held money never left). Once per alert."""
    existing = repo.report_of_alert(db, alert_id)
    if existing is not None:
        return existing
    unit = db.get(OrgUnit, station_id)
    name = victim_name.strip()[:64] or "（未登记姓名）"
    loss = max(amount - (protected or Decimal("0")), Decimal("0"))
    case = case_service.register(db, actor=actor, data=CaseIn(
        kind=CaseKind.CRIMINAL, category=CaseCategory.TELECOM_FRAUD,
        title=f"{name}被电信网络诈骗案（预警 #{alert_id}）",
        summary=note or f"警银通预警 #{alert_id} 核实诈骗，转账 {amount} 元，拦截 {protected or 0} 元",
        occurred_at=min(occurred_at, clock.now()), station_code=unit.code))
    case_service.add_person(db, case=case, actor=actor, data=PersonIn(
        kind=PersonKind.VICTIM, name=name, id_number=victim_id_number, loss=loss))
    found = FraudReport(case_id=case.id, station_id=unit.id, victim_name=name, victim_id_number=victim_id_number,
                        loss=loss, contact_method=ContactMethod.OTHER, typology=typology, occurred_at=case.occurred_at,
                        reported_at=clock.now(), high_loss=loss >= get_cases_settings().high_loss_yuan,
                        alert_id=alert_id, phones=[phone] if phone else [], missed_screenings=[])
    found.payees.append(FraudPayee(account_no=payee_account, status=PayeeStatus.LISTED, stop_requests=0))
    db.add(found)
    db.flush()
    case_service.event(db, case, "fraud", actor, f"警银通预警 #{alert_id} 核实诈骗", {"alert_id": alert_id})
    audit.record(db, actor=actor, action=Action.FRAUD_REPORTED, entity=found, unit_id=unit.id,
                 data={"case": case.number, "alert_id": alert_id, "loss": str(loss)})
    return found


def _list_intel(db: Session, found: FraudReport, case_ref: str, actor: User) -> None:
    today = clock.today_local()
    source = f"电诈报案 {case_ref}"
    rows = [{"kind": "account", "value": p.account_no, "typology": found.typology, "source": source,
             "listed_on": today} for p in found.payees]
    rows += [{"kind": "phone", "value": phone, "typology": found.typology, "source": source, "listed_on": today}
             for phone in found.phones]
    if rows:
        intel.list_entries(db, intel.check_rows(rows), actor=actor)


def _ask_bank(db: Session, payee: FraudPayee, case_ref: str) -> None:
    """The request goes to the bank's systems (webhook / feed of the bank) with the clock's end."""
    notify.publish(db, topic=Topic.STOP_PAYMENT_REQUESTED, bank_id=payee.bank_id,
                   title=f"紧急止付：{case_ref} 账户 {payee.account_no}",
                   body=f"请于 {clock.format_local(payee.stop_until)} 前反馈",
                   payload={"payee_id": payee.id, "account_no": payee.account_no, "case": case_ref,
                            "request": payee.stop_requests, "until": payee.stop_until.isoformat()})


def answer(db: Session, *, payee: FraudPayee, data: PayeeAnswerIn, actor: User) -> FraudPayee:
    """The bank's answer to the stop-payment request (its systems, through the API)."""
    if payee.status is not PayeeStatus.STOP_REQUESTED:
        raise Conflict("payee.answered", "该止付请求已反馈 / the request has been answered")
    payee.status = PayeeStatus.STOPPED if data.result == "stopped" else PayeeStatus.REFUSED
    payee.bank_answer, payee.bank_note, payee.answered_at = data.result, data.note or None, clock.now()
    if payee.status is PayeeStatus.REFUSED:
        clocks.stop_payee(db, payee, met=False)
    case = payee.report.case
    case_service.event(db, case, "fraud", actor, f"银行反馈账户 {payee.account_no[-4:]}：{data.result}",
                       {"payee_id": payee.id})
    audit.record(db, actor=actor, action=Action.PAYEE_ANSWERED, entity=payee, unit_id=case.station_id,
                 data={"result": data.result})
    return payee


def renew_stop(db: Session, *, payee: FraudPayee, actor: User) -> FraudPayee:
    """A second 48 hours (银发〔2016〕86号: at most twice per account)."""
    settings = get_cases_settings()
    if payee.stop_requests > settings.stop_payment_renewals:
        raise Conflict("payee.renewed", "紧急止付最多续止一次 / a stop-payment is renewed at most once")
    if payee.status not in (PayeeStatus.STOP_REQUESTED, PayeeStatus.STOPPED, PayeeStatus.LAPSED):
        raise Conflict("payee.not_stopped", "该账户不在止付中 / the account is not under stop-payment")
    case = payee.report.case
    payee.stop_requests += 1
    payee.status = PayeeStatus.STOP_REQUESTED
    payee.stop_until = clock.now() + dt.timedelta(hours=settings.stop_payment_hours)
    clocks.start_stop_payment(db, payee, case)
    _ask_bank(db, payee, case.number)
    audit.record(db, actor=actor, action=Action.PAYEE_RENEWED, entity=payee, unit_id=case.station_id,
                 data={"request": payee.stop_requests})
    return payee


def freeze(db: Session, *, payee: FraudPayee, data: FreezeIn, actor: User) -> FraudPayee:
    """Freeze the stopped account for 6 months; a frozen one is renewed for another 6 from its end."""
    if payee.status not in (PayeeStatus.STOPPED, PayeeStatus.FROZEN):
        raise Conflict("payee.not_stopped", "须先止付成功才能冻结 / only a stopped account is frozen")
    months = get_cases_settings().freeze_months
    if payee.status is PayeeStatus.FROZEN:
        payee.freeze_renewals += 1
        payee.frozen_until = _add_months(payee.frozen_until, months)
    else:
        payee.status, payee.frozen_until = PayeeStatus.FROZEN, _add_months(clock.today_local(), months)
    case = payee.report.case
    clocks.start_freeze(db, payee, case, payee.frozen_until)
    case_service.event(db, case, "fraud", actor, f"冻结账户 {payee.account_no[-4:]} 至 {payee.frozen_until}",
                       {"payee_id": payee.id, "approver": data.approver})
    audit.record(db, actor=actor, action=Action.PAYEE_FROZEN, entity=payee, unit_id=case.station_id,
                 data={"until": payee.frozen_until.isoformat(), "renewals": payee.freeze_renewals,
                       "approver": data.approver})
    return payee

