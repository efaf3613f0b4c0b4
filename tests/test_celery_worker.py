"""A real worker on the real broker runs a task and we observe its result."""

import pytest

from audit.models import AuditEvent
from audit.services import audit_record
from audit.tasks import verify_audit_chain
from tests.celery_worker import celery_worker_process  # noqa: F401  (fixture)

pytestmark = pytest.mark.celery


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_verifies_the_audit_chain_and_returns_its_report(celery_worker_process):  # noqa: F811
    audit_record(actor=None, action="test.first")
    audit_record(actor=None, action="test.second")
    before = AuditEvent.objects.count()
    result = verify_audit_chain.delay()
    report = result.get(timeout=30)
    assert report["checked"] == before
    # The check itself goes on the trail afterwards, for the health page's "verified in the last 26 hours".
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-pk").first().action == "audit.chain_verified"
    assert report["broken_at"] is None
