"""Naming a font in WordprocessingML so that Word and LibreOffice both use it.

Chinese text takes the role's font (``w:eastAsia``); Latin letters and digits take Times New Roman, as in 公文.
Theme fonts are removed, because a theme font wins over a named one.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from healthplan.govdoc.typeface import WESTERN

THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(element: Any, name: str) -> None:
    """Name ``name`` for the East Asian text of a run or style (``element`` has ``get_or_add_rPr``)."""
    name_fonts(element.get_or_add_rPr().get_or_add_rFonts(), name)


def name_fonts(fonts: Any, name: str) -> None:
    """Set a ``w:rFonts`` element: ``name`` for East Asian text, Times New Roman for the rest, no theme."""
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), WESTERN)
    fonts.set(qn("w:eastAsia"), name)


def remove_theme_fonts(styles: Any, default: str) -> None:
    """Every ``w:rFonts`` of the styles part that names a theme font gets named fonts instead."""
    for element in styles.iter(qn("w:rFonts")):
        if any(element.get(qn(a)) is not None for a in THEME_ATTRIBUTES):
            name_fonts(element, element.get(qn("w:eastAsia")) or default)
