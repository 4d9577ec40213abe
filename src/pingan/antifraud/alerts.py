"""Alerts: every hold opens one, routed to the station whose area covers the bank branch."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pingan.antifraud.models import Alert, AlertStatus
from pingan.core.identity import mask_account, mask_id_number, mask_name
from pingan.platform.notify import service as notify

TYPOLOGY_LABELS = {
    "brushing_rebate": "刷单返利", "investment": "虚假投资理财", "loan": "虚假网络贷款",
    "fake_customer_service": "冒充电商物流客服", "impersonating_authorities": "冒充公检法",
    "impersonating_acquaintance": "冒充领导熟人", "romance": "网络婚恋交友", "game_trading": "网络游戏虚假交易",
    "other": "其他",
}


def open_alert(db: Session, *, pending) -> Alert:
    """Create the alert for a held screening and announce it to the station (outbox, same transaction)."""
    req, decision, branch = pending.request, pending.decision, pending.branch
    alert = Alert(screening_id=pending.screening_id, station_id=branch.station_id, bank_id=branch.bank_id,
                  branch_id=branch.branch_id, status=AlertStatus.NEW, created_at=pending.received_at)
    db.add(alert)
    db.flush()
    label = TYPOLOGY_LABELS.get(decision.typology or "", "可疑交易")
    notify.publish(
        db, topic="antifraud.alert.created", unit_id=branch.station_id, bank_id=branch.bank_id,
        title=f"止付预警：{label} ¥{req.amount:,.2f}",
        body=f"{mask_name(req.customer.name)} {mask_id_number(req.customer.id_number)} → "
             f"{mask_account(req.payee.account_no)}",
        link=f"/antifraud/alerts/{alert.id}",
        payload={"alert_id": alert.id, "screening_id": pending.screening_id, "amount": str(req.amount),
                 "typology": decision.typology, "score": decision.score, "channel": req.channel,
                 "branch_code": req.branch_code},
    )
    return alert
