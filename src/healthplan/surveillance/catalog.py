"""The early-warning configuration as data: sources, diseases with their methods, multi-point rules.

Shipped in ``surveillance/config/`` (``catalog.yaml``, ``rules.yaml``); a CDC edits those files (or passes
its own with ``--config``) rather than code.  Loading validates every method and parameter up front.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from healthplan.domain.problems import HealthplanError, Problem, ValidationFailed
from healthplan.surveillance.methods import RUN_METHODS, Params, parse_params


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    name_en: str
    sentinel: bool


@dataclass(frozen=True)
class Disease:
    """A disease, syndrome or product that a series counts, with the method that watches it."""

    code: str
    name: str
    name_en: str
    kind: str
    method: str
    params: Params
    response_hours: float

    @property
    def fixed_threshold(self) -> bool:
        return self.method == "fixed"


@dataclass(frozen=True)
class Rule:
    """多点触发: at least ``k`` of the (source, disease) pairs signal in one area within ``window_days``."""

    code: str
    name: str
    name_en: str
    k: int
    window_days: int
    level: str
    roll_up: str | None
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Catalog:
    sources: dict[str, Source]
    diseases: dict[str, Disease]
    rules: dict[str, Rule]

    def source(self, text: str) -> Source | None:
        """By code or Chinese name."""
        return self.sources.get(text) or next((s for s in self.sources.values() if s.name == text), None)

    def disease(self, text: str) -> Disease | None:
        return self.diseases.get(text) or next((d for d in self.diseases.values() if d.name == text), None)


def _load_yaml(path: Path | None, default: str) -> Any:
    if path is None:
        text = resources.files("healthplan.surveillance").joinpath("config", default).read_text(encoding="utf-8")
        return yaml.safe_load(text)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise HealthplanError(f"无法读取配置文件 {path}：{exc}", f"cannot read configuration {path}: {exc}") from None


def load_catalog(catalog_file: Path | None = None, rules_file: Path | None = None) -> Catalog:
    """The configuration (shipped files by default); every problem is reported at once."""
    source = str(catalog_file or "catalog.yaml")
    data = _load_yaml(catalog_file, "catalog.yaml")
    problems: list[Problem] = []
    sources = {s["code"]: Source(s["code"], s["name"], s.get("name_en", ""), bool(s.get("sentinel", False)))
               for s in data["sources"]}
    diseases: dict[str, Disease] = {}
    for item in data["diseases"]:
        code = item["code"]
        method = item["method"]
        if method not in RUN_METHODS:
            problems.append(Problem(f"{code}：每日预警不支持方法 {method}", f"{code}: method {method} cannot run daily",
                                    source))
            continue
        try:
            params = parse_params(method, item.get("params") or {})
        except HealthplanError as exc:
            problems.append(Problem(f"{code}：{exc.zh}", f"{code}: {exc.en}", source))
            continue
        diseases[code] = Disease(code, item["name"], item.get("name_en", ""), item.get("kind", "disease"), method,
                                 params, float(item.get("response_hours", 24)))
    rules_data = _load_yaml(rules_file, "rules.yaml")
    rules: dict[str, Rule] = {}
    rules_source = str(rules_file or "rules.yaml")
    for item in rules_data["rules"]:
        pairs = tuple((p["source"], p["disease"]) for p in item["sources"])
        unknown = [f"{s}/{d}" for s, d in pairs if s not in sources or d not in diseases]
        k = int(item["k"])
        if unknown or not 1 <= k <= len(pairs):
            problems.append(Problem(f"规则 {item['code']}：未知来源/病种 {unknown} 或 k 无效",
                                    f"rule {item['code']}: unknown source/disease {unknown} or invalid k",
                                    rules_source))
            continue
        rules[item["code"]] = Rule(item["code"], item["name"], item.get("name_en", ""), k, int(item["window_days"]),
                                   item.get("level", "township"), item.get("roll_up"), pairs)
    if problems:
        raise ValidationFailed(problems)
    return Catalog(sources, diseases, rules)


@cache
def shipped_catalog() -> Catalog:
    return load_catalog()
