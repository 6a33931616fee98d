"""Reading JSON and YAML documents whose errors are located: syntax by ``file:line:column``, content by JSON path.

A problem inside a document is reported as ``file.json:$.dataValues[3].value: 中文 / English`` — the path a user
can follow in any JSON viewer (and ``jq``) to the offending field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from healthplan.domain.problems import Problem, ValidationFailed


def json_path(*parts: str | int) -> str:
    """``json_path("entry", 3, "resource", "name")`` → ``$.entry[3].resource.name``."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def at_path(source: str, path: str, zh: str, en: str) -> Problem:
    return Problem(zh, en, f"{source}:{path}")


def _text(path: Path) -> str:
    if not path.exists():
        raise ValidationFailed([Problem(f"文件不存在：{path}", f"file not found: {path}", str(path))])
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed([Problem("文件编码无法识别（应为 UTF-8）", "unknown encoding (expected UTF-8)", path.name)])


def load_json(path: Path) -> Any:
    try:
        return json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise ValidationFailed([Problem(f"JSON 格式错误：{exc.msg}", f"malformed JSON: {exc.msg}", path.name,
                                        exc.lineno, exc.colno)]) from None


def load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(_text(path))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ValidationFailed([Problem(f"YAML 格式错误：{exc.problem}", f"malformed YAML: {exc.problem}", path.name,
                                        mark.line + 1 if mark else None, mark.column + 1 if mark else None)]
                               ) from None
    except yaml.YAMLError as exc:
        raise ValidationFailed([Problem(f"YAML 格式错误：{exc}", f"malformed YAML: {exc}", path.name)]) from None


def raise_if(problems: Iterable[Problem]) -> None:
    found = list(problems)
    if found:
        raise ValidationFailed(found)


def conflicts_json(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Problems in the shape of DHIS2's import conflicts: ``object`` = where, ``value`` = why."""
    return [{"object": p.located(), "value": f"{p.zh} / {p.en}"} for p in problems]
