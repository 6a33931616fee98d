"""Uploaded files: kept under their own (cleaned) name in a private temporary folder while they are read, so
the importers' problems point at ``报表.xlsx:5:3`` rather than at a random temporary name."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def safe_filename(filename: str | None, default: str = "upload.xlsx") -> str:
    name = Path(filename or default).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", name)[:120] or default


@contextmanager
def saved(filename: str | None, content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="healthplan-upload-") as folder:
        path = Path(folder) / safe_filename(filename)
        path.write_bytes(content)
        yield path
