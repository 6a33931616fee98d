"""The shipped data sets (报表), read once from the packaged ``datasets.yaml``.

The file is checked as a whole — against the core data elements (``data_elements.yaml``) too — so a mistake made
while adding a report is reported as ``datasets.yaml:LINE:KEY`` the first time any data set is asked for.
Shipped data sets use core data elements only: elements a capability package registers at run time exist only
once that package has run, and the foundation does not depend on packages.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from healthplan.domain.datasets import LINE_KEY, DataSet, parse_data_sets
from healthplan.domain.problems import NotFound, Problem, ValidationFailed
from healthplan.store.values import core_data_elements

FILE = "datasets.yaml"


class _LineLoader(yaml.SafeLoader):
    """Remembers the line each mapping starts on, so problems point into the file."""


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_data_sets(text: str, source: str = FILE) -> dict[str, DataSet]:
    """Data sets from YAML text, every problem located at its line; ``ValidationFailed`` if any."""
    try:
        items = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationFailed([Problem(f"YAML 格式错误：{exc}", f"invalid YAML: {exc}", source,
                                        mark.line + 1 if mark is not None else None)]) from None
    if not isinstance(items, list):
        raise ValidationFailed([Problem("文件应为报表列表", "the file must be a list of data sets", source)])
    return parse_data_sets(items, source, {e.code for e in core_data_elements()})


@cache
def data_sets() -> Mapping[str, DataSet]:
    """Every shipped data set by code, in the file's order."""
    text = resources.files("healthplan.store").joinpath(FILE).read_text(encoding="utf-8")
    return MappingProxyType(load_data_sets(text))


@cache
def approval_data_sets() -> Mapping[str, DataSet]:
    """The data sets entered and approved on the site (``approval: true``)."""
    return MappingProxyType({code: ds for code, ds in data_sets().items() if ds.approval})


def get_data_set(code: str) -> DataSet:
    """A data set by its code or one of its aliases."""
    known = data_sets()
    found = known.get(code) or next((ds for ds in known.values() if code in ds.aliases), None)
    if found is None:
        raise NotFound(f"没有报表“{code}”，可选：{', '.join(known)}",
                       f"no data set {code!r}; choose one of {', '.join(known)}")
    return found


def get_approval_data_set(code: str) -> DataSet:
    """A data set the site offers as a form; a template-only one is not found here."""
    found = approval_data_sets().get(code) or next(
        (ds for ds in approval_data_sets().values() if code in ds.aliases), None)
    if found is None:
        if code in data_sets() or any(code in ds.aliases for ds in data_sets().values()):
            raise NotFound(f"报表“{code}”只用于 Excel 模板，不在网页填报和审核",
                           f"data set {code!r} is a template only: not entered or approved on the site")
        raise NotFound(f"没有报表“{code}”，可选：{', '.join(approval_data_sets())}",
                       f"no data set {code!r}; choose one of {', '.join(approval_data_sets())}")
    return found


def approval_data_set_of(element: str) -> DataSet | None:
    """The data set under approval that collects ``element`` (at most one does)."""
    return next((ds for ds in approval_data_sets().values() if element in ds.elements), None)
