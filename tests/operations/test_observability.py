"""Request ids in logs and responses, JSON logs, and Sentry reports that carry nothing personal."""

import json
import logging

import pytest

from operations.observability import JsonFormatter, RequestIdFilter, scrub_event


def test_each_response_carries_a_request_id_and_a_sane_one_from_the_proxy_is_kept(client, db):
    first, second = client.get("/health/"), client.get("/health/")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/health/", HTTP_X_REQUEST_ID="proxy-id-1234")["X-Request-ID"] == "proxy-id-1234"
    forged = client.get("/health/", HTTP_X_REQUEST_ID="<script>\nFAKE LOG LINE")["X-Request-ID"]
    assert "script" not in forged and len(forged) == 32


def test_log_lines_written_during_a_request_carry_its_id_as_json(client, db, monkeypatch):
    from operations import views

    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("operations.test")
    log.addHandler(handler)

    def report():
        log.warning("looking at the services")
        return {"database": "ok"}

    monkeypatch.setattr(views, "health_report", report)
    try:
        response = client.get("/health/", HTTP_X_REQUEST_ID="req-abcdef12")
    finally:
        log.removeHandler(handler)
    [line] = lines
    entry = json.loads(line)
    assert entry["message"] == "looking at the services" and entry["level"] == "WARNING"
    assert entry["request_id"] == response["X-Request-ID"] == "req-abcdef12"


def test_production_logs_are_json_by_default():
    from tests.operations.test_settings import _settings_in_a_fresh_process

    out = _settings_in_a_fresh_process(
        "print(settings.LOGGING['handlers']['console']['formatter'])",
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="socialpolicy.example.org",
    )
    assert out == "json"


def test_the_scrubber_removes_people_and_keeps_the_stack():
    event = {
        "user": {"id": 7, "username": "jwilson", "email": "j.wilson@example.org", "ip_address": "10.0.0.8"},
        "request": {
            "url": "https://socialpolicy.example.org/cases/12/?q=Jane+Wilson",
            "query_string": "q=Jane+Wilson",
            "data": {"notes": "posted about a pupil"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "X-Real-Ip": "10.0.0.8"},
            "env": {"REMOTE_ADDR": "10.0.0.8"},
        },
        "breadcrumbs": {"values": [{"message": "signed in as jwilson"}]},
        "extra": {"minutes": 95},
        "exception": {
            "values": [
                {
                    "type": "ZeroDivisionError",
                    "stacktrace": {"frames": [{"function": "usage_view", "vars": {"employee": "Jane Wilson"}}]},
                }
            ]
        },
    }
    scrubbed = json.dumps(scrub_event(event))
    for personal in ("jwilson", "j.wilson", "Jane", "10.0.0.8", "pupil", "sessionid", "95"):
        assert personal not in scrubbed, personal
    assert "ZeroDivisionError" in scrubbed and "usage_view" in scrubbed and "/cases/12/" in scrubbed


@pytest.mark.django_db
def test_an_error_reaches_sentry_without_the_signed_in_user_or_the_request(client_for, monkeypatch):
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from operations import views
    from operations.observability import sentry_init

    sent = []

    class Capture(Transport):
        def capture_envelope(self, envelope):
            sent.append(envelope)

    sentry_init("https://public@sentry.example.invalid/1", environment="test")
    sentry_sdk.get_client().transport = Capture()

    def broken():
        raise ZeroDivisionError("health report broke")

    monkeypatch.setattr(views, "health_report", broken)
    client = client_for("hr")
    client.raise_request_exception = False
    try:
        assert client.get("/health/?who=hr-person", HTTP_X_REQUEST_ID="req-sentry-01").status_code == 500
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)
    events = [item.payload.json for envelope in sent for item in envelope.items if item.type == "event"]
    assert events, "the error was not reported"
    text = json.dumps(events)
    assert "health report broke" in text and "req-sentry-01" in text
    for personal in ('"hr"', "hr-person", "sessionid", "Daniel", '"user"'):
        assert personal not in text, personal
