"""The 警银通 pages over real HTTP with the engine booted: the teller's counter, screening records (scoped,
masked, audited), intel lists and rule settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pingan.antifraud.engine.contract import CHANNELS, SIGNALS
from pingan.antifraud.engine.rules import DEFAULT_THRESHOLDS, RULES, THRESHOLD_LABELS
from pingan.antifraud.engine.typology import QUESTIONS
from pingan.antifraud.models import Alert, Decision, IntelEntry, IntelKind, IntelStatus, RuleSetVersion, Screening
from pingan.antifraud.vocabulary import (
    CHANNEL_LABELS,
    DECISION_LABELS,
    INTEL_KIND_LABELS,
    SIGNAL_LABELS,
    STATUS_LABELS,
    TYPOLOGY_LABELS,
)
from pingan.core.db import unit_of_work
from pingan.platform.audit.models import AuditEvent
from pingan.web.templating import LANG_COOKIE, english
from tests.antifraud.engine.factories import ELDERLY_WOMAN, body
from tests.antifraud.factories import COUNTER, ORDINARY, request_id_of, screen, screening_id

TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "pingan" / "templates" / "antifraud"

RISKY = {
    "customer.name": "王阿婆", "customer.id_number": ELDERLY_WOMAN, "customer.account_no": "6222020000000011",
    "customer.balance": "200,000", "amount": "180000", "payee.account_no": "6217000000009999",
    "payee.region_code": "510104", "purpose": "公安局说我的账户涉嫌洗钱，要转到安全账户资金审查",
    "signals": ["on_phone", "caller_instructing", "fixed_deposit_early_withdrawal"],
}
BAD_CHECK_DIGIT = ELDERLY_WOMAN[:-1] + ("0" if ELDERLY_WOMAN[-1] != "0" else "1")


def _count(model, *where) -> int:
    with unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model).where(*where))


def test_risky_counter_remittance_is_held_with_questions_and_alert(live):
    teller = live.as_user("teller1")
    page = screen(teller, RISKY)
    assert page.status_code == 200, page.text
    assert 'data-decision="hold"' in page.text and "止付" in page.text
    assert "已止付，已通知辖区派出所" in page.text
    assert "冒充公检法" in page.text and "关怀提问" in page.text
    assert QUESTIONS["impersonating_authorities"][0] in page.text
    assert "老年客户在柜面提前支取定期存款并大额转账" in page.text
    assert ELDERLY_WOMAN not in page.text  # the answer and the recent list mask the ID number
    with unit_of_work() as db:
        screening = db.scalar(select(Screening))
        assert screening.decision.value == "hold" and screening.channel == "counter"
        assert screening.branch.code == "TZB-01" and screening.submitted_by_id is not None
        assert f"#{screening.alert.id}" in page.text
        assert screening.occurred_at.utcoffset().total_seconds() == 0  # stored in UTC, sent with +08:00
        assert '"occurred_at":"' in screening.request and "+08:00" in screening.request


def test_ordinary_remittance_is_allowed_and_listed_for_the_branch(live):
    teller = live.as_user("teller1")
    page = screen(teller, ORDINARY, htmx=True)
    assert page.status_code == 200
    assert "<html" not in page.text and 'id="counter-work"' in page.text  # a fragment for htmx
    assert 'data-decision="allow"' in page.text and "未发现明显风险" in page.text
    assert 'id="recent" aria-labelledby="recent-title" hx-swap-oob="true"' in page.text
    assert "331003********071X" in page.text  # the new screening is already in the recent list, masked
    assert _count(Alert) == 0 and _count(Screening) == 1


def test_invalid_id_number_is_shown_beside_the_field_and_nothing_is_stored(live):
    teller = live.as_user("teller1")
    page = screen(teller, {**RISKY, "customer.id_number": BAD_CHECK_DIGIT, "amount": "10.123"})
    assert page.status_code == 422
    assert re.search(r'data-error-for="customer.id_number">身份证号码校验位错误<', page.text)
    assert re.search(r'data-error-for="amount">最多保留两位小数（到分）<', page.text)
    assert f'value="{BAD_CHECK_DIGIT}"' in page.text  # what was typed stays for correction
    fragment = screen(teller, {**RISKY, "customer.name": "", "customer.id_number": BAD_CHECK_DIGIT}, htmx=True)
    assert fragment.status_code == 200  # htmx swaps 2xx only; the errors are in the fragment
    assert 'data-error-for="customer.name">此项必填<' in fragment.text
    assert _count(Screening) == 0 and _count(Alert) == 0


def test_a_form_sent_twice_is_one_screening(live):
    teller = live.as_user("teller1")
    request_id = request_id_of(teller)
    first = screen(teller, RISKY, request_id=request_id)
    again = screen(teller, RISKY, request_id=request_id)  # a double click
    edited = screen(teller, {**RISKY, "amount": "170000"}, request_id=request_id)  # back button, then changed
    assert again.status_code == 200 and edited.status_code == 200 and "此表单已提交过" in edited.text
    assert screening_id(first.text) == screening_id(again.text) == screening_id(edited.text)
    assert _count(Screening) == 1 and _count(Alert) == 1


def test_tellers_see_only_their_own_branch(live):
    sid = screening_id(screen(live.as_user("teller1"), RISKY).text)
    other = live.as_user("teller2")  # TZB-02
    assert sid not in other.get("/antifraud/screenings").text
    assert sid not in other.get(COUNTER).text
    assert other.get(f"/antifraud/screenings/{sid}").status_code == 404
    own = live.as_user("teller1")
    assert sid in own.get("/antifraud/screenings").text
    assert own.get(f"/antifraud/screenings/{sid}").status_code == 200


def test_duty_officer_of_another_station_gets_404(live):
    sid = screening_id(screen(live.as_user("teller1"), RISKY).text)  # TZB-01 lies in 331003-01
    assert live.as_user("duty2").get(f"/antifraud/screenings/{sid}").status_code == 404
    assert live.as_user("duty2").post(f"/antifraud/screenings/{sid}/reveal").status_code == 404
    assert live.as_user("duty1").get(f"/antifraud/screenings/{sid}").status_code == 200


def test_list_masks_detail_is_audited_and_reveal_is_audited(live):
    live.tzb.post("/api/v1/antifraud/screenings", json=body(request_id="p-1", customer={"id_number": ELDERLY_WOMAN}))
    analyst = live.as_user("analyst")
    listing = analyst.get("/antifraud/screenings", params={"decision": "", "since": "", "min_score": "0"})
    assert listing.status_code == 200 and "331003********0326" in listing.text
    assert ELDERLY_WOMAN not in listing.text and "13800138000" not in listing.text
    sid = screening_id(listing.text)
    detail = analyst.get(f"/antifraud/screenings/{sid}")
    assert detail.status_code == 200 and ELDERLY_WOMAN not in detail.text
    assert "amount_yuan" in detail.text and "显示完整信息" in detail.text  # features table, reveal button
    assert _count(AuditEvent, AuditEvent.action == "antifraud.screening.viewed", AuditEvent.entity_id == sid) == 1
    assert _count(AuditEvent, AuditEvent.action == "antifraud.screening.revealed") == 0
    revealed = analyst.post(f"/antifraud/screenings/{sid}/reveal", headers={"HX-Request": "true"})
    assert revealed.status_code == 200 and ELDERLY_WOMAN in revealed.text and "13800138000" in revealed.text
    with unit_of_work() as db:
        event = db.scalar(select(AuditEvent).where(AuditEvent.action == "antifraud.screening.revealed"))
        assert event.entity_type == "antifraud_screening" and event.entity_id == sid
        assert event.actor_name and event.unit_id is not None
    assert ELDERLY_WOMAN not in analyst.get("/antifraud/screenings").text  # revealing does not unmask the list


def test_list_filters(live):
    teller = live.as_user("teller1")
    screen(teller, RISKY)
    screen(teller, ORDINARY)
    analyst = live.as_user("analyst")
    held = analyst.get("/antifraud/screenings", params={"decision": "hold"}).text
    assert held.count('data-decision="hold"') >= 1 and 'data-decision="allow"' not in held
    assert 'data-decision="hold"' not in analyst.get("/antifraud/screenings", params={"branch": "TZB-02"}).text
    high = analyst.get("/antifraud/screenings", params={"min_score": "700"}).text
    assert 'data-decision="allow"' not in high and 'data-decision="hold"' in high
    assert "共 0 条" in analyst.get("/antifraud/screenings", params={"since": "2000-01-01", "until": "2000-01-02"}).text
    assert analyst.get("/antifraud/screenings", params={"min_score": "2000"}).status_code == 422


GOOD_CSV = ("kind,value,typology,source,listed_on\n"
            "account,6217000000009999,impersonating_authorities,反诈中心研判,2025-03-01\n"
            "phone,13912345678,,公安部下发,2025-03-02\n")
BAD_CSV = ("kind,value,typology,source,listed_on\n"
           "account,6217000000008888,,反诈中心,2025-03-01\n"
           "phone,12345,,反诈中心,2025-03-01\n"
           "account,6217000000007777,lottery,反诈中心,2025-03-01\n")


def test_intel_csv_upload_all_or_nothing_and_effective_at_once(live):
    analyst = live.as_user("analyst")
    bad = analyst.post("/antifraud/intel/upload", files={"file": ("bad.csv", BAD_CSV.encode(), "text/csv")})
    assert bad.status_code == 422 and "未导入任何数据" in bad.text
    assert "line 3.value" in bad.text and "line 4.typology" in bad.text
    assert "手机号码格式错误" in bad.text  # the fault itself, not just "invalid value"
    assert _count(IntelEntry) == 0
    good = analyst.post("/antifraud/intel/upload", files={"file": ("good.csv", GOOD_CSV.encode("gb18030"), "text/csv")},
                        follow_redirects=False)
    assert good.status_code == 303, good.text
    page = analyst.get(good.headers["location"])
    assert "新增 2 条" in page.text and "反诈中心研判" in page.text
    assert "6217000000009999" not in page.text and "6217****9999" in page.text
    assert _count(IntelEntry) == 2
    # A listed payee account holds the next remittance to it, whatever else the request looks like.
    answer = live.tzb.post("/api/v1/antifraud/screenings", json=body(request_id="after-intel",
                                                                      payee={"account_no": "6217000000009999"}))
    assert answer.json()["decision"] == "hold"
    empty = analyst.post("/antifraud/intel/upload", files={"file": ("e.csv", b"", "text/csv")})
    assert empty.status_code == 422 and "请选择要导入的 CSV 文件" in empty.text


def test_intel_add_delist_and_who_may_edit(live):
    analyst = live.as_user("analyst")
    refused = analyst.post("/antifraud/intel", data={"kind": "phone", "value": "123", "source": "研判",
                                                     "listed_on": "2025-03-01"})
    assert refused.status_code == 422 and 'data-error-for="value"' in refused.text
    added = analyst.post("/antifraud/intel", follow_redirects=False, data={
        "kind": "account", "value": "6217 0000 0000 5555", "typology": "investment", "source": "研判",
        "listed_on": "2025-03-01"})
    assert added.status_code == 303
    with unit_of_work() as db:
        entry = db.scalar(select(IntelEntry))
        assert entry.value == "6217000000005555" and entry.status is IntelStatus.ACTIVE
    assert analyst.post(f"/antifraud/intel/{entry.id}/delist", data={"reason": " "}).status_code == 422
    done = analyst.post(f"/antifraud/intel/{entry.id}/delist", data={"reason": "误列，经核实为正常账户"},
                        follow_redirects=False)
    assert done.status_code == 303
    removed = analyst.get(done.headers["location"]).text
    assert "已移除该条目" in removed and "误列，经核实为正常账户" in removed
    duty = live.as_user("duty1")
    assert duty.get("/antifraud/intel").status_code == 200 and "列入名单" not in duty.get("/antifraud/intel").text
    upload = {"file": ("g.csv", GOOD_CSV.encode(), "text/csv")}
    assert duty.post("/antifraud/intel/upload", files=upload).status_code == 403
    assert live.as_user("teller1").get("/antifraud/intel").status_code == 403


def _rules_form(**changes) -> dict:
    form = {f"threshold.{name}": str(value) for name, value in DEFAULT_THRESHOLDS.items()}
    form |= {f"enabled.{r.code}": "on" for r in RULES}
    form |= {"warn_threshold": "300", "hold_threshold": "700", "note": ""}
    for key, value in changes.items():
        if value is None:
            form.pop(key)
        else:
            form[key] = value
    return form


def test_rules_save_validate_and_restore(live):
    analyst = live.as_user("analyst")
    page = analyst.get("/antifraud/rules")
    assert page.status_code == 200 and "老年客户年龄（岁）" in page.text and "恢复此版本" not in page.text
    bad = analyst.post("/antifraud/rules", data=_rules_form(**{"threshold.elderly_age": "sixty"}))
    assert bad.status_code == 422 and "请输入数字" in bad.text and 'value="sixty"' in bad.text
    inverted = analyst.post("/antifraud/rules", data=_rules_form(warn_threshold="800", hold_threshold="700"))
    assert inverted.status_code == 422 and "提醒阈值 ≤ 止付阈值" in inverted.text
    assert _count(RuleSetVersion) == 0
    first = analyst.post("/antifraud/rules", data=_rules_form(note="初始"), follow_redirects=False)
    assert first.status_code == 303 and "已保存为新版本 r1" in analyst.get(first.headers["location"]).text
    second = analyst.post("/antifraud/rules", data=_rules_form(**{"threshold.elderly_age": "55",
                                                                  "enabled.signal.keeps_secret": None},
                                                               note="老年客户年龄下调"), follow_redirects=False)
    assert second.status_code == 303
    with unit_of_work() as db:
        r1, r2 = db.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id)).all()
        assert r2.is_active and r2.thresholds["elderly_age"] == 55 and r2.enabled["signal.keeps_secret"] is False
    history = analyst.get("/antifraud/rules").text
    assert "1 项参数与默认不同" in history and "关闭 1 条规则" in history and "恢复此版本" in history
    restored = analyst.post(f"/antifraud/rules/versions/{r1.id}/activate", follow_redirects=False)
    assert restored.status_code == 303 and "已恢复版本 r1" in analyst.get(restored.headers["location"]).text
    with unit_of_work() as db:
        assert db.scalar(select(RuleSetVersion).where(RuleSetVersion.is_active.is_(True))).version == "r1"
    duty = live.as_user("duty1")
    assert duty.get("/antifraud/rules").status_code == 200 and "保存为新版本" not in duty.get("/antifraud/rules").text
    assert duty.post("/antifraud/rules", data=_rules_form()).status_code == 403


def test_form_post_without_csrf_token_is_403(live):
    teller = live.as_user("teller1")
    request_id = request_id_of(teller)
    del teller.headers["X-CSRF-Token"]
    refused = teller.post(COUNTER, data={"request_id": request_id, **RISKY})
    assert refused.status_code == 403
    assert "页面已过期或来源不明" in refused.text
    analyst = live.as_user("analyst")
    del analyst.headers["X-CSRF-Token"]
    assert analyst.post("/antifraud/rules", data=_rules_form()).status_code == 403
    upload = {"file": ("g.csv", GOOD_CSV.encode(), "text/csv")}
    assert analyst.post("/antifraud/intel/upload", files=upload).status_code == 403
    assert _count(Screening) == 0 and _count(RuleSetVersion) == 0 and _count(IntelEntry) == 0
    # With the form's own token field (no header) the same post goes through.
    token = teller.cookies.get("pingan_csrf")
    assert teller.post(COUNTER, data={"csrf_token": token, "request_id": request_id, **RISKY}).status_code == 200


@pytest.mark.parametrize(("username", "sees", "hidden"), [
    ("teller1", ["柜面筛查", "筛查记录"], ["情报名单", "规则设置"]),
    ("duty1", ["筛查记录", "情报名单", "规则设置"], ["柜面筛查"]),
    ("analyst", ["筛查记录", "情报名单", "规则设置"], ["柜面筛查"]),
])
def test_navigation_by_role(live, username, sees, hidden):
    nav = re.search(r'<nav class="mainnav".*?</nav>', live.as_user(username).get("/").text, re.S).group(0)
    assert all(label in nav for label in sees) and not any(label in nav for label in hidden)
    assert live.as_user("duty1").get(COUNTER).status_code == 403


def test_every_chinese_string_of_the_pages_has_an_english_entry(live):
    call = re.compile(r"""_\(\s*(["'])(.+?)\1""")
    texts = [f.read_text(encoding="utf-8") for f in TEMPLATES.glob("*.html")]
    found = {m.group(2) for text in texts for m in call.finditer(text)}
    # Labels, hints and placeholders handed to the input macro are translated inside it.
    found |= {a for text in texts for args in re.findall(r"m\.input\(([^)]*)\)", text)
              for a in re.findall(r'"([^"]+)"', args)}
    found = {s for s in found if re.search(r"[\u4e00-\u9fff]", s)}
    labels = {v[0] for v in (*DECISION_LABELS.values(), *STATUS_LABELS.values())} | set(SIGNAL_LABELS.values())
    labels |= set(CHANNEL_LABELS.values()) | set(INTEL_KIND_LABELS.values()) | set(TYPOLOGY_LABELS.values())
    labels |= {r.message for r in RULES} | set(THRESHOLD_LABELS.values())
    catalogue = english()
    missing = sorted(s for s in found | labels if s not in catalogue and s != "ATM")
    assert len(found) > 100 and not missing, missing
    teller = live.as_user("teller1")
    teller.cookies.set(LANG_COOKIE, "en")
    page = screen(teller, RISKY)
    assert "Hold" in page.text and "Caring questions" in page.text and "Impersonating the police" in page.text


def _alert_of(screening_id: str) -> int:
    with unit_of_work() as db:
        return db.scalar(select(Alert.id).where(Alert.screening_id == screening_id))


def test_a_tellers_feed_and_card_follow_their_own_branchs_hold_only(live):
    teller = live.as_user("teller1")  # TZB-01
    alert_id = _alert_of(screening_id(screen(teller, RISKY).text))
    duty = live.as_user("duty1")
    assert duty.post(f"/antifraud/alerts/{alert_id}/acknowledge", follow_redirects=False).status_code == 303
    own = [e for e in teller.get("/api/v1/events").json() if e.get("alert_id") == alert_id]
    assert [e["topic"] for e in own] == ["antifraud.alert.created", "antifraud.alert.updated"]
    # Another branch of the same bank hears nothing of it (the bank's events reach the bank's tellers).
    colleague = live.as_user("teller2")  # TZB-02
    assert not [e for e in colleague.get("/api/v1/events").json() if e.get("alert_id") == alert_id]
    card = teller.get(f"/antifraud/alerts/{alert_id}/progress").text
    assert 'data-alert-progress="acknowledged"' in card and "派出所已签收，即将出警" in card
    assert re.search(r'data-step="acknowledged" class="done"', card)
    assert re.search(r'data-step="arrived" class="todo"', card)


def test_a_read_only_user_sees_the_rules_as_text_without_a_form(live):
    page = live.as_user("duty1").get("/antifraud/rules").text
    main = page[page.index('<main'):]
    assert "只读" in main and "data-readonly" in main
    assert "<form" not in main.split("版本历史")[0] and "<input" not in main
    editable = live.as_user("analyst").get("/antifraud/rules").text
    assert 'name="warn_threshold"' in editable and "data-readonly" not in editable


def test_every_closed_set_of_the_contract_and_the_tables_has_its_labels_and_no_other():
    assert set(CHANNEL_LABELS) == set(CHANNELS) and set(SIGNAL_LABELS) == set(SIGNALS)
    assert set(DECISION_LABELS) == set(Decision) and set(INTEL_KIND_LABELS) == set(IntelKind)
