"""The errors a web request ends with, and the HTTP status each one means.

They are :class:`HealthplanError` s, so every message is bilingual; pages show them, the API sends them as
``{"error": {"zh": …, "en": …, "problems": […]}}``.
"""

from __future__ import annotations

from healthplan.domain.problems import HealthplanError, NotFound, ValidationFailed


class Unauthenticated(HealthplanError):
    """No valid session or token (HTTP 401; pages redirect to the login form)."""

    def __init__(self) -> None:
        super().__init__("请先登录", "please log in")


class Forbidden(HealthplanError):
    """The user may not see or do this (HTTP 403)."""


class Conflict(HealthplanError):
    """The data are locked or the state changed meanwhile (HTTP 409)."""


class RateLimited(HealthplanError):
    """Too many failed logins (HTTP 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"登录失败次数过多，请 {retry_after // 60 + 1} 分钟后再试",
                         f"too many failed logins; try again in {retry_after // 60 + 1} minutes")
        self.retry_after = retry_after


def status_of(exc: HealthplanError) -> int:
    for kind, status in ((Unauthenticated, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
                         (ValidationFailed, 422), (RateLimited, 429)):
        if isinstance(exc, kind):
            return status
    return 400


def error_json(exc: HealthplanError) -> dict[str, object]:
    problems = [p.to_json() for p in exc.problems] if isinstance(exc, ValidationFailed) else []
    return {"error": {"zh": exc.zh, "en": exc.en, "status": status_of(exc), "problems": problems}}
