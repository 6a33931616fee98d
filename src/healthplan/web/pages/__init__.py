"""The pages (Chinese by default): overview, indicators, registry, data entry and approval, plans, users."""

from __future__ import annotations

from fastapi import APIRouter

from healthplan.web.pages import account, dashboard, data, plans, registry, users

router = APIRouter(include_in_schema=False)
for module in (account, dashboard, registry, data, plans, users):
    router.include_router(module.router)
