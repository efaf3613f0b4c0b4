"""The health page, /health/: is every part the service needs working, and have the nightly jobs run?

Each check answers "ok" or a short reason. The page is open without signing in, so the reasons name the
component and what is wrong with it, never a person, a record or a server address: a load balancer, compose or
a monitoring system reads it. 200 when every check holds, 503 when one does not.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

# The nightly jobs run every 24 hours; two hours' grace for a slow night or a clock change.
NIGHTLY_WITHIN = dt.timedelta(hours=26)
PROBE_NAME = ".health/probe.txt"
CHAIN_VERIFIED = "audit.chain_verified"


class Failing(Exception):
    """A check that does not hold, with a reason safe to show anyone."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def check_worker() -> None:
    from celery import Celery

    # An app of its own for each probe: nothing pooled from an earlier probe (a broker since restarted) is reused.
    app = Celery("socialpolicy-health", broker=settings.CELERY_BROKER_URL, set_as_current=False)
    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    try:
        replies = app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT)
    finally:
        app.close()
    if not replies:
        raise Failing("no background worker answered")


def check_evidence_storage() -> None:
    """Write, read back and delete a small file where evidence is kept (a disk or an S3 bucket)."""
    from django.core.files.storage import default_storage

    name = default_storage.save(PROBE_NAME, ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise Failing("evidence storage did not give back what was written")
    finally:
        default_storage.delete(name)


def check_retention_purge() -> None:
    from monitoring.models import PurgeReceipt

    last = (
        PurgeReceipt.objects.filter(dry_run=False, outcome=PurgeReceipt.Outcome.COMPLETED)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        raise Failing("no retention purge has completed")
    if last < timezone.now() - NIGHTLY_WITHIN:
        raise Failing("the last completed retention purge is more than 26 hours old")


def check_audit_chain() -> None:
    from audit.models import AuditEvent

    last = AuditEvent.objects.filter(action=CHAIN_VERIFIED).order_by("-occurred_at").first()
    if last is None or last.occurred_at < timezone.now() - NIGHTLY_WITHIN:
        raise Failing("the audit trail has not been verified in the last 26 hours")
    if not (last.details or {}).get("ok"):
        raise Failing("the last check of the audit trail found it broken")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "evidence_storage": check_evidence_storage,
    "retention_purge": check_retention_purge,
    "audit_chain": check_audit_chain,
}
# What each needs: without the database the two nightly checks cannot be read.
NEEDS_DATABASE = {"retention_purge", "audit_chain"}


def health_report() -> dict[str, str]:
    """{component: "ok" or why not}, in the order of CHECKS."""
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and report.get("database") != "ok":
            report[name] = "not checked: the database is unavailable"
            continue
        try:
            check()
            report[name] = "ok"
        except Failing as exc:
            report[name] = str(exc)
        except Exception as exc:  # noqa: BLE001 - any error means the component is not usable
            logger.warning("health check %s failed: %s", name, type(exc).__name__, exc_info=True)
            report[name] = "unavailable"
            if name == "database":
                connection.close_if_unusable_or_obsolete()
    return report
