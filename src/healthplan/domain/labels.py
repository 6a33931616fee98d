"""Enums whose values are English codes and whose labels are the Chinese words users see."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

_LABELS: dict[type, dict[str, str]] = {}

E = TypeVar("E", bound="LabelledEnum")


class LabelledEnum(StrEnum):
    """A StrEnum with a Chinese label per member, attached with :func:`labelled`."""

    @property
    def label(self) -> str:
        return _LABELS.get(type(self), {}).get(self.value, self.value)

    @classmethod
    def choices(cls) -> str:
        return ", ".join(f"{m.value}({m.label})" for m in cls)

    @classmethod
    def from_text(cls: type[E], text: str) -> E:
        """Accept the code or the Chinese label (Excel users type labels)."""
        value = text.strip()
        for member in cls:
            if value in (member.value, member.label):
                return member
        raise ValueError(value)


def labelled(labels: dict[str, str]) -> Callable[[type[E]], type[E]]:
    def attach(cls: type[E]) -> type[E]:
        missing = {m.value for m in cls} - labels.keys()
        if missing:
            raise AssertionError(f"{cls.__name__} lacks labels for {sorted(missing)}")
        _LABELS[cls] = labels
        return cls

    return attach
