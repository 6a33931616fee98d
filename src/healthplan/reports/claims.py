"""Trace the numbers of a sentence back to the results: the check behind "every number comes from the results".

A claim passes when every number written in its sentence lies inside the text of one of its sources, every
source's text appears in the sentence, and each source's text equals the result its pointer names (a string
result verbatim; a number at the precision printed, after the source's scale).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from healthplan.reports.model import Claim, Source

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def resolve(data: object, source: Source) -> object:
    """The result ``source`` points at in ``data`` (a count when it has ``where``)."""
    node = data
    for raw in source.pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            node = node[part]
        elif isinstance(node, list):
            node = node[int(part)]
        else:
            raise KeyError(source.pointer)
    if source.where is None:
        return node
    if not isinstance(node, list):
        raise KeyError(f"{source.pointer} is not a list")
    return sum(1 for item in node if all(str(item.get(k)) == v for k, v in source.where))


def matches(source: Source, result: object) -> bool:
    """Does the printed text say what the result is?"""
    if isinstance(result, str):
        return source.text == result
    if isinstance(result, bool) or not isinstance(result, int | float):
        return False
    numbers = NUMBER.findall(source.text)
    if not numbers:
        return False
    shown = numbers[-1]
    places = len(shown.split(".")[1]) if "." in shown else 0
    return bool(abs(round(float(result) * source.scale, places) - float(shown)) < 10 ** -(places + 3))


def problems(claim: Claim, data: object) -> list[str]:
    """Everything untraceable in ``claim``; empty when each number is accounted for."""
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    for source in claim.sources:
        start = claim.sentence.find(source.text)
        if start < 0:
            found.append(f"“{source.text}” not in the sentence")
            continue
        while start >= 0:
            covered.append((start, start + len(source.text)))
            start = claim.sentence.find(source.text, start + 1)
        try:
            result = resolve(data, source)
        except (KeyError, IndexError, ValueError):
            found.append(f"{source.pointer}: no such result")
            continue
        if not matches(source, result):
            found.append(f"“{source.text}” ≠ {source.pointer} = {result!r}")
    for number in NUMBER.finditer(claim.sentence):
        if not any(a <= number.start() and number.end() <= b for a, b in covered):
            found.append(f"“{number.group()}” has no source")
    return [f"{claim.sentence} — {p}" for p in found]
