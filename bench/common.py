"""What every benchmark script shares: scratch databases, the environment of a child process, machine facts
and the artifact each script writes (artifacts/bench/<name>.json with {"title", "markdown"}).

Scratch databases are named `bench_scratch_<checkout>_*` and live on the PostgreSQL server of DATABASE_URL;
the development database (DATABASE_URL's own) and the test database (TEST_DATABASE_NAME) are never touched.
<checkout> is the name of the checkout's directory (or BENCH_SCRATCH_TAG): engineers working in several
worktrees share one server, and one run's drops must not hit another's databases.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "bench"
PYTHON = sys.executable


def _checkout() -> str:
    name = os.environ.get("BENCH_SCRATCH_TAG") or ROOT.name
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:20] or "main"


SCRATCH_PREFIX = f"bench_scratch_{_checkout()}_"
TEMPLATE = f"{SCRATCH_PREFIX}template"


def base_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmarks need DATABASE_URL pointing at a PostgreSQL server (it is not used itself).")
    return url


def url_for(name: str) -> str:
    parts = urlsplit(base_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def protected_names() -> set[str]:
    names = {urlsplit(base_url()).path.lstrip("/"), "postgres", "template0", "template1"}
    test = os.environ.get("TEST_DATABASE_NAME")
    if test:
        names.add(test)
    names.add("test_" + urlsplit(base_url()).path.lstrip("/"))
    return names


def _admin():
    import psycopg2

    conn = psycopg2.connect(url_for("postgres"))
    conn.autocommit = True
    return conn


def _check_scratch(name: str) -> None:
    if not name.startswith(SCRATCH_PREFIX) or name in protected_names():
        raise SystemExit(f"Refusing to touch {name!r}: benchmarks only create and drop {SCRATCH_PREFIX}* databases.")


def database_exists(name: str) -> bool:
    with closing(_admin()) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cur.fetchone() is not None


def drop_database(name: str) -> None:
    _check_scratch(name)
    with closing(_admin()) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(database: str, **extra: str) -> dict[str, str]:
    """The environment of a child process that runs Django against a scratch database, settings as in
    production (DEBUG off) except for HTTPS, which the test client does not speak."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url_for(database),
        DJANGO_SETTINGS_MODULE="socialpolicy.settings",
        DEBUG="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789"),
        ALLOWED_HOSTS="testserver,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        STATIC_MANIFEST="false",
        FAST_PASSWORD_HASHER="true",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def ensure_template(log=print) -> None:
    """A migrated, empty database that scratch databases are cloned from (migrating takes a while)."""
    with closing(_admin()) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE])
        if cur.fetchone():
            return
        cur.execute(f'CREATE DATABASE "{TEMPLATE}"')
    log(f"migrating {TEMPLATE} ...")
    started = time.monotonic()
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=child_env(TEMPLATE), check=True, timeout=900
        )
    except BaseException:
        drop_database(TEMPLATE)
        raise
    log(f"  migrated in {time.monotonic() - started:.0f}s")


def create_scratch(name: str) -> str:
    """A fresh scratch database cloned from the migrated template; returns its name."""
    name = f"{SCRATCH_PREFIX}{name}"
    _check_scratch(name)
    ensure_template()
    drop_database(name)
    with closing(_admin()) as conn, conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    return name


def run_django(database: str, args: list[str], *, timeout: float = 3600, **extra_env) -> str:
    """Run a Python script or manage.py command against a scratch database; return its stdout."""
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=child_env(database, **extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{' '.join(args[:2])} failed with exit code {result.returncode}")
    return result.stdout


def generate(database: str, **sizes) -> tuple[float, str]:
    started = time.monotonic()
    args = ["manage.py", "generate_scale_data"]
    for key, value in sizes.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    out = run_django(database, args)
    return time.monotonic() - started, out


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_artifact(name: str, title: str, markdown: str, **data) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps({"title": title, "markdown": markdown, **data}, indent=2, default=str))
    return path


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    pg = "unknown"
    try:
        with closing(_admin()) as conn, conn.cursor() as cur:
            cur.execute("SHOW server_version")
            pg = cur.fetchone()[0]
    except Exception:  # noqa: BLE001, S110 - the report then says unknown
        pass
    load = "unknown"
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "postgresql": pg,
        "python": platform.python_version(),
        "load": load,
    }


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
