import pickle
from datetime import date

import pytest

from pingan.core.identity import (
    BankCardCheck,
    InvalidIdentity,
    ResidentId,
    check_bank_card,
    is_valid_resident_id,
    make_resident_id,
    mask_account,
    mask_id_number,
    mask_name,
    mask_phone,
    normalize_phone,
    parse_resident_id,
    validate_uscc,
)

# Public sample: weighted sum of the first 17 digits is 167, 167 % 11 == 2, which maps to "X".
SAMPLE_ID = "11010519491231002X"


def _code(exc_info: pytest.ExceptionInfo[InvalidIdentity]) -> str:
    return exc_info.value.code


def test_literal_sample_id_parses():
    rid = parse_resident_id(SAMPLE_ID)
    assert rid == ResidentId(SAMPLE_ID, "110105", date(1949, 12, 31), "F")
    assert rid.province_code == "11"
    assert is_valid_resident_id(SAMPLE_ID)


def test_made_id_round_trips_with_sex():
    male = make_resident_id("331003", date(1980, 1, 1), 12, "M")
    female = make_resident_id("331003", date(1980, 1, 1), 12, "F")
    assert len(male) == 18 and male[:14] == "33100319800101"
    assert parse_resident_id(male).sex == "M"
    assert parse_resident_id(female).sex == "F"
    assert parse_resident_id(male).region_code == "331003"


def test_reading_an_accepted_number_gives_what_parsing_gave():
    for number in ("11010519491231002X", make_resident_id("331003", date(1990, 2, 28), 7, "F")):
        parsed = parse_resident_id(number)
        assert ResidentId.read(parsed.number) == parsed


def test_lower_case_x_and_spaces_accepted():
    rid = parse_resident_id(" 110105 19491231 002x ")
    assert rid.number == SAMPLE_ID


def test_wrong_check_digit():
    with pytest.raises(InvalidIdentity) as exc_info:
        parse_resident_id(SAMPLE_ID[:17] + "1")
    assert _code(exc_info) == "id_number.check_digit"
    assert str(exc_info.value) == "身份证号码校验位错误 / resident ID check digit is wrong"
    assert not is_valid_resident_id(SAMPLE_ID[:17] + "1")


def test_feb_30_is_a_birth_date_error_whatever_the_check_char():
    # The date is checked before the check digit, so every candidate check char reports the date.
    for check in "0123456789X":
        with pytest.raises(InvalidIdentity) as exc_info:
            parse_resident_id("11010520000230001" + check)
        assert _code(exc_info) == "id_number.birth_date"


def test_future_and_too_old_birth_dates():
    future = make_resident_id("331003", date(2030, 6, 1), 1, "M")
    with pytest.raises(InvalidIdentity) as exc_info:
        parse_resident_id(future, today=date(2026, 1, 1))
    assert _code(exc_info) == "id_number.birth_date"
    assert "future" in exc_info.value.message
    assert parse_resident_id(future, today=date(2030, 6, 1)).birth_date == date(2030, 6, 1)

    with pytest.raises(InvalidIdentity) as exc_info:
        parse_resident_id(make_resident_id("331003", date(1899, 12, 31), 1, "M"))
    assert _code(exc_info) == "id_number.birth_date"


@pytest.mark.parametrize("region", ["991003", "911003", "161003", "330000", "001003"])
def test_bad_region(region):
    with pytest.raises(InvalidIdentity) as exc_info:
        parse_resident_id(make_resident_id(region, date(1990, 5, 5), 3, "F"))
    assert _code(exc_info) == "id_number.region"


def test_residence_permit_regions_accepted():
    for region in ("810000", "820000", "830000"):
        assert (
            parse_resident_id(make_resident_id(region, date(1990, 5, 5), 3, "F")).province_code == region[:2]
        )


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002XX", "1101051949123100ZX", "１１010519491231002X"]
)
def test_bad_format(value):
    with pytest.raises(InvalidIdentity) as exc_info:
        parse_resident_id(value)
    assert _code(exc_info) == "id_number.format"


def test_age_on_across_birthday():
    rid = parse_resident_id(make_resident_id("331003", date(1980, 6, 15), 5, "M"))
    assert rid.age_on(date(2026, 6, 14)) == 45
    assert rid.age_on(date(2026, 6, 15)) == 46
    assert rid.age_on(date(2026, 12, 31)) == 46


def test_make_resident_id_rejects_bad_arguments():
    with pytest.raises(ValueError):
        make_resident_id("33100", date(1980, 1, 1), 1, "M")
    with pytest.raises(ValueError):
        make_resident_id("331003", date(1980, 1, 1), 100, "M")
    with pytest.raises(ValueError):
        make_resident_id("331003", date(1980, 1, 1), 1, "X")


def test_invalid_identity_is_value_error_and_pickles():
    exc = InvalidIdentity("phone.format")
    assert isinstance(exc, ValueError)
    again = pickle.loads(pickle.dumps(exc))
    assert (again.code, again.message, str(again)) == (exc.code, exc.message, str(exc))


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "8613812345678",
        "138 1234 5678",
    ],
)
def test_phone_variants(value):
    assert normalize_phone(value) == "13812345678"


@pytest.mark.parametrize(
    "value", ["", "12812345678", "1381234567", "138123456789", "+85213812345678", "1381234567a"]
)
def test_bad_phones(value):
    with pytest.raises(InvalidIdentity) as exc_info:
        normalize_phone(value)
    assert _code(exc_info) == "phone.format"


def test_bank_card_luhn_pass_and_fail_both_accepted():
    assert check_bank_card("4111 1111 1111 1111") == BankCardCheck("4111111111111111", True)
    assert check_bank_card("4111111111111112") == BankCardCheck("4111111111111112", False)


@pytest.mark.parametrize("value", ["12345678901", "12345678901234567890", "4111-1111-1111-1111", ""])
def test_bank_card_bad_format(value):
    with pytest.raises(InvalidIdentity) as exc_info:
        check_bank_card(value)
    assert _code(exc_info) == "bank_card.format"


def test_uscc_valid_and_lower_case():
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_uscc_wrong_check_char():
    with pytest.raises(InvalidIdentity) as exc_info:
        validate_uscc("91350100M000100Y44")
    assert _code(exc_info) == "uscc.check_char"


@pytest.mark.parametrize("value", ["91350100M000100Y4", "91350100M000100YO3", "913501A0M000100Y43"])
def test_uscc_bad_format(value):
    with pytest.raises(InvalidIdentity) as exc_info:
        validate_uscc(value)
    assert _code(exc_info) == "uscc.format"


def test_masks():
    assert mask_id_number("33100319800101123X") == "331003********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_account("6222021234561234") == "6222****1234"
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"


def test_masks_tolerate_none_empty_and_short():
    for mask in (mask_id_number, mask_phone, mask_account, mask_name):
        assert mask(None) == ""
        assert mask("") == ""
    assert mask_id_number("1234567890") == "**********"
    assert mask_phone("1234") == "****"
    assert mask_account("12345678") == "********"
    assert mask_name("张") == "*"
