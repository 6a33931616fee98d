"""The FastAPI application: JSON API under ``/api``, pages, vendored static files, error handling.

``create_app`` builds one app over one database; ``healthplan serve`` runs it with uvicorn. The app keeps one
analytics engine (``AppState``) for its whole life and loads it at start-up.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from healthplan import __version__
from healthplan.domain.problems import HealthplanError
from healthplan.store.database import Database
from healthplan.web import api, pages
from healthplan.web.auth import check_csrf
from healthplan.web.errors import RateLimited, Unauthenticated, error_json, status_of
from healthplan.web.explorer import plans
from healthplan.web.headers import SecurityHeaders
from healthplan.web.state import AppState
from healthplan.web.templating import render

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """区域卫生规划监测评估平台的 JSON 接口。脚本请用 API 令牌：`Authorization: Bearer hp_…`
（在“账户”页面或 `healthplan users token` 生成）。浏览器会话写操作须带 `X-CSRF-Token` 头。

The healthplan JSON API. Scripts authenticate with an API token (`Authorization: Bearer hp_…`, made on the
account page or with `healthplan users token`); cookie-session writes must send the `X-CSRF-Token` header.
Unapproved data of other areas are never returned: a single number answers 403, lists mark it `withheld`."""


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _on_healthplan_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HealthplanError)
    status = status_of(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if _is_api(request):
        return JSONResponse(error_json(exc), status_code=status, headers=headers)
    if isinstance(exc, Unauthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    template = "_error.html" if request.headers.get("hx-request") else "error.html"
    return await run_in_threadpool(render, request, template, {"error": exc, "status": status}, status)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    error = HealthplanError("找不到页面" if exc.status_code == 404 else "请求无效",
                            str(exc.detail) if exc.detail else "error")
    if _is_api(request):
        body = {"error": {"zh": error.zh, "en": error.en, "status": exc.status_code, "problems": []}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return await run_in_threadpool(render, request, "error.html", {"error": error, "status": exc.status_code},
                                   exc.status_code)


async def _on_invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()]
    if _is_api(request):
        body = {"error": {"zh": "请求参数无效", "en": "invalid request", "status": 422, "problems": [],
                          "detail": details}}
        return JSONResponse(body, status_code=422)
    error = HealthplanError("请求参数无效：" + "；".join(details), "invalid request: " + "; ".join(details))
    return await run_in_threadpool(render, request, "error.html", {"error": error, "status": 422}, 422)


def warm_up(state: AppState) -> None:
    """Evaluate every plan for its newest year before the first visitor asks (seconds, once per process)."""
    years = state.years()
    for plan in plans(state):
        chosen = [y for y in years if plan.base_year <= y <= plan.target_year]
        if chosen:
            state.evaluation(plan.code, chosen[-1])


def create_app(database: Database, secret: bytes, serving: bool = False) -> FastAPI:
    """The app; ``serving`` (a process that only serves it) also exempts what start-up loaded from garbage
    collection, which shortens the pauses of full collections under load."""
    state = AppState(database, secret)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.sync)
        if serving:
            await run_in_threadpool(warm_up, state)
            gc.freeze()
        yield
        state.analytics.close()

    app = FastAPI(title="healthplan API", version=__version__, description=DESCRIPTION, docs_url=None,
                  redoc_url=None, openapi_url="/api/openapi.json", lifespan=lifespan,
                  dependencies=[Depends(check_csrf)])
    app.state.healthplan = state
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(HealthplanError, _on_healthplan_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
    app.add_middleware(SecurityHeaders)

    def openapi() -> dict[str, Any]:
        """The generated schema, plus the bearer scheme scripts use (Swagger UI then offers "Authorize")."""
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {})["securitySchemes"] = {
                "token": {"type": "http", "scheme": "bearer", "description": "API 令牌 / API token (hp_…)"}}
            schema["security"] = [{"token": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> Response:
        return render(request, "api_docs.html", {})

    return app
