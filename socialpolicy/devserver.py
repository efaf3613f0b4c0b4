"""`make run`: embedded services, migrations, demo data, then the web server, a worker and beat.

Ctrl-C stops the children first, then Redis and PostgreSQL (their atexit hooks).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from socialpolicy.localservices import BASE_DIR, DATA_DIR, ensure_all


def _manage(*args: str) -> None:
    subprocess.check_call([sys.executable, "manage.py", *args], cwd=BASE_DIR)


def main() -> int:
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialpolicy.settings")
    ensure_all()
    print(f"PostgreSQL: {os.environ['DATABASE_URL']}\nRedis:      {os.environ['REDIS_URL']}", flush=True)
    _manage("migrate", "--noinput")
    _manage("seed_demo", "--if-empty")
    DATA_DIR.mkdir(exist_ok=True)
    children = [
        subprocess.Popen([sys.executable, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"], cwd=BASE_DIR),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "socialpolicy",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            cwd=BASE_DIR,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "socialpolicy",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(DATA_DIR / "celerybeat-schedule"),
            ],
            cwd=BASE_DIR,
        ),
    ]
    print("\nsocialpolicy is running at http://127.0.0.1:8000 — press Ctrl-C to stop.\n", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        print("Stopped the web server, worker and beat; stopping Redis and PostgreSQL.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
