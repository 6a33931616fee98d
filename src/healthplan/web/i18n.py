"""Chinese first, English on request: page texts are written in Chinese and looked up in ``messages.yaml``.

The language is the ``hp_lang`` cookie (``zh`` by default, ``en`` when switched); a text without an English
entry stays Chinese, so a missing translation never hides anything.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from fastapi import Request

LANG_COOKIE = "hp_lang"
LANGUAGES = ("zh", "en")


@cache
def _english() -> dict[str, str]:
    text = resources.files("healthplan.web").joinpath("messages.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text) or {}
    return {str(k): str(v) for k, v in loaded.items()}


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "zh"

    @property
    def english(self) -> bool:
        return self.lang == "en"

    def __call__(self, zh: str) -> str:
        return _english().get(zh, zh) if self.english else zh

    def pick(self, zh: str, en: str | None) -> str:
        """A bilingual pair (names of indicators, data sets, messages): English when wanted and given."""
        return en if self.english and en else zh


def language_of(request: Request) -> Translator:
    return Translator(request.cookies.get(LANG_COOKIE, "zh"))
