"""JSON and file answers of the API (plain ``json.dumps``: the data are already JSON-shaped)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from healthplan.web.state import AppState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "json": "application/json"}


def reply(data: object, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def encoded(data: object) -> bytes:
    """The body ``reply`` would send, for answers memoised as bytes (dashboards hit the same ones again)."""
    return bytes(JSONResponse(data).body)


async def memoised_reply(state: AppState, key: tuple[object, ...], compute: Callable[[], bytes]) -> Response:
    """A dashboard answer: from the memo right on the event loop, else computed (and memoised) in a worker
    thread. Keeping the hot path off the thread pool keeps 50 clients from queueing for the GIL."""
    body = state.peek(key)
    if not isinstance(body, bytes):
        body = await run_in_threadpool(state.memo, key, compute)
    return Response(body, media_type="application/json")


def download(content: bytes, filename: str) -> Response:
    """A file download with a UTF-8 file name (Chinese names survive in every browser)."""
    suffix = filename.rsplit(".", 1)[-1]
    disposition = f"attachment; filename=\"download.{suffix}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=MEDIA.get(suffix, "application/octet-stream"),
                    headers={"Content-Disposition": disposition})
