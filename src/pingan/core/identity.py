"""Validation and masking of Chinese identity numbers: resident IDs, mobile numbers, bank cards and
unified social credit codes, with bilingual errors callers can show or map by machine code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_MESSAGES = {
    "id_number.format": "身份证号码格式错误，应为17位数字加1位校验码"
    " / resident ID must be 17 digits and a check character",
    "id_number.region": "身份证号码地区码无效 / resident ID region code is not valid",
    "id_number.birth_date": "身份证号码出生日期无效 / resident ID birth date is not valid",
    "id_number.check_digit": "身份证号码校验位错误 / resident ID check digit is wrong",
    "phone.format": "手机号码格式错误 / mobile phone number is not valid",
    "bank_card.format": "银行卡号格式错误，应为12至19位数字 / bank card number must be 12 to 19 digits",
    "uscc.format": "统一社会信用代码格式错误 / unified social credit code format is wrong",
    "uscc.check_char": "统一社会信用代码校验位错误 / unified social credit code check character is wrong",
}


class InvalidIdentity(ValueError):
    """An identity value failed validation; `code` is stable for machines, `message` is for people."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message if message is not None else _MESSAGES[code]
        # Both in args so the exception survives pickling between worker processes.
        super().__init__(code, self.message)

    def __str__(self) -> str:
        return self.message


# --- Resident ID (GB 11643-1999) -------------------------------------------------------------------

_ID_CHECK_CHARS = "10X98765432"
# Inclusive ranges of province-level codes; 91 (formerly "abroad") is deliberately absent.
_PROVINCE_RANGES = ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 83))
_PROVINCES = frozenset(str(p) for lo, hi in _PROVINCE_RANGES for p in range(lo, hi + 1))
# Residence permits for Hong Kong, Macao and Taiwan residents use the bare 810000/820000/830000.
_PERMIT_PROVINCES = frozenset({"81", "82", "83"})
_MIN_BIRTH_YEAR = 1900


@dataclass(frozen=True, slots=True)
class ResidentId:
    number: str
    region_code: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    @classmethod
    def read(cls, number: str) -> ResidentId:
        """The parts of a number `parse_resident_id` already accepted (its normalized form), unchecked."""
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        return cls(number, number[:6], born, "M" if int(number[16]) % 2 else "F")

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def _id_check_char(first17: str) -> str:
    # MOD 11-2 weighs digit i by 2**(17-i) mod 11. Since 13 = 2 (mod 11), the digits read as a base-13
    # number are congruent to half that weighted sum: one C call instead of a 17-step Python loop.
    return _ID_CHECK_CHARS[2 * int(first17, 13) % 11]


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Parse an 18-character resident ID, raising InvalidIdentity on the first fault found.

    Checks run format, region, birth date, check digit, so a mistyped birth date is reported as such
    rather than as a bare check-digit failure. `today` (default: the local date) bounds the birth date.
    """
    if not isinstance(value, str):
        raise InvalidIdentity("id_number.format")
    s = value.replace(" ", "")
    # isascii() first: str.isdigit() also accepts full-width and superscript digits.
    if len(s) != 18 or not s.isascii() or not s[:17].isdigit() or s[17] not in "0123456789Xx":
        raise InvalidIdentity("id_number.format")
    if s[17] == "x":
        s = s[:17] + "X"

    province = s[:2]
    if province not in _PROVINCES or (s[2:6] == "0000" and province not in _PERMIT_PROVINCES):
        raise InvalidIdentity("id_number.region")

    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise InvalidIdentity("id_number.birth_date") from None
    if born.year < _MIN_BIRTH_YEAR:
        raise InvalidIdentity("id_number.birth_date")
    if born > (today or date.today()):
        raise InvalidIdentity(
            "id_number.birth_date", "身份证号码出生日期晚于今天 / resident ID birth date is in the future"
        )

    if _id_check_char(s[:17]) != s[17]:
        raise InvalidIdentity("id_number.check_digit")
    return ResidentId(s, s[:6], born, "M" if int(s[16]) % 2 else "F")


def is_valid_resident_id(value: str) -> bool:
    try:
        parse_resident_id(value)
    except InvalidIdentity:
        return False
    return True


def make_resident_id(region_code: str, birth_date: date, seq: int, sex: str) -> str:
    """Build a well-formed resident ID for test and demo data.

    The 3-digit order code is `seq` (0-99) followed by 1 for "M" or 2 for "F", since the parity of the
    17th digit encodes sex.
    """
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    if not 0 <= seq <= 99:
        raise ValueError(f"seq must be 0-99, got {seq}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    first17 = f"{region_code}{birth_date:%Y%m%d}{seq:02d}{1 if sex == 'M' else 2}"
    return first17 + _id_check_char(first17)


# --- Mobile phone, bank card, USCC ------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    """Return the bare 11-digit mainland mobile number, accepting +86/0086/86 prefixes, spaces and dashes."""
    if not isinstance(value, str):
        raise InvalidIdentity("phone.format")
    s = value.replace(" ", "").replace("-", "")
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        # Mobile numbers start with 1, so a 13-digit "86..." can only be a prefixed number.
        s = s[2:]
    if len(s) != 11 or not s.isascii() or not s.isdigit() or s[0] != "1" or s[1] not in "3456789":
        raise InvalidIdentity("phone.format")
    return s


@dataclass(frozen=True, slots=True)
class BankCardCheck:
    number: str
    luhn_ok: bool


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def check_bank_card(value: str) -> BankCardCheck:
    """Validate a card number's shape; a Luhn failure is reported, not raised, as older cards fail it."""
    if not isinstance(value, str):
        raise InvalidIdentity("bank_card.format")
    s = value.replace(" ", "")
    if not 12 <= len(s) <= 19 or not s.isascii() or not s.isdigit():
        raise InvalidIdentity("bank_card.format")
    return BankCardCheck(s, _luhn_ok(s))


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015) and return it upper-cased.

    The registration-department and organisation-type characters are only checked against the
    alphabet: the administering bodies keep adding codes, and rejecting a real company is worse.
    """
    if not isinstance(value, str):
        raise InvalidIdentity("uscc.format")
    s = value.strip().upper()
    if len(s) != 18 or any(ch not in _USCC_VALUES for ch in s) or not s[2:8].isdigit():
        raise InvalidIdentity("uscc.format")
    if uscc_check_char(s[:17]) != s[17]:
        raise InvalidIdentity("uscc.check_char")
    return s


def uscc_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are given (test and demo data)."""
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


# --- Masking for display and logs -------------------------------------------------------------------


def _mask(value: str | None, keep_head: int, keep_tail: int, stars: int | None = None) -> str:
    if not value:
        return ""
    n = len(value)
    if n <= keep_head + keep_tail:
        # Too short to keep anything without revealing (nearly) the whole value.
        return "*" * n
    middle = "*" * (n - keep_head - keep_tail if stars is None else stars)
    return value[:keep_head] + middle + (value[n - keep_tail :] if keep_tail else "")


def mask_id_number(value: str | None) -> str:
    return _mask(value, 6, 4)


def mask_phone(value: str | None) -> str:
    return _mask(value, 3, 4)


def mask_account(value: str | None) -> str:
    return _mask(value, 4, 4, stars=4)


def mask_name(value: str | None) -> str:
    return _mask(value, 1, 0)
