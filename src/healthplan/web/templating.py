"""Server-rendered pages (Jinja2): every template gets the translator, the user and the CSRF token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from healthplan.store.users import Role
from healthplan.web.auth import app_state, csrf_token, current_principal
from healthplan.web.i18n import language_of

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES))


def _json_attr(value: object) -> Markup:
    """JSON for a data-* attribute (escaped for HTML; the page's script reads it with JSON.parse)."""
    return escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _number(value: float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:,.{places}f}".rstrip("0").rstrip(".") if places else f"{value:,.0f}"


templates.env.filters["jsonattr"] = _json_attr
templates.env.filters["num"] = _number


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    principal = current_principal(request)
    state = app_state(request)
    if not state.is_fresh():
        state.sync()
    t = language_of(request)
    user = principal.user if principal else None
    base = {"t": t, "user": user, "csrf": csrf_token(state, principal) if principal else "",
            "scope_name": state.tree.label(user.scope) if user else "", "path": request.url.path,
            "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "is_admin": user is not None and user.role is Role.ADMIN, "names": state.tree.name}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
