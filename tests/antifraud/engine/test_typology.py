import pytest

from pingan.antifraud.engine.contract import TYPOLOGIES
from pingan.antifraud.engine.features import FEATURE_INDEX, FEATURE_NAMES
from pingan.antifraud.engine.state import IntelHit
from pingan.antifraud.engine.typology import GENERIC_QUESTIONS, QUESTIONS, infer_typology, questions_for


def vector(**values: float) -> list[float]:
    x = [0.0] * len(FEATURE_NAMES)
    x[FEATURE_INDEX["customer_age"]] = 40
    for name, value in values.items():
        x[FEATURE_INDEX[name]] = value
    return x


@pytest.mark.parametrize(
    ("purpose", "typology"),
    [
        ("purpose_authorities", "impersonating_authorities"),
        ("purpose_brushing", "brushing_rebate"),
        ("purpose_investment", "investment"),
        ("purpose_loan", "loan"),
        ("purpose_customer_service", "fake_customer_service"),
        ("purpose_acquaintance", "impersonating_acquaintance"),
        ("purpose_romance", "romance"),
        ("purpose_game", "game_trading"),
    ],
)
def test_purpose_words_name_the_typology(purpose, typology):
    assert infer_typology(vector(**{purpose: 1})) == typology


def test_profile_without_words_still_points_somewhere():
    elderly_deposit = vector(
        customer_age=75,
        customer_elderly=1,
        signal_fixed_deposit_early_withdrawal=1,
        signal_keeps_secret_from_family=1,
    )
    assert infer_typology(elderly_deposit) == "impersonating_authorities"
    remote = vector(customer_age=30, signal_screen_sharing=1, signal_remote_control_app=1, signal_on_phone=1)
    assert infer_typology(remote) == "fake_customer_service"


def test_no_evidence_is_other():
    assert infer_typology(vector()) == "other"


def test_an_intel_listing_with_a_typology_wins():
    x = vector(purpose_game=1)
    assert infer_typology(x, (None, IntelHit("account", "investment", "反诈中心"))) == "investment"
    assert infer_typology(x, (IntelHit("account", None, "bank"),)) == "game_trading"


def test_questions_exist_for_every_typology():
    for typology in TYPOLOGIES:
        questions = questions_for(typology)
        assert 3 <= len(questions) <= 5
        assert all(q.endswith("？") for q in questions)
    assert questions_for(None) == questions_for("other") == list(GENERIC_QUESTIONS)
    assert set(QUESTIONS) == set(TYPOLOGIES) - {"other"}
    assert any("安全账户" in q for q in questions_for("impersonating_authorities"))
