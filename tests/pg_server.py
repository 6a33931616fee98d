"""A throw-away PostgreSQL server for the test run: initdb in a temp dir, listening on 127.0.0.1 only.

PostgreSQL refuses to run as root, so under root the server runs as the ``postgres`` system user
(created by Debian's package). Stopped and deleted when the test session ends.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def find_bin_dir() -> Path | None:
    env = os.environ.get("HEALTHPLAN_PG_BIN")
    if env:
        return Path(env)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for path in reversed(candidates):
        if Path(path, "initdb").exists() and Path(path, "pg_ctl").exists():
            return Path(path)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bin_dir: Path
    root: Path
    port: int
    run_as: str | None
    settings: tuple[str, ...] = ()

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return list(args)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def start(self) -> None:
        subprocess.run(self._cmd(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"),
                       check=True, capture_output=True)
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off " + " ".join(f"-c {s}" for s in self.settings)
        subprocess.run(self._cmd(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                                 "-l", str(self.root / "server.log"), "start"), check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(self._cmd(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server(settings: tuple[str, ...] = ()) -> PgServer:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql); "
                           "set HEALTHPLAN_SKIP_POSTGRES=1 to run without them")
    root = Path(tempfile.mkdtemp(prefix="healthplan-pg-"))
    run_as = None
    if os.geteuid() == 0:
        run_as = "postgres"
        shutil.chown(root, run_as, run_as)
        root.chmod(0o700)
    server = PgServer(bin_dir, root, _free_port(), run_as, settings)
    for attempt in range(3):
        try:
            server.start()
            return server
        except subprocess.CalledProcessError as exc:
            if attempt == 2:
                log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
                raise RuntimeError(f"cannot start PostgreSQL: {exc.stderr!r} {log}") from exc
            shutil.rmtree(server.data, ignore_errors=True)
            server.port = _free_port()
            time.sleep(0.5)
    return server
