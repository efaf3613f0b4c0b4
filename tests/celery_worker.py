"""A real Celery worker, in its own process, on the real broker, reading the test database.

Tests that use it must be `django_db(transaction=True)`: the worker sees only committed rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from socialpolicy.celery import app as celery_app
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def _database_url_for(name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """Start `celery worker` on a queue of its own and point this process's tasks at that queue."""
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"no Celery broker at {settings.CELERY_BROKER_URL}: {exc}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for(connection.settings_dict["NAME"]),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DB_CONN_MAX_AGE": "0",
    }
    log = open(ROOT / "artifacts" / f"celery-worker-{queue}.log", "w") if (ROOT / "artifacts").is_dir() else None
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "socialpolicy",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            replies = celery_app.control.ping(timeout=0.5, destination=None)
            if any(queue_worker_alive(r) for r in replies) and process.poll() is None:
                break
            if process.poll() is not None:
                pytest.fail("the Celery worker exited during start-up; see artifacts/celery-worker-*.log")
        else:
            pytest.fail("the Celery worker did not answer a ping within 30 seconds")
        yield process
    finally:
        celery_app.conf.task_default_queue = previous_queue
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            log.close()


def queue_worker_alive(reply: dict) -> bool:
    return any(v.get("ok") == "pong" for v in reply.values())
