"""Chinese numerals as documents number their parts: 一、二 … 十一 (groups), （一）(sub-parts), up to 九百九十九."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def to_chinese(number: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 110 → 一百一十 (1–999)."""
    if not 1 <= number <= 999:
        raise ValueError(number)
    hundreds, rest = divmod(number, 100)
    if not hundreds:
        return _below_hundred(rest)
    head = DIGITS[hundreds] + "百"
    if not rest:
        return head
    if rest < 10:
        return head + "零" + DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return head + DIGITS[tens] + "十" + (DIGITS[ones] if ones else "")


def _below_hundred(number: int) -> str:
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def from_chinese(text: str) -> int | None:
    """The inverse of :func:`to_chinese`; None when ``text`` is not such a numeral."""
    if not text or any(ch not in DIGITS + "十百" for ch in text):
        return None
    if "百" not in text:
        return _read_below_hundred(text)
    head, _, tail = text.partition("百")
    if len(head) != 1 or head not in DIGITS[1:]:
        return None
    hundreds = DIGITS.index(head) * 100
    if not tail:
        return hundreds
    if tail[0] == "零":
        return hundreds + DIGITS.index(tail[1]) if len(tail) == 2 and tail[1] in DIGITS[1:] else None
    rest = _read_below_hundred(tail) if tail[0] != "十" else None  # 一百一十, never 一百十
    return hundreds + rest if rest is not None and rest >= 10 else None


def _read_below_hundred(text: str) -> int | None:
    if "零" in text or text.count("十") > 1:
        return None
    if "十" not in text:
        return DIGITS.index(text) if len(text) == 1 else None
    head, _, tail = text.partition("十")
    if len(head) > 1 or len(tail) > 1:
        return None
    return (DIGITS.index(head) if head else 1) * 10 + (DIGITS.index(tail) if tail else 0)
