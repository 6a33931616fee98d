"""Names as task lists write them. Split a cell naming several units or people: ``区医改办、各相关成员单位``, ``李京丽 张云霞``, one per line.

Chinese documents pad two-character names to the width of three (``陈　静``): single characters standing next to
each other are one name, so ``李华兵 秦 晓`` is 李华兵 and 秦晓.
"""

from __future__ import annotations

import re

from healthplan.store.tasks import Task

_SEPARATORS = re.compile(r"[、，,；;/／\n\r]+")


def split_names(text: str) -> tuple[str, ...]:
    """The names in ``text``, in order, each once."""
    names: list[str] = []
    for part in _SEPARATORS.split(text.replace("\u3000", " ")):
        run: list[str] = []
        for token in part.split():
            if len(token) == 1:
                run.append(token)
                continue
            if run:
                names.append("".join(run))
                run = []
            names.append(token)
        if run:
            names.append("".join(run))
    return tuple(dict.fromkeys(n for n in names if n))


def join_names(names: tuple[str, ...]) -> str:
    return "、".join(names)


def group_label(task: Task) -> str:
    """``一、健全完善高效推进机制`` (the numeral alone when the group has no name)."""
    if not task.group_code:
        return task.group_name
    return f"{task.group_code}、{task.group_name}" if task.group_name else task.group_code
