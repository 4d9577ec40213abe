"""Alerts: every hold opens one, routed to the station whose area covers the bank branch."""

from __future__ import annotations

import orjson
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


def open_alert(db: Session, *, row: dict) -> Alert:
    """Create the alert for a held screening (a screening row) and announce it to the station, in the same
    transaction (outbox)."""
    alert = Alert(screening_id=row["id"], station_id=row["station_id"], bank_id=row["bank_id"],
                  branch_id=row["branch_id"], status=AlertStatus.NEW, created_at=row["received_at"])
    db.add(alert)
    db.flush()
    request = orjson.loads(row["request"])
    customer, payee = request["customer"], request["payee"]
    label = TYPOLOGY_LABELS.get(row["typology"] or "", "可疑交易")
    notify.publish(
        db, topic="antifraud.alert.created", unit_id=row["station_id"], bank_id=row["bank_id"],
        title=f"止付预警：{label} ¥{row['amount']:,.2f}",
        body=f"{mask_name(customer['name'])} {mask_id_number(customer['id_number'])} → "
             f"{mask_account(payee['account_no'])}",
        link=f"/antifraud/alerts/{alert.id}",
        payload={"alert_id": alert.id, "screening_id": row["id"], "amount": str(row["amount"]),
                 "typology": row["typology"], "score": row["score"], "channel": row["channel"],
                 "branch_code": request["branch_code"]},
    )
    return alert
