"""Running the site: the data directory, the session secret made on first start, and uvicorn.

No secret is ever in the repository: the secret that signs CSRF tokens is generated on first start into the
data directory (``HEALTHPLAN_DATA_DIR``, else next to the SQLite file, else ``~/.local/share/healthplan``).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import make_url

from healthplan.store.database import ENV_URL, Database
from healthplan.store.users import list_users

SECRET_FILE = "web-secret.key"
DEMO_LOGIN_FILE = "demo-login.json"


def data_dir(database: Database) -> Path:
    configured = os.environ.get("HEALTHPLAN_DATA_DIR")
    if configured:
        return Path(configured)
    parsed = make_url(database.url)
    if database.is_sqlite and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database).resolve().parent
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "healthplan"


def _private_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def session_secret(folder: Path) -> bytes:
    """The site's secret, generated (readable by the owner only) when it does not exist yet."""
    path = folder / SECRET_FILE
    if not path.exists():
        _private_write(path, secrets.token_bytes(32).hex().encode())
    return bytes.fromhex(path.read_text().strip())


def write_demo_login(folder: Path, database: Database, password: str, users: list[dict[str, str]]) -> None:
    payload = {"database": database.display_url, "password": password, "users": users}
    _private_write(folder / DEMO_LOGIN_FILE, json.dumps(payload, ensure_ascii=False, indent=2).encode())


def read_demo_login(folder: Path, database: Database) -> dict[str, object] | None:
    """The demo's logins, when the demo was built into this very database."""
    path = folder / DEMO_LOGIN_FILE
    if not path.exists():
        return None
    payload = json.loads(path.read_text(encoding="utf-8"))
    return payload if isinstance(payload, dict) and payload.get("database") == database.display_url else None


def worker_app() -> FastAPI:
    """The app of one of several worker processes (``serve --workers N``): each has its own engine."""
    from healthplan.web.app import create_app

    database = Database(os.environ[ENV_URL])
    return create_app(database, session_secret(data_dir(database)), serving=True)


def default_workers() -> int:
    """One worker process per core, at most 4. Why: one Python process serves 50 concurrent clients with a long
    tail (p95 ≈ 0.3–0.5 s on 2 cores, GIL-bound); two share the load at p95 ≈ 45 ms (benchmarks/web)."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def serve(database: Database, host: str, port: int, workers: int = 1) -> None:
    """Run the site in the foreground, saying where it is and, for the demo database, how to log in."""
    import uvicorn

    from healthplan.clikit import console
    from healthplan.web.app import create_app

    folder = data_dir(database)
    secret = session_secret(folder)
    shown = f"[{host}]" if ":" in host else host
    console.print(f"[bold green]healthplan 网站 / web site[/]: http://{shown}:{port}/   （Ctrl-C 停止 / to stop）")
    console.print(f"数据库 / database: {database.display_url}")
    demo = read_demo_login(folder, database)
    with database.sessions() as session:
        nobody = not list_users(session)
    if nobody:
        console.print("还没有网站用户，请先创建 / no users yet: healthplan users add NAME --role admin --scope CODE")
    if demo is not None:
        console.print(f"示范账号 / demo logins（口令 / password: [bold]{demo['password']}[/]）:")
        for user in demo["users"]:  # type: ignore[attr-defined]
            console.print(f"  {user['username']:<12} {user['role']:<8} {user['scope']}")
    if workers > 1:  # the workers find the database and the data directory in their environment
        os.environ[ENV_URL] = database.url
        os.environ["HEALTHPLAN_DATA_DIR"] = str(folder)
        uvicorn.run("healthplan.web.server:worker_app", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", server_header=False)
    else:
        uvicorn.run(create_app(database, secret, serving=True), host=host, port=port, log_level="warning",
                    server_header=False)
