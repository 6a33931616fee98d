"""Latency of the dashboard APIs under load: 50 concurrent clients on loopback against ``healthplan serve``.

Measures, in one run, over the 晋城 demo region (built into a temporary SQLite file unless ``--database`` names
one that holds it):
1. ``GET /api/plans/jincheng-14th-health-services/overview`` — the overview (19 targets, statuses, series);
2. ``GET /api/indicators/beds_per_1000/values?area=140500`` — the indicator explorer's map and county table;
3. the peer — ``GET /api/me`` under the same load: authentication, the audit-log check and the HTTP stack with
   no computation at all — so the ratio says what the dashboards cost above the server's floor.

Each phase keeps ``--clients`` connections busy (each sends its next request as soon as the last answer came)
for ``--seconds``, with ``wrk`` (Debian package ``wrk``; its own C client leaves the two cores to the server) or,
with ``--client python`` or when wrk is missing, asyncio/httpx clients. The server runs as ``make demo`` runs it: one
uvicorn worker process per core (at most 4), each with its own analytics engine; ``--workers N`` sets the count
(``--workers 1``: the single-process tail, p95 ≈ 0.3–0.5 s on 2 cores).
Goal (issue 3): p95 ≤ 150 ms for the overview and the indicator API at 50 clients on this machine.
Run: ``python -m benchmarks.web.latency [--seconds 15] [--clients 50] [--client wrk|python] [--workers N]
[--database URL]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from healthplan.demo.build import build_demo
from healthplan.store.database import Database
from healthplan.store.users import Role, create_token, create_user, get_user, list_users
from healthplan.web.server import default_workers

PLAN = "jincheng-14th-health-services"
BENCH_USER = "bench_admin"
GOAL_MS = 150.0


#: wrk reports the percentiles itself (milliseconds) through this script.
WRK_SCRIPT = """done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
end
"""


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    p50: float  # milliseconds
    p95: float
    p99: float
    mean: float

    @classmethod
    def of(cls, name: str, latencies: list[float], errors: int, seconds: float) -> Result:
        ordered = sorted(latencies) or [float("nan")]

        def pick(p: float) -> float:
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

        return cls(name, len(latencies), errors, seconds, pick(50), pick(95), pick(99),
                   statistics.fmean(ordered) * 1000)

    def line(self) -> str:
        return (f"{self.name:<40} n={self.requests:>6}  {self.requests / self.seconds:7.1f} req/s  p50 {self.p50:7.1f} ms"
                f"  p95 {self.p95:7.1f} ms  p99 {self.p99:7.1f} ms  mean {self.mean:7.1f} ms  errors {self.errors}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(database: Database, build: bool) -> str:
    """The demo (if asked) and an admin token for the load clients."""
    if build:
        print("构建晋城示范数据 / building the 晋城 demo …", flush=True)
        build_demo(database, "bench", regions=("jincheng",))
    with database.transaction() as session:
        if BENCH_USER not in {u.username for u in list_users(session)}:
            create_user(session, BENCH_USER, os.urandom(12).hex(), Role.ADMIN, "140500", "bench")
        return create_token(session, get_user(session, BENCH_USER), "benchmark", "bench")[1]


def _wrk(url: str, token: str, clients: int, seconds: float, name: str, folder: Path) -> Result:
    script = folder / "percentiles.lua"
    script.write_text(WRK_SCRIPT)
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s", "-s", str(script),
                          "-H", f"Authorization: Bearer {token}", url], capture_output=True, text=True, check=True)
    fields = next(line for line in out.stdout.splitlines() if line.startswith("RESULT")).split()[1:]
    requests, errors = int(fields[0]), int(fields[1])
    p50, p95, p99, mean = (float(f) for f in fields[2:])
    return Result(name, requests - errors, errors, seconds, p50, p95, p99, mean)


async def _load(url: str, token: str, clients: int, seconds: float, name: str) -> Result:
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as http:
        stop = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = await http.get(url)
                elapsed = time.perf_counter() - start
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return Result.of(name, latencies, errors, time.perf_counter() - began)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database", help="a database that already holds the 晋城 demo")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="server worker processes (healthplan serve --workers; default as serve: one per core)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="healthplan-bench-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'demo.db'}"
        database = Database(url)
        token = prepare(database, build=args.database is None)
        database.dispose()
        port = _free_port()
        env = {**os.environ, "HEALTHPLAN_DATA_DIR": folder}
        server = subprocess.Popen([sys.executable, "-m", "healthplan.cli", "--database", url, "serve", "--port",
                                   str(port), "--workers", str(args.workers)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.3)
            phases = [("overview  /api/plans/…/overview", f"{base}/api/plans/{PLAN}/overview?year=2024"),
                      ("indicator /api/indicators/…/values", f"{base}/api/indicators/beds_per_1000/values"
                                                            "?area=140500&year=2024"),
                      ("peer      /api/me (auth + HTTP floor)", f"{base}/api/me")]
            for _name, target in phases:  # warm-up: the first answers fill each worker's memo
                for _ in range(4 * args.workers):
                    httpx.get(target, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            print(f"{args.clients} 个并发客户端，每阶段 {args.seconds:g} 秒 / {args.clients} concurrent clients, "
                  f"{args.seconds:g} s per phase, client {args.client}, {args.workers} server process(es), loopback")
            if args.client == "wrk":
                results = [_wrk(target, token, args.clients, args.seconds, name, Path(folder))
                           for name, target in phases]
            else:
                results = [asyncio.run(_load(target, token, args.clients, args.seconds, name))
                           for name, target in phases]
        finally:
            server.terminate()
            server.wait(timeout=30)
    for result in results:
        print(result.line())
    peer = results[2].p95
    verdicts = []
    for result in results[:2]:
        p95 = result.p95
        verdicts.append(p95 <= GOAL_MS)
        print(f"{result.name.split()[0]}: p95 / goal {GOAL_MS:g} ms = {p95 / GOAL_MS:.2f}; "
              f"p95 / peer p95 = {p95 / peer:.2f}")
    print("目标达成 / goal met" if all(verdicts) else "未达目标 / goal missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
