"""Settings a production host relies on: who hears of errors, the one language, the queue's timeout."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from people.models import SubjectAccessRequest
from tests.clock import today

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_a_fresh_process(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"ADMINS", "SERVER_EMAIL"}}
    environ.update(env)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_admins_and_server_email_come_from_the_environment():
    out = _settings_in_a_fresh_process(
        "print(settings.ADMINS); print(settings.SERVER_EMAIL)",
        ADMINS="IT Service Desk <it@example.org>, dpo@example.org",
        SERVER_EMAIL="socialpolicy@example.org",
    )
    assert out.splitlines() == [
        "[('IT Service Desk', 'it@example.org'), ('dpo@example.org', 'dpo@example.org')]",
        "socialpolicy@example.org",
    ]


def test_a_broken_audit_trail_reaches_the_admins(db, settings, mailoutbox):
    from audit.services import ChainReport
    from audit.tasks import verify_audit_chain

    settings.ADMINS = [("IT", "it@example.org")]
    from unittest import mock

    with mock.patch("audit.tasks.audit_chain_verify", return_value=ChainReport(checked=3, broken_at=2, reason="x")):
        verify_audit_chain.apply().get()
    assert [m.to for m in mailoutbox] == [["it@example.org"]]


def test_the_deploy_check_warns_when_nobody_would_hear_of_errors(settings):
    from operations.checks import admins_are_set

    settings.ADMINS = []
    assert [w.id for w in admins_are_set(None)] == ["operations.W001"]
    settings.ADMINS = [("IT", "it@example.org")]
    assert admins_are_set(None) == []


def test_the_queue_hands_a_task_on_only_after_the_longest_task_could_have_finished():
    from operations.checks import queue_outlives_the_longest_task
    from operations.tasks_limits import longest_time_limit
    from socialpolicy.celery import app

    app.loader.import_default_modules()
    purge = app.tasks["monitoring.tasks.purge_expired_monitoring_data"]
    assert longest_time_limit() >= purge.time_limit
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > longest_time_limit()
    assert queue_outlives_the_longest_task(None) == []


def _an_ambiguous_recent_day() -> dt.date:
    """A recent day whose day and month could be swapped (e.g. 4 May, 04/05): day first or month first matters."""
    day = today() - dt.timedelta(days=1)
    while not (day.day <= 12 and day.day != day.month):
        day -= dt.timedelta(days=1)
    return day


@pytest.mark.django_db
@pytest.mark.parametrize("browser_language", ["en-US,en;q=0.8", "cy", "fr-FR"])
def test_pages_are_british_english_and_dates_day_first_whatever_the_browser_asks(client_for, browser_language):
    client = client_for("hr")
    page = client.get("/people/subject-access/", HTTP_ACCEPT_LANGUAGE=browser_language)
    assert page["Content-Language"] == "en-gb"

    received = _an_ambiguous_recent_day()
    employee = SubjectAccessRequest._meta.get_field("employee").related_model.objects.get(username="employee")
    response = client.post(
        "/people/subject-access/",
        {"employee": employee.pk, "received_on": received.strftime("%d/%m/%Y"), "notes": ""},
        HTTP_ACCEPT_LANGUAGE=browser_language,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SubjectAccessRequest.objects.latest("pk").received_on == received


@pytest.mark.django_db
def test_django_messages_stay_in_english_for_a_welsh_browser(client):
    page = client.post("/accounts/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="cy")
    assert "This field is required." in page.content.decode()


def test_evidence_can_go_to_an_s3_bucket_shared_by_every_host():
    out = _settings_in_a_fresh_process(
        "d = settings.STORAGES['default']; o = d['OPTIONS']; print(d['BACKEND'], o['bucket_name'], o['default_acl'])",
        EVIDENCE_STORAGE="s3",
        S3_BUCKET="council-evidence",
    )
    assert out == "storages.backends.s3.S3Storage council-evidence private"


def test_s3_without_a_bucket_stops_start_up():
    with pytest.raises(AssertionError, match="EVIDENCE_STORAGE=s3 needs S3_BUCKET"):
        _settings_in_a_fresh_process("print(1)", EVIDENCE_STORAGE="s3")
