"""Office Open XML packages (.xlsx, .docx) made reproducible: the same content gives the same bytes.

Writers stamp the save time into every zip entry and into docProps/core.xml; both are pinned here, and a part
may be edited on the way (the .docx font table gets its fallback fonts this way).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from xml.sax.saxutils import escape, quoteattr

FIXED_TIME = dt.datetime(2023, 1, 1)


def pin(data: bytes, edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same package with fixed timestamps and ``edits`` (part name → new content) applied."""
    changes = dict(edits or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _pin_times(content)
            if info.filename in changes:
                content = changes.pop(info.filename)(content)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    if changes:
        raise KeyError(f"no part {sorted(changes)} in the package")
    return out.getvalue()


def _pin_times(core: bytes) -> bytes:
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)",
                  rb"\g<1>" + stamp + rb"\g<2>", core)


def declare_alternatives(alternatives: Mapping[str, str]) -> Callable[[bytes], bytes]:
    """An edit of ``word/fontTable.xml`` declaring each font (name → alternative) with its ``w:altName``."""

    def edit(font_table: bytes) -> bytes:
        entries = "".join(
            f'<w:font w:name="{escape(name)}"><w:altName w:val="{escape(alternative)}"/><w:charset w:val="86"/>'
            f'<w:pitch w:val="variable"/></w:font>' for name, alternative in alternatives.items()
            if f"w:name={quoteattr(name)}".encode() not in font_table)
        return re.sub(rb"</w:fonts>\s*$", entries.encode() + b"</w:fonts>", font_table)

    return edit
