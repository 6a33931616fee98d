"""The JSON API under ``/api`` (OpenAPI at ``/api/docs``): everything the pages do, for scripts with a token."""

from __future__ import annotations

from fastapi import APIRouter

from healthplan.web.api import (
    access,
    allocation,
    data,
    indicators,
    orgunits,
    plans,
    registry,
    session,
    tasks,
    users,
)

router = APIRouter(prefix="/api")
for module in (session, users, orgunits, indicators, plans, registry, data, access, allocation, tasks):
    router.include_router(module.router)
