"""Fonts of a Chinese government document (GB/T 9704-2012) and the CJK font the charts are drawn with.

Each role lists the 公文 font first and falls back to Debian's Noto CJK (fonts-noto-cjk): a font named in the
.docx is chosen among those installed where the report is generated, since that is all we can know; the charts
must draw every character in a font that has it (no tofu boxes), so they fail loudly when none is installed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from healthplan.domain.problems import HealthplanError

NOTO_SANS = "Noto Sans CJK SC"
NOTO_SERIF = "Noto Serif CJK SC"

# (the name written into the document, the family name font managers know it by)
TITLE = (("方正小标宋简体", "FZXiaoBiaoSong-B05S"), ("方正小标宋_GBK", "FZXiaoBiaoSong-B05"), ("黑体", "SimHei"),
         (NOTO_SANS, NOTO_SANS))
HEADING = (("黑体", "SimHei"), (NOTO_SANS, NOTO_SANS))
SUBHEADING = (("楷体_GB2312", "KaiTi_GB2312"), ("楷体", "KaiTi"), (NOTO_SERIF, NOTO_SERIF))
BODY = (("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong"), (NOTO_SERIF, NOTO_SERIF))
PAGE_NUMBER = (("宋体", "SimSun"), (NOTO_SERIF, NOTO_SERIF))
CHART = (("黑体", "SimHei"), ("微软雅黑", "Microsoft YaHei"), (NOTO_SANS, NOTO_SANS))


@dataclass(frozen=True)
class DocumentFonts:
    title: str
    heading: str
    subheading: str
    body: str
    page_number: str


def _pick(candidates: Iterable[tuple[str, str]], installed: set[str]) -> str:
    options = list(candidates)
    return next((name for name, family in options if family in installed), options[-1][0])


def document_fonts() -> DocumentFonts:
    """The first installed font of each role (the Noto fallback when none is)."""
    installed = _installed_families()
    return DocumentFonts(_pick(TITLE, installed), _pick(HEADING, installed), _pick(SUBHEADING, installed),
                         _pick(BODY, installed), _pick(PAGE_NUMBER, installed))


def _installed_families() -> set[str]:
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
        if found is not None and not missing_glyphs(found, "晋城市县区指标年值"):
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
