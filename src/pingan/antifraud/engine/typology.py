"""The most likely fraud typology of a screening, from a transparent table of evidence points, and the
caring questions (关怀提问) a teller asks for it."""

from __future__ import annotations

from collections.abc import Sequence

from pingan.antifraud.engine.features import FEATURE_INDEX
from pingan.antifraud.engine.rules import OPERATORS, Clause
from pingan.antifraud.engine.state import IntelHit


def _is(feature: str) -> Clause:
    return Clause(feature, "==", 1)


# Points per piece of evidence. Purpose words are the strongest sign short of an intel listing; the
# rest are the profiles of victims and the channels each scam works through (公安部反诈中心 case typing).
EVIDENCE: dict[str, tuple[tuple[Clause, int], ...]] = {
    "impersonating_authorities": (
        (_is("purpose_authorities"), 6),
        (_is("customer_elderly"), 2),
        (_is("signal_fixed_deposit_early_withdrawal"), 2),
        (_is("signal_keeps_secret_from_family"), 2),
        (_is("signal_screen_sharing"), 1),
        (_is("signal_caller_instructing"), 1),
        (Clause("amount_yuan", ">=", 50_000), 1),
    ),
    "brushing_rebate": (
        (_is("purpose_brushing"), 6),
        (Clause("customer_age", "<", 40), 1),
        (_is("customer_female"), 1),
        (_is("channel_mobile"), 1),
        (Clause("customer_transfers_1h", ">=", 1), 1),
    ),
    "investment": (
        (_is("purpose_investment"), 6),
        (Clause("customer_age", ">=", 30), 1),
        (Clause("amount_yuan", ">=", 100_000), 2),
        (_is("payee_other_province"), 1),
    ),
    "loan": (
        (_is("purpose_loan"), 6),
        (Clause("customer_age", "<", 40), 1),
        (Clause("amount_yuan", "<", 20_000), 1),
        (_is("channel_mobile"), 1),
    ),
    "fake_customer_service": (
        (_is("purpose_customer_service"), 6),
        (_is("signal_screen_sharing"), 2),
        (_is("signal_remote_control_app"), 2),
        (_is("signal_on_phone"), 1),
        (Clause("customer_age", "<", 45), 1),
    ),
    "impersonating_acquaintance": (
        (_is("purpose_acquaintance"), 6),
        (_is("signal_nervous_or_hurried"), 1),
        (Clause("customer_age", ">=", 30), 1),
        (_is("channel_online"), 1),
    ),
    "romance": (
        (_is("purpose_romance"), 6),
        (Clause("customer_age", ">=", 25), 1),
        (Clause("customer_age", "<", 55), 1),
        (_is("signal_keeps_secret_from_family"), 1),
    ),
    "game_trading": (
        (_is("purpose_game"), 6),
        (Clause("customer_age", "<", 25), 2),
        (Clause("amount_yuan", "<", 10_000), 1),
    ),
}
# An intel listing that names a typology outweighs everything else.
INTEL_POINTS = 10
# Below this, nothing points anywhere and the honest answer is "other".
MIN_POINTS = 4

_COMPILED = tuple(
    (typology, tuple((FEATURE_INDEX[c.feature], OPERATORS[c.op], c.value, points) for c, points in rows))
    for typology, rows in EVIDENCE.items()
)


def infer_typology(features: Sequence[float], intel: Sequence[IntelHit | None] = ()) -> str:
    """The typology with the most evidence points, or "other"; ties go to the earlier table row."""
    listed = {hit.typology for hit in intel if hit is not None and hit.typology}
    best, best_points = "other", MIN_POINTS - 1
    for typology, rows in _COMPILED:
        points = INTEL_POINTS if typology in listed else 0
        for i, op, value, p in rows:
            if op(features[i], value):
                points += p
        if points > best_points:
            best, best_points = typology, points
    return best


QUESTIONS: dict[str, tuple[str, ...]] = {
    "impersonating_authorities": (
        "是否有人自称公检法人员，说您涉嫌洗钱或其他案件，要求您转账到“安全账户”？",
        "对方是否通过电话或视频向您出示过“通缉令”“逮捕令”等文件？",
        "对方是否要求您对家人、银行工作人员保密？",
        "对方是否让您下载软件、开启屏幕共享或告诉他验证码？",
        "公安机关不会通过电话办案，更没有“安全账户”，您愿意先和家人或民警核实一下吗？",
    ),
    "brushing_rebate": (
        "这笔钱是否用于网上刷单、点赞、做任务或拿返利佣金？",
        "您之前是否已经收到过小额返利，现在被要求垫付更多才能提现？",
        "对方是否说“完成这一组任务”才能把本金和佣金一起返还？",
        "所有刷单都是诈骗，您能告诉我是谁介绍您做这份“兼职”的吗？",
    ),
    "investment": (
        "这笔钱是否用于投资理财、炒股、数字货币或购买 USDT？",
        "您是否通过网友、群聊或“老师”推荐的平台或 App 投资？",
        "对方是否承诺高收益、稳赚不赔，或说要交“保证金”“手续费”才能提现？",
        "您在这个平台上是否曾经无法提现？",
    ),
    "loan": (
        "您是否正在网上申请贷款？",
        "对方是否要求您先交保证金、解冻金、验证金或“刷流水”才能放款？",
        "对方是否说您的账户填错、被冻结，需要转账解冻？",
        "正规贷款放款前不会收取任何费用，您方便告诉我对方的联系方式吗？",
    ),
    "fake_customer_service": (
        "是否有人自称电商、快递或平台客服联系您，说要退款、理赔或注销会员、校园贷？",
        "对方是否让您下载会议软件、开启屏幕共享或提供验证码？",
        "对方是否说不处理会影响您的征信？",
        "真正的客服不会让您转账，您愿意先拨打官方客服电话核实吗？",
    ),
    "impersonating_acquaintance": (
        "收款人是您的领导、老师、亲戚或朋友吗？您是否当面或打电话和本人确认过？",
        "对方是否通过新加的微信、QQ 联系您，并说事情紧急、不方便接电话？",
        "这笔钱是否要转给一个您不认识的第三方账户？",
        "我们可以现在一起给对方本人打个电话确认一下吗？",
    ),
    "romance": (
        "收款人是您在网上认识、但没有见过面的朋友或恋人吗？",
        "对方是否带您投资、赌博，或以生病、出事、见面路费等理由向您要钱？",
        "对方是否让您不要告诉家人和朋友？",
        "您愿意先和家人商量一下再转这笔钱吗？",
    ),
    "game_trading": (
        "这笔钱是否用于购买游戏账号、装备、皮肤或点卡？",
        "交易是否在非官方平台或通过私下联系进行？",
        "对方是否说您的账户被冻结、需要交“解冻费”或“保证金”？",
        "请问家里大人知道这笔交易吗？",
    ),
}
GENERIC_QUESTIONS: tuple[str, ...] = (
    "请问这笔钱是转给谁的？您和收款人是什么关系，见过面吗？",
    "是否有人正在电话里或网上指导您办理这笔转账？",
    "是否有人要求您对家人或银行工作人员保密？",
    "您的家人知道这笔转账吗？可以先和家人确认一下吗？",
)


def questions_for(typology: str | None) -> list[str]:
    """The caring questions a teller asks; generic ones when the typology is "other" or unknown."""
    return list(QUESTIONS.get(typology or "other", GENERIC_QUESTIONS))
