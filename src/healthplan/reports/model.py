"""The report as data — sections of paragraphs, tables and figures — written out by one writer per format.

The numbers are decided once, here, from the evaluation results. Every sentence is a :class:`Claim` that carries
the results it was written from, as JSON pointers into :attr:`Report.data`, so a test (or a reader of the .json
output) can trace each number in the text back to a computed result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from healthplan.domain.labels import LabelledEnum, labelled
from healthplan.govdoc.headings import heading_number


@labelled({"annual": "年度监测报告", "midterm": "中期评估报告", "final": "末期评估报告"})
class ReportKind(LabelledEnum):
    ANNUAL = "annual"
    MIDTERM = "midterm"
    FINAL = "final"


@dataclass(frozen=True)
class Source:
    """A number as written in a sentence (``text``) and the result it comes from.

    ``pointer`` is a JSON pointer (RFC 6901) into :attr:`Report.data`. With ``where`` the pointer names an array
    and the number is how many of its items have those field values (``()`` counts them all). ``scale`` is applied
    to the result before it is compared with the text (``0.0001`` for a population written in 万, ``100`` for a
    share written in %).
    """

    pointer: str
    text: str
    where: tuple[tuple[str, str], ...] | None = None
    scale: float = 1.0

    def to_json(self) -> dict[str, object]:
        return {"pointer": self.pointer, "text": self.text,
                "where": None if self.where is None else dict(self.where), "scale": self.scale}


@dataclass(frozen=True)
class Claim:
    """One sentence and the numbers in it."""

    sentence: str
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"sentence": self.sentence, "sources": [s.to_json() for s in self.sources]}


@dataclass(frozen=True)
class Paragraph:
    """Sentences in a row; ``lead`` is a run-in label printed bold before them (``1.`` ``（一）…。``)."""

    claims: tuple[Claim, ...]
    lead: str = ""

    @property
    def text(self) -> str:
        return "".join(c.sentence for c in self.claims)


@dataclass(frozen=True)
class Cell:
    """A table cell: the text as printed, and for numbers the value behind it (written as a number to .xlsx)."""

    text: str
    value: float | None = None
    decimals: int | None = None
    ratio: bool = False  # printed as ``1:x`` (医护比)
    status: str | None = None  # a Status code, for the colour of 进展状态 cells

    @property
    def number_format(self) -> str:
        """The Excel number format that prints ``value`` as ``text``."""
        places = self.decimals or 0
        body = "0" + ("." + "0" * places if places else "")
        return f'"1:"{body}' if self.ratio else body


@dataclass(frozen=True)
class Table:
    """``merge`` lists the columns whose runs of equal text are merged into one cell (类别, as in the plans)."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    merge: tuple[int, ...] = ()
    note: str = ""

    def spans(self, column: int) -> list[tuple[int, int]]:
        """(first row, last row) of each run of equal text in ``column`` (every row its own run if not merged)."""
        runs: list[tuple[int, int]] = []
        for index, row in enumerate(self.rows):
            if column in self.merge and runs and self.rows[runs[-1][0]][column].text == row[column].text:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
        return runs


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    png: bytes
    width_cm: float = 15.6  # the width of the 公文 type area (版心)


Block = Paragraph | Table | Figure


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 2 （一） 3 1．
    text: str


@dataclass
class Section:
    """A titled part of the report; numbering (一、（一）1., 表1, 图1) is given when the report is laid out."""

    title: str
    blocks: list[Block | Section] = field(default_factory=list)

    def add(self, *items: Block | Section) -> Section:
        self.blocks.extend(items)
        return self


@dataclass
class Report:
    kind: ReportKind
    title: str  # lines separated by "\n" (plan name, then 2024年度监测报告)
    subtitle: str
    sections: list[Section]
    data: dict[str, object]  # the results the claims point into (see Source)
    footer_note: str = ""

    def layout(self) -> Iterator[Heading | Block]:
        """The blocks in reading order, with headings numbered and tables/figures titled 表n/图n."""
        counters = {"table": 0, "figure": 0}

        def walk(section: Section, level: int, number: int) -> Iterator[Heading | Block]:
            yield Heading(level, heading_number(level, number) + section.title)
            child = 0
            for block in section.blocks:
                if isinstance(block, Section):
                    child += 1
                    yield from walk(block, level + 1, child)
                elif isinstance(block, Table):
                    counters["table"] += 1
                    yield replace(block, title=f"表{counters['table']}  {block.title}")
                elif isinstance(block, Figure):
                    counters["figure"] += 1
                    yield replace(block, title=f"图{counters['figure']}  {block.title}")
                else:
                    yield block

        for index, section in enumerate(self.sections, start=1):
            yield from walk(section, 1, index)

    def tables(self) -> list[Table]:
        return [b for b in self.layout() if isinstance(b, Table)]

    def claims(self) -> list[Claim]:
        return [c for b in self.layout() if isinstance(b, Paragraph) for c in b.claims]

    def to_json(self) -> dict[str, object]:
        """The report without its images: outline, tables, sentences with their sources, and the results."""
        outline: list[dict[str, object]] = []
        for block in self.layout():
            if isinstance(block, Heading):
                outline.append({"type": "heading", "level": block.level, "text": block.text})
            elif isinstance(block, Paragraph):
                outline.append({"type": "paragraph", "lead": block.lead,
                                "claims": [c.to_json() for c in block.claims]})
            elif isinstance(block, Table):
                outline.append({"type": "table", "key": block.key, "title": block.title,
                                "header": list(block.header), "note": block.note,
                                "rows": [[{"text": c.text, "value": c.value} for c in row] for row in block.rows]})
            else:
                outline.append({"type": "figure", "key": block.key, "title": block.title})
        return {"kind": self.kind.value, "title": self.title, "subtitle": self.subtitle, "outline": outline,
                "data": self.data}

