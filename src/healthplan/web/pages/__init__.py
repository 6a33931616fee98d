"""The pages (Chinese by default): overview, indicators, registry, data entry and approval, plans, users."""

from __future__ import annotations

from fastapi import APIRouter

from healthplan.web.pages import access, account, allocation, dashboard, data, plans, registry, tasks, users

router = APIRouter(include_in_schema=False)
for module in (account, dashboard, registry, data, plans, users, access, allocation, tasks):
    router.include_router(module.router)
