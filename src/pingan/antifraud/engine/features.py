"""The feature vector of a screening, computed from the request and the state before it — the one
function both the live service and offline training replays use, so the two always agree."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from hashlib import blake2b
from typing import NamedTuple

from pingan.antifraud.engine.contract import CHANNELS, SIGNALS, ScreeningRequest
from pingan.antifraud.engine.state import DAY, Snapshot, Transfer, stable_key
from pingan.core.clock import LOCAL_TZ

# Words customers say or type, by the scam they point to; "cover_story" holds the reasons victims are
# coached to give, which are worth a feature of their own.
PURPOSE_WORDS: dict[str, tuple[str, ...]] = {
    "brushing": ("刷单", "返利", "佣金", "做任务", "点赞", "垫付", "兼职"),
    "investment": (
        "投资",
        "理财",
        "收益",
        "炒股",
        "股票",
        "荐股",
        "数字货币",
        "虚拟币",
        "比特币",
        "USDT",
        "期货",
        "外汇",
    ),
    "loan": ("贷款", "放款", "解冻", "验证金", "流水", "保证金", "征信", "额度"),
    "customer_service": ("客服", "退款", "理赔", "快递", "物流", "注销", "会员", "百万保障", "退货"),
    "authorities": (
        "公安",
        "警察",
        "检察院",
        "法院",
        "公检法",
        "安全账户",
        "洗钱",
        "通缉",
        "资金审查",
        "清查",
        "涉案",
    ),
    "acquaintance": ("领导", "老板", "同学", "亲戚", "朋友借", "老师"),
    "romance": ("男朋友", "女朋友", "男友", "女友", "网恋", "婚恋", "交友", "相亲"),
    "game": ("游戏", "装备", "账号", "点卡", "皮肤", "代练"),
    "cover_story": (
        "装修",
        "买房",
        "购房",
        "还款",
        "给家人",
        "家用",
        "生活费",
        "学费",
        "医药费",
        "看病",
        "买车",
    ),
}
_PURPOSE_PATTERNS = tuple(
    re.compile("|".join(map(re.escape, words)), re.IGNORECASE) for words in PURPOSE_WORDS.values()
)
# Words in a payee's name that make it an organisation's account (a company, hospital, school, shop,
# utility, property manager, hotel, public body) rather than a person's.
ORGANISATION_WORDS = (
    "公司", "集团", "有限", "医院", "卫生院", "卫生服务", "诊所", "学校", "小学", "中学", "幼儿园", "学院", "大学",
    "超市", "商场", "市场", "联华", "物业", "水务", "供水", "自来水", "燃气", "天然气", "供电", "电力", "酒店",
    "宾馆", "饭店", "银行", "合作社", "委员会", "政府", "事务所", "中心", "商行", "经营部", "门市部", "批发部",
    "便利店", "工作室", "厂",
)
_ORGANISATION = re.compile("|".join(map(re.escape, ORGANISATION_WORDS)))
ELDERLY_AGE = 60
# Night in local time: 22:00 to 06:00, when victims are alone and banks' call-backs do not reach them.
_NIGHT_HOURS = frozenset((22, 23, 0, 1, 2, 3, 4, 5))
# Floor on the spread of a customer's usual ln(amounts): someone who always paid exactly ¥300 would
# otherwise make ¥301 a huge z-score.
_MIN_LOG_STD = 0.25
# How long the state must have watched before an account it never saw paid counts as a new account.
WATCHED_BEFORE_NEW = 30 * DAY

FEATURE_NAMES: tuple[str, ...] = (
    "amount_yuan",
    "log10_amount",
    "amount_round_thousand",
    "amount_to_usual_mean",
    "amount_to_usual_max",
    "amount_log_z",
    "amount_to_balance",
    "customer_age",
    "customer_female",
    "customer_elderly",
    "customer_history_count",
    "customer_known_days",
    "customer_account_age_days",
    "customer_transfers_1h",
    "customer_transfers_24h",
    "customer_sum_24h_yuan",
    "minutes_since_last_transfer",
    "payee_new_to_customer",
    "payee_history_count",
    "payee_account_age_days",
    "payee_payers_24h",
    "payee_payers_7d",
    "payee_received_24h_yuan",
    "payee_received_7d_yuan",
    "payee_other_province",
    "payee_known_days",
    "payee_inflow_days",
    "payee_inflows_per_day",
    "payee_burst",
    "payee_amount_log_std",
    "payee_amount_log_z",
    "payee_round_share",
    "payee_repeat_share",
    "payee_organisation",
    "payee_name_given",
    "payee_uscc_given",
    "payee_known_listed",
    "local_hour",
    "night",
    *(f"channel_{c}" for c in CHANNELS),
    *(f"signal_{s}" for s in SIGNALS),
    "signal_count",
    "purpose_given",
    *(f"purpose_{g}" for g in PURPOSE_WORDS),
    "intel_payee_account",
    "intel_customer_account",
    "intel_customer_id_number",
    "intel_customer_phone",
)
FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FEATURE_NAMES)}
# Stored with every decision so a vector can always be read back with the names it was computed with.
FEATURE_SET_VERSION = "f1-" + blake2b("|".join(FEATURE_NAMES).encode(), digest_size=4).hexdigest()

_NAN = math.nan
_SIGNAL_POSITIONS = {s: i for i, s in enumerate(SIGNALS)}
_NO_SIGNALS = (0.0,) * len(SIGNALS)
_NO_PURPOSE = (0.0, *(_NAN,) * len(PURPOSE_WORDS))
_CHANNEL_ONE_HOT = {c: tuple(float(c == other) for other in CHANNELS) for c in CHANNELS}


class RequestFacts(NamedTuple):
    """Everything the engine reads from a request, worked out once and before the state is touched: in
    the serving process, or in a batch command's parsing workers, so the sequential part of screening
    handles only numbers. A tuple of plain values, so it crosses between processes cheaply."""

    customer_key: int  # a customer is a person across all banks: keyed by ID number, not paying account
    payee_key: int
    # Intel lookups in a fixed order: payee account, customer account, customer ID number, customer phone
    # (absent when the request has none); the snapshot's hits come back in the same order.
    intel_keys: tuple[int, ...]
    at: int  # epoch seconds
    day: int  # local (Asia/Shanghai) date, as `date.toordinal()`
    fen: int
    ln_yuan: float
    province: int  # the customer's home province, first two digits of the ID number
    payee_region: int  # administrative division code the bank gave, 0 when not given
    payee_opened_day: int  # ordinal of the payee account's opening date, 0 when not given
    account_age_days: float
    payee_org: int  # 1 when the payee's name or credit code says it is an organisation
    payee_given: tuple[float, float]  # payee_name_given, payee_uscc_given
    lead: tuple[float, ...]  # amount_yuan .. amount_round_thousand
    person: tuple[float, ...]  # amount_to_balance .. customer_elderly
    tail: tuple[float, ...]  # local_hour .. purpose flags
    bank_code: str = ""  # whose thresholds decide (per-bank thresholds)


def request_facts(req: ScreeningRequest) -> RequestFacts:
    c, payee = req.customer, req.payee
    local = req.occurred_at.astimezone(LOCAL_TZ)
    today = local.date()
    resident = c.resident
    age = resident.age_on(today)
    fen = int(req.amount * 100)
    yuan = fen / 100
    intel = [stable_key("account", payee.account_no), stable_key("account", c.account_no),
             stable_key("id_number", c.id_number)]
    if c.phone is not None:
        intel.append(stable_key("phone", c.phone))
    signals = list(_NO_SIGNALS)
    for s in req.signals:
        signals[_SIGNAL_POSITIONS[s]] = 1.0
    hour = local.hour
    return RequestFacts(
        stable_key("customer", c.id_number),
        intel[0],
        tuple(intel),
        int(req.occurred_at.timestamp()),
        today.toordinal(),
        fen,
        math.log(yuan),
        int(resident.province_code),
        int(payee.region_code) if payee.region_code else 0,
        payee.account_opened_on.toordinal() if payee.account_opened_on else 0,
        float((today - c.account_opened_on).days) if c.account_opened_on else _NAN,
        1 if payee.uscc or (payee.name and _ORGANISATION.search(payee.name)) else 0,
        (1.0 if payee.name else 0.0, 1.0 if payee.uscc else 0.0),
        (yuan, math.log10(yuan), 1.0 if fen % 100_000 == 0 else 0.0),
        (float(req.amount / c.balance) if c.balance else _NAN, float(age), 1.0 if resident.sex == "F" else 0.0,
         1.0 if age >= ELDERLY_AGE else 0.0),
        (float(hour), 1.0 if hour in _NIGHT_HOURS else 0.0, *_CHANNEL_ONE_HOT[req.channel], *signals,
         float(len(req.signals)), *_purpose_flags(req.purpose)),
        req.bank_code,
    )  # fmt: skip


def transfer_of(facts: RequestFacts) -> Transfer:
    return Transfer(facts.customer_key, facts.payee_key, facts.at, facts.fen, facts.payee_region,
                    facts.payee_opened_day, facts.payee_org)


def restore_features(stored: Sequence[float | None]) -> tuple[float, ...]:
    """A vector read back from storage, where missing values were kept as null."""
    return tuple(_NAN if v is None else float(v) for v in stored)


@functools.lru_cache(maxsize=4096)  # customers give a few dozen purposes over and over
def _purpose_flags(purpose: str | None) -> tuple[float, ...]:
    if not purpose:
        return _NO_PURPOSE
    return (1.0, *(1.0 if p.search(purpose) else 0.0 for p in _PURPOSE_PATTERNS))


def compute_features(facts: RequestFacts, snap: Snapshot) -> list[float]:
    """The vector in FEATURE_NAMES order: the request's facts joined with the state before it."""
    fen, at = facts.fen, facts.at
    history = snap.customer_count
    if history:
        to_mean = fen / snap.customer_mean_fen
        to_max = fen / snap.customer_max_fen
        known_days = (at - snap.customer_first_seen) / DAY
        since_last = max(0.0, (at - snap.customer_last_at) / 60)
        log_std = snap.customer_log_std
        log_z = (
            (facts.ln_yuan - snap.customer_log_mean) / max(log_std, _MIN_LOG_STD)
            if log_std == log_std
            else _NAN
        )
    else:
        to_mean = to_max = known_days = since_last = log_z = _NAN

    opened_day = facts.payee_opened_day or snap.payee_opened_day
    if opened_day:
        payee_age = float(facts.day - opened_day)
    elif snap.observed_since and at - snap.observed_since >= WATCHED_BEFORE_NEW:
        # Not told the opening date: the first sight stands for it, but only once the state has watched
        # long enough for "first seen" to mean "new" — in its first weeks every account is first seen.
        first_seen = snap.payee_first_seen if snap.payee_count else at
        payee_age = max(0.0, (at - first_seen) / DAY) if first_seen - snap.observed_since >= WATCHED_BEFORE_NEW \
            else _NAN
    else:
        payee_age = _NAN
    region = facts.payee_region or snap.payee_region
    other_province = float(region // 10_000 != facts.province) if region else _NAN
    intel = snap.intel

    p_count = snap.payee_count
    if p_count:
        seen_days = max(0.0, (at - snap.payee_first_seen) / DAY)
        per_day = p_count / max(1, snap.payee_days)
        burst = snap.payee_payers_24h / per_day
        round_share, repeat_share = snap.payee_round / p_count, snap.payee_repeat / p_count
        p_std = snap.payee_log_std
        p_z = (facts.ln_yuan - snap.payee_log_mean) / max(p_std, _MIN_LOG_STD) if p_std == p_std else _NAN
    else:
        seen_days = per_day = burst = 0.0
        round_share = repeat_share = p_std = p_z = _NAN

    return [
        *facts.lead,
        to_mean,
        to_max,
        log_z,
        *facts.person,
        float(history),
        known_days,
        facts.account_age_days,
        float(snap.customer_n_1h),
        float(snap.customer_n_24h),
        snap.customer_sum_24h_fen / 100,
        since_last,
        0.0 if snap.payee_known_to_customer else 1.0,
        float(snap.payee_count),
        payee_age,
        float(snap.payee_payers_24h),
        float(snap.payee_payers_7d),
        snap.payee_received_24h_fen / 100,
        snap.payee_received_7d_fen / 100,
        other_province,
        seen_days,
        float(snap.payee_days),
        per_day,
        burst,
        p_std,
        p_z,
        round_share,
        repeat_share,
        1.0 if facts.payee_org or snap.payee_org else 0.0,
        *facts.payee_given,
        1.0 if snap.payee_vouched else 0.0,
        *facts.tail,
        1.0 if intel[0] is not None else 0.0,
        1.0 if intel[1] is not None else 0.0,
        1.0 if intel[2] is not None else 0.0,
        (1.0 if intel[3] is not None else 0.0) if len(intel) > 3 else _NAN,
    ]
