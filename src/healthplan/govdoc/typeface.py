"""The font of each role in a 公文 (GB/T 9704-2012), and the CJK font charts are drawn with.

Each role lists its 公文 fonts, then Debian's Noto CJK (fonts-noto-cjk: Sans for the title and headings, Serif
for the text). A document names the first one installed where it is made — all we can know — and declares the
other as its alternative in the font table, so it reads well both on a government PC and on the Linux server
that wrote it. Latin letters and digits are set in Times New Roman, as 公文 are. Charts must draw every
character in a font that has it (no tofu boxes), so the chart font is checked and fails loudly when missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from healthplan.domain.problems import HealthplanError

WESTERN = "Times New Roman"
NOTO_SANS = "Noto Sans CJK SC"
NOTO_SERIF = "Noto Serif CJK SC"

Candidates = tuple[tuple[str, str], ...]  # (the name written into documents, the family font managers know)

# the first role to fall back on a Noto font names that font's alternative in the font table: body text first
ROLES: dict[str, Candidates] = {
    "body": (("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong"), (NOTO_SERIF, NOTO_SERIF)),
    "heading": (("黑体", "SimHei"), (NOTO_SANS, NOTO_SANS)),  # 一、 and the table header
    "title": (("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("方正小标宋_GBK", "FZXiaoBiaoSong-B05"), ("黑体", "SimHei"),
              (NOTO_SANS, NOTO_SANS)),
    "subheading": (("楷体_GB2312", "KaiTi_GB2312"), ("楷体", "KaiTi"), (NOTO_SERIF, NOTO_SERIF)),  # （一）
    "page": (("宋体", "SimSun"), (NOTO_SERIF, NOTO_SERIF)),  # page numbers
}
CHART: Candidates = (("黑体", "SimHei"), ("微软雅黑", "Microsoft YaHei"), (NOTO_SANS, NOTO_SANS))
CHART_SAMPLE = "晋城市县区指标年值"


@dataclass(frozen=True)
class Font:
    name: str  # written into the document (w:eastAsia)
    alternative: str  # declared as its substitute in the font table (w:altName)


def choose(candidates: Sequence[tuple[str, str]], installed: set[str]) -> Font:
    """The first 公文 font installed (Noto as its alternative), else Noto (the first 公文 font as alternative)."""
    *official, (noto, _) = candidates
    found = next((name for name, family in official if family in installed or name in installed), None)
    return Font(found, noto) if found else Font(noto, official[0][0])


@cache
def fonts() -> dict[str, Font]:
    """The font of every role, chosen among the fonts installed here."""
    installed = installed_families()
    return {role: choose(candidates, installed) for role, candidates in ROLES.items()}


def installed_families() -> set[str]:
    from matplotlib import font_manager

    return {entry.name for entry in font_manager.fontManager.ttflist}


@dataclass(frozen=True)
class ChartFont:
    family: str
    path: str
    face_index: int


@cache
def chart_font() -> ChartFont:
    """The CJK font for charts, checked to be a real file that has Chinese glyphs; an error when there is none."""
    from matplotlib import font_manager

    for _name, family in CHART:
        found = _find(font_manager, family)
        if found is None and family == NOTO_SANS:
            _register_system_noto(font_manager)  # a font cache built before fonts-noto-cjk was installed
            found = _find(font_manager, family)
        if found is not None and not missing_glyphs(found, CHART_SAMPLE):
            return found
    raise HealthplanError(
        "找不到可绘制中文的字体（需要黑体或 Noto Sans CJK SC，Debian 软件包 fonts-noto-cjk），图表中文会显示为方框",
        "no CJK font for the charts (SimHei or Noto Sans CJK SC from Debian's fonts-noto-cjk): Chinese would be "
        "drawn as boxes")


def _find(font_manager: Any, family: str) -> ChartFont | None:
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    entry = next((e for e in font_manager.fontManager.ttflist if e.name == family and e.fname == str(path)), None)
    if entry is None:
        return None
    return ChartFont(family, str(path), int(getattr(path, "face_index", getattr(entry, "index", 0))))


def _register_system_noto(font_manager: Any) -> None:
    for path in font_manager.findSystemFonts():
        if Path(path).name.startswith(("NotoSansCJK", "NotoSerifCJK")):
            font_manager.fontManager.addfont(path)


def missing_glyphs(font: ChartFont, text: str) -> str:
    """The characters of ``text`` that ``font`` has no glyph for (spaces and line breaks aside)."""
    from matplotlib.ft2font import FT2Font

    face = FT2Font(font.path, face_index=font.face_index) if font.face_index else FT2Font(font.path)
    return "".join(sorted({ch for ch in text if not ch.isspace() and face.get_char_index(ord(ch)) == 0}))
