"""Request dependencies shared by the JSON API and the pages: the synced app state and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from healthplan.web.auth import Principal, app_state, require_principal
from healthplan.web.permissions import DOWNLOAD, require_role
from healthplan.web.state import AppState


async def ready(request: Request) -> AppState:
    """The app state, caught up with the writes so far (checked in a worker thread unless just checked)."""
    state = app_state(request)
    if not state.is_fresh():
        await run_in_threadpool(state.sync)
    return state


async def downloader(principal: Annotated[Principal, Depends(require_principal)]) -> Principal:
    require_role(principal.user, DOWNLOAD)
    return principal


State = Annotated[AppState, Depends(ready)]
Caller = Annotated[Principal, Depends(require_principal)]
Downloader = Annotated[Principal, Depends(downloader)]
