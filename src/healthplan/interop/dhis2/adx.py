"""ADX (IHE QRPH Aggregate Data Exchange) XML, the way DHIS2 reads and writes it.

``<adx xmlns="urn:ihe:qrph:adx:2015" exported="…">`` holds ``<group orgUnit period dataSet>`` elements whose
``<dataValue dataElement value>`` children state disaggregation as attributes named by category code
(``SEX="F"``), or by a ``categoryOptionCombo`` attribute; an ``<annotation>`` child is the comment. Periods are
ISO 8601 intervals (``2024-01-01/P1Y``). Parsed with expat so every problem is located at ``file:line:column``
of its element; document type declarations are refused (no entity expansion).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from healthplan.domain.periods import Period
from healthplan.domain.problems import Problem, ValidationFailed
from healthplan.interop.dhis2.periods import PeriodNotSupported, from_adx, to_adx
from healthplan.interop.dhis2.values import Incoming, Outgoing, Payload

NAMESPACE = "urn:ihe:qrph:adx:2015"
_GROUP_KNOWN = {"orgUnit", "period", "dataSet", "completeDate", "comment", "attributeOptionCombo"}
_VALUE_KNOWN = {"dataElement", "value", "categoryOptionCombo", "comment", "deleted"}


class _Refused(Exception):
    pass


@dataclass
class _Group:
    line: int
    column: int
    attributes: dict[str, str]
    period: Period | None = None


@dataclass
class _Reader:
    source: str
    parser: expat.XMLParserType = field(init=False)
    problems: list[Problem] = field(default_factory=list)
    values: list[Incoming] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    group: _Group | None = None
    pending: tuple[int, int, dict[str, str]] | None = None  # the open dataValue
    count: int = 0  # dataValue elements seen
    annotation: list[str] | None = None

    def __post_init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self.refuse_doctype

    def at(self, line: int, column: int, zh: str, en: str) -> Problem:
        return Problem(zh, en, self.source, line, column)

    def here(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def refuse_doctype(self, *_args: object) -> None:
        line, column = self.here()
        self.problems.append(self.at(line, column, "不接受 DOCTYPE 声明", "DOCTYPE declarations are not accepted"))
        raise _Refused

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        line, column = self.here()
        depth = len(self.stack)
        self.stack.append(local)
        if depth == 0:
            if local != "adx":
                self.problems.append(self.at(line, column, f"根元素应为 adx，得到 {local}",
                                             f"the root element must be adx, got {local}"))
                raise _Refused
        elif depth == 1 and local == "group":
            self.group = self.open_group(line, column, attributes)
        elif depth == 2 and local == "dataValue" and self.group is not None:
            self.pending = (line, column, attributes)
            self.count += 1
        elif depth == 3 and local == "annotation" and self.pending is not None:
            self.annotation = []
        else:
            self.problems.append(self.at(line, column, f"此处不应有元素 {local}", f"unexpected element {local}"))

    def open_group(self, line: int, column: int, attributes: dict[str, str]) -> _Group:
        group = _Group(line, column, attributes)
        for name in ("orgUnit", "period", "dataSet"):
            if not attributes.get(name):
                self.problems.append(self.at(line, column, f"group 缺少属性 {name}", f"group lacks attribute {name}"))
        extra = sorted(set(attributes) - _GROUP_KNOWN)
        if extra:
            self.problems.append(self.at(line, column, f"不支持属性类别（attribute option combo）：{', '.join(extra)}",
                                         f"attribute categories are not supported: {', '.join(extra)}"))
        if attributes.get("period"):
            try:
                group.period = from_adx(attributes["period"])
            except PeriodNotSupported as exc:
                self.problems.append(self.at(line, column, exc.zh, exc.en))
        return group

    def text(self, data: str) -> None:
        if self.annotation is not None:
            self.annotation.append(data)

    def end(self, name: str) -> None:
        local = self.stack.pop()
        if local == "annotation" and self.annotation is not None and self.pending is not None:
            self.pending[2]["comment"] = "".join(self.annotation).strip()
            self.annotation = None
        elif local == "dataValue" and self.pending is not None:
            self.close_value(*self.pending)
            self.pending = None
        elif local == "group":
            self.group = None

    def close_value(self, line: int, column: int, attributes: dict[str, str]) -> None:
        group = self.group
        assert group is not None

        def locate(_name: str, zh: str, en: str) -> Problem:
            return self.at(line, column, zh, en)

        if not attributes.get("dataElement"):
            self.problems.append(locate("dataElement", "dataValue 缺少属性 dataElement",
                                        "dataValue lacks attribute dataElement"))
            return
        categories = frozenset((k, v) for k, v in attributes.items() if k not in _VALUE_KNOWN)
        combo = attributes.get("categoryOptionCombo", "")
        self.values.append(Incoming(
            data_element=attributes["dataElement"], period=group.period,
            org_unit=group.attributes.get("orgUnit", ""), category_option_combo=combo,
            attribute_option_combo=group.attributes.get("attributeOptionCombo", ""),
            value=attributes.get("value") or None, comment=attributes.get("comment"),
            deleted=attributes.get("deleted", "false").lower() == "true", locate=locate,
            category_options=None if combo else categories))


def read_adx(path: Path) -> Payload:
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    reader = _Reader(path.name)
    try:
        reader.parser.Parse(path.read_bytes(), True)
    except expat.ExpatError as exc:
        raise ValidationFailed([reader.at(exc.lineno, exc.offset + 1,
                                          f"XML 格式错误：{expat.errors.messages[exc.code]}",
                                          f"malformed XML: {expat.errors.messages[exc.code]}")]) from None
    except _Refused:
        raise ValidationFailed(reader.problems) from None
    return Payload(reader.values, reader.problems, reader.count)


def write_adx(values: list[Outgoing], data_set: str, exported: dt.datetime) -> str:
    """Group by (org unit, period), as ADX requires, in a stable order."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}adx", {"exported": exported.strftime("%Y-%m-%dT%H:%M:%SZ")})
    groups: dict[tuple[str, Period], ET.Element] = {}
    for v in sorted(values, key=lambda v: (v.org_unit, v.period, v.data_element, sorted(v.category_options))):
        key = (v.org_unit, v.period)
        if key not in groups:
            groups[key] = ET.SubElement(root, f"{{{NAMESPACE}}}group",
                                        {"orgUnit": v.org_unit, "period": to_adx(v.period), "dataSet": data_set})
        element = ET.SubElement(groups[key], f"{{{NAMESPACE}}}dataValue",
                                {"dataElement": v.data_element, "value": v.value, **dict(sorted(v.category_options))})
        if v.comment:
            ET.SubElement(element, f"{{{NAMESPACE}}}annotation").text = v.comment
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
