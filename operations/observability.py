"""Logs and error reports a production host can use without leaking personal data.

- Every request gets an id (the reverse proxy's X-Request-ID if it sent a sane one, else a new one). It is in
  every log line written while the request runs and in the response's X-Request-ID header, so a complaint
  ("the page failed at 10:02") leads to the log lines of that request.
- With LOG_FORMAT=json (the default when DEBUG is off) each log line is one JSON object.
- With SENTRY_DSN set, errors go to Sentry with personal data removed: no user, no cookies, no request body,
  no query string, no headers but the user agent, no local variables, no breadcrumbs (log lines may name people).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request, e.g. in a Celery task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# --- Sentry ------------------------------------------------------------------------------------------------

_KEEP_HEADERS = {"user-agent"}


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """before_send: keep what helps find the bug (the stack, the URL path, the time), drop what names a person."""
    event.pop("user", None)
    event.pop("breadcrumbs", None)
    event.pop("extra", None)
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        request["headers"] = {k: v for k, v in (request.get("headers") or {}).items() if k.lower() in _KEEP_HEADERS}
        if "url" in request:
            request["url"] = request["url"].split("?", 1)[0]
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    tags = event.get("tags")
    if isinstance(tags, dict):
        tags.pop("user", None)
    request_id = request_id_var.get()
    if request_id:  # the same id as in the logs
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_init(dsn: str, *, environment: str, release: str = "", traces_sample_rate: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        max_breadcrumbs=0,
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
