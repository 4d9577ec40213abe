"""Free-text Chinese addresses to their parts: road or village, number, building, unit, room.

Written for the way Huangyan clerks and grid workers type addresses: a province / city / district / town
prefix or none (浙江省台州市黄岩区头陀镇…), 村 or 社区 or neither after a village name, 号 / 幢 / 栋 / 座 / 号楼
/ 单元 / 室 / 房, full-width digits, Chinese numerals (三十二号), and the short forms 2-1-301 and 32之1.
No library we checked fits: jionlp is heavy and parses to district level only, cpca has not changed since 2021.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=号|幢|栋|座|单元|室|组|层|楼)")
# Administrative prefixes, outermost first; each needs two characters before its suffix, so a village named
# 镇西村 or a road named 市府大道 is left alone.
_PREFIXES = (
    re.compile(r"^(中国)"),
    re.compile(r"^[\u4e00-\u9fff]{2,7}?(省|自治区)"),
    re.compile(r"^[\u4e00-\u9fff]{2,7}?市(?!场)"),
    re.compile(r"^[\u4e00-\u9fff]{2,5}?(?<![社小])(区|县)(?![\u4e00-\u9fff]{0,2}(路|街|道|巷|弄)\d)"),
    re.compile(r"^[\u4e00-\u9fff]{2,5}?(镇|乡|街道)"),
)
# Written without their suffix (台州黄岩头陀…): the names of this county's province, city and district.
_BARE_PREFIXES = ("浙江", "台州", "黄岩")
# A community or village named in front of a road in it (下洋社区下洋路): the road alone is the key.
_AREA_BEFORE_ROAD = re.compile(r"^[\u4e00-\u9fff]{2,6}?(社区|村)(?=[\u4e00-\u9fff]+(路|街|道|巷|弄)$)")
_VILLAGE_SUFFIX = re.compile(r"(村民委员会|居民委员会|村委会|居委会|社区|村)(?=\d|$)")
_NUMBER = re.compile(r"(\d+(?:[-之]\d+)?)(号(?!楼)|弄)")
_BUILDING = re.compile(r"^(\d+)(幢|栋|座|号楼|#楼|#)")
_UNIT = re.compile(r"^(\d+)单元")
_FLOOR = re.compile(r"^(\d+)(层|楼)(?!\d*室)")
_ROOM = re.compile(r"^(\d+)(室|房|号房)?$")
_TRIPLE = re.compile(r"^(\d+)-(\d+)-(\d+)(室)?$")
_PAIR = re.compile(r"^(\d+)-(\d+)(室)?$")
_NOISE = re.compile(r"[\s,，。.、()（）\[\]【】:：;；\"'“”‘’]")


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    road: str
    road_key: str
    number: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""


def _cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 三十二 → 32, 一百零五 → 105, 二〇一 → 201 (read digit by digit)."""
    if "十" not in text and "百" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def clean(text: str) -> str:
    """Full-width to half-width, punctuation and spaces out, Chinese numerals before a level marker to digits."""
    s = unicodedata.normalize("NFKC", text or "")
    s = _NOISE.sub("", s).replace("—", "-").replace("－", "-").replace("#", "#")
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), s)


def strip_prefix(text: str) -> str:
    """Drop the province, city, district and town in front of the road or village."""
    s = text
    for bare in _BARE_PREFIXES:
        if s.startswith(bare) and not s.startswith(bare + "路"):
            s = s[len(bare):]
    for pattern in _PREFIXES:
        m = pattern.match(s)
        if m and re.search(r"[\u4e00-\u9fff]", s[m.end():]):
            s = s[m.end():]
        for bare in _BARE_PREFIXES:
            if s.startswith(bare) and len(s) > len(bare) + 1 and not s.startswith(bare + "路"):
                s = s[len(bare):]
    return s


def road_key(road: str) -> str:
    """The form roads and villages are looked up by: 新下岙村, 新下岙社区 and 新下岙 are one key."""
    return _VILLAGE_SUFFIX.sub("", _AREA_BEFORE_ROAD.sub("", clean(road)))


def level(value: str | None) -> str:
    """A building, unit or room as stored: digits (or the value as written, if not a number) without its marker."""
    s = clean(value or "")
    m = re.match(r"^(\d+(?:[-之]\d+)?)(号|幢|栋|座|号楼|单元|室|房)?$", s)
    return m.group(1).replace("之", "-").lstrip("0") or "0" if m else s


def _rest(rest: str) -> tuple[str, str, str]:
    building = unit = room = ""
    m = _BUILDING.match(rest)
    if m:
        building, rest = m.group(1), rest[m.end():]
    m = _UNIT.match(rest)
    if m:
        unit, rest = m.group(1), rest[m.end():]
    m = _FLOOR.match(rest)
    if m:
        rest = rest[m.end():]
    if not rest:
        return building, unit, room
    m = _TRIPLE.match(rest)
    if m and not building and not unit:
        return m.group(1), m.group(2), m.group(3)
    m = _PAIR.match(rest)
    if m:
        if building and not unit:
            return building, m.group(1), m.group(2)
        if not building:
            return m.group(1), unit, m.group(2)
    m = _ROOM.match(rest)
    if m:
        room = m.group(1)
    return building, unit, room


def parse(text: str) -> ParsedAddress:
    """The parts of a free-text address; parts it cannot find are empty (a bare village gives only the road)."""
    s = strip_prefix(clean(text))
    m = _NUMBER.search(s)
    if m is None:
        # No 号: "新下岙村32" or "新下岙村32-2-301": the first run of digits is the number.
        m = re.search(r"\d+", s)
        if m is None:
            return ParsedAddress(s, road_key(s))
        road, number, rest = s[:m.start()], m.group(0), s[m.end():]
        rest = rest.lstrip("-")
    else:
        road, number, rest = s[:m.start()], m.group(1), s[m.end():]
    building, unit, room = _rest(rest)
    return ParsedAddress(road, road_key(road), number.replace("之", "-"), building, unit, room)
