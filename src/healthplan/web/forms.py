"""HTML form fields → the API's pydantic models, so pages and API validate alike; errors become located
problems (``表单:字段``) instead of an exception page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from healthplan.domain.problems import Problem, ValidationFailed

M = TypeVar("M", bound=BaseModel)


def parse_form(model: type[M], fields: Mapping[str, object], blank_is_missing: bool = True) -> M:
    """Validate ``fields`` as ``model``; an empty text field counts as not given."""
    data = {k: v for k, v in fields.items() if not (blank_is_missing and isinstance(v, str) and not v.strip())}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error.get("loc", ())) or "表单"
            problems.append(Problem(f"{field}：{error.get('msg', '无效')}", f"{field}: {error.get('msg', 'invalid')}",
                                    "表单", None, field))
        raise ValidationFailed(problems) from None
