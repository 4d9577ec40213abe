"""Parse and check an organisation YAML file before anything is written; errors name line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pingan.core.errors import ErrorDetail, ValidationFailed
from pingan.platform.org.models import UNIT_KIND_ORDER, UnitKind


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    children: list[UnitSpec] = field(default_factory=list)


@dataclass
class BranchSpec:
    code: str
    name: str
    station: str


@dataclass
class BankSpec:
    code: str
    name: str
    branches: list[BranchSpec]


@dataclass
class OrgFile:
    units: list[UnitSpec]
    banks: list[BankSpec]


class _Reader:
    """Walks the YAML node tree (not plain data) so every problem can cite its line."""

    def __init__(self) -> None:
        self.errors: list[ErrorDetail] = []

    def fail(self, node: yaml.Node | None, where: str, code: str, message: str) -> None:
        line = f"line {node.start_mark.line + 1}: " if node is not None else ""
        self.errors.append(ErrorDetail(field=where, code=code, message=f"{line}{message}"))

    def mapping(self, node: yaml.Node, where: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, where, "org.not_mapping", "应为映射 / expected a mapping")
            return None
        return {k.value: v for k, v in node.value}

    def sequence(self, node: yaml.Node | None, where: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, where, "org.not_list", "应为列表 / expected a list")
            return []
        return node.value

    def text(self, m: dict[str, yaml.Node], key: str, where: str, parent: yaml.Node) -> str:
        node = m.get(key)
        if node is None or not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(node or parent, f"{where}.{key}", "org.required", f"缺少 {key} / {key} is required")
            return ""
        return str(node.value).strip()


def parse_org_file(path: Path) -> OrgFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed("org.unreadable", f"无法读取组织文件 / cannot read org file: {exc}") from None
    return parse_org_text(text)


def parse_org_text(text: str) -> OrgFile:
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise ValidationFailed("org.yaml", f"YAML 格式错误 / invalid YAML: {exc}") from None
    r = _Reader()
    top = r.mapping(root, "$") if root is not None else None
    if top is None:
        raise ValidationFailed("org.invalid", "组织文件为空或格式错误 / org file is empty or malformed",
                               r.errors)
    seen_units: dict[str, UnitKind] = {}
    units = [u for i, n in enumerate(r.sequence(top.get("units"), "units"))
             if (u := _unit(r, n, f"units[{i}]", None, seen_units))]
    banks = [b for i, n in enumerate(r.sequence(top.get("banks"), "banks"))
             if (b := _bank(r, n, f"banks[{i}]", seen_units))]
    if r.errors:
        raise ValidationFailed("org.invalid", "组织文件有误，未做任何修改 / org file refused, nothing changed",
                               r.errors)
    return OrgFile(units=units, banks=banks)


def _unit(r: _Reader, node, where: str, parent_kind: UnitKind | None, seen: dict) -> UnitSpec | None:
    m = r.mapping(node, where)
    if m is None:
        return None
    code, name = r.text(m, "code", where, node), r.text(m, "name", where, node)
    kind_text = r.text(m, "kind", where, node)
    try:
        kind = UnitKind(kind_text)
    except ValueError:
        if kind_text:
            r.fail(m["kind"], f"{where}.kind", "org.kind",
                   f"未知单位类型 {kind_text} / unknown kind (bureau|station|community|grid)")
        return None
    if parent_kind is not None and UNIT_KIND_ORDER.index(kind) <= UNIT_KIND_ORDER.index(parent_kind):
        r.fail(m["kind"], f"{where}.kind", "org.kind_order",
               f"{kind.value} 不能在 {parent_kind.value} 之下 / a {kind.value} cannot sit under a {parent_kind.value}")
    if code in seen:
        r.fail(m["code"], f"{where}.code", "org.duplicate", f"单位代码重复 {code} / duplicate unit code")
    seen[code] = kind
    children = [c for i, n in enumerate(r.sequence(m.get("children"), f"{where}.children"))
                if (c := _unit(r, n, f"{where}.children[{i}]", kind, seen))]
    return UnitSpec(code, name, kind, children) if code and name else None


def _bank(r: _Reader, node, where: str, units: dict[str, UnitKind]) -> BankSpec | None:
    m = r.mapping(node, where)
    if m is None:
        return None
    code, name = r.text(m, "code", where, node), r.text(m, "name", where, node)
    branches = []
    for i, bnode in enumerate(r.sequence(m.get("branches"), f"{where}.branches")):
        bw = f"{where}.branches[{i}]"
        bm = r.mapping(bnode, bw)
        if bm is None:
            continue
        bcode, bname = r.text(bm, "code", bw, bnode), r.text(bm, "name", bw, bnode)
        station = r.text(bm, "station", bw, bnode)
        if station in units and units[station] is not UnitKind.STATION:
            r.fail(bm["station"], f"{bw}.station", "org.station",
                   f"{station} 不是派出所 / {station} is not a station")
        branches.append(BranchSpec(bcode, bname, station))
    return BankSpec(code, name, branches) if code and name else None
