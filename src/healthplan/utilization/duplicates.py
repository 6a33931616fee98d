"""Duplicate encounter ids across a whole file, in bounded memory: a hash pass, then an exact pass.

The first pass keeps one 64-bit hash per row (8 bytes, so 10⁸ rows fit in 800 MB) and finds the hashes seen more
than once. The second pass looks only at rows with such a hash and compares the ids themselves, so a hash
collision never rejects a row: the first row with an id keeps it, every later row with the same id is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class Hasher:
    """64-bit hashes of strings, computed by an in-process DuckDB (vectorised, native code)."""

    def __init__(self) -> None:
        self.connection = ibis.duckdb.connect()

    def __call__(self, values: Any) -> Any:
        table = ibis.memtable(pa.table({"v": pc.cast(values, pa.string())}))
        return self.connection.to_pyarrow(table.select(h=table.v.hash()))["h"].to_numpy()


def repeated(hash_chunks: Iterable[Any]) -> Any:
    """The hashes that occur more than once (sorted)."""
    chunks = list(hash_chunks)
    if not chunks:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(np.concatenate(chunks))
    return np.unique(ordered[1:][ordered[1:] == ordered[:-1]])


class FirstOccurrence:
    """Second pass: remembers the first row of every id whose hash repeats; later rows are duplicates."""

    def __init__(self, candidates: Any, hasher: Hasher) -> None:
        self.candidates = candidates
        self.hasher = hasher
        self.first_row: dict[str, tuple[str, int]] = {}

    def check(self, ids: Any, source: str, first_row: int) -> tuple[Any, dict[int, tuple[str, int]]]:
        """(duplicate mask, batch index → (file, row) that has the id first) for one batch in file order."""
        mask = np.zeros(len(ids), dtype=bool)
        earlier: dict[int, tuple[str, int]] = {}
        if len(self.candidates) == 0:
            return mask, earlier
        suspects = np.flatnonzero(np.isin(self.hasher(ids), self.candidates))
        texts = pc.take(ids, pa.array(suspects)).to_pylist()
        for index, text in zip(suspects.tolist(), texts, strict=True):
            if text is None:
                continue
            here = (source, first_row + index)
            first = self.first_row.setdefault(text, here)
            if first != here:
                mask[index] = True
                earlier[index] = first
        return mask, earlier
