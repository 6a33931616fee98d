"""The JSON API under ``/api`` (OpenAPI at ``/api/docs``): everything the pages do, for scripts with a token."""

from __future__ import annotations

from fastapi import APIRouter

from healthplan.web.api import data, indicators, orgunits, plans, registry, session, users

router = APIRouter(prefix="/api")
for module in (session, users, orgunits, indicators, plans, registry, data):
    router.include_router(module.router)
