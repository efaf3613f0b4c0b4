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
    result = verify_audit_chain.delay()
    report = result.get(timeout=30)
    assert report["checked"] == AuditEvent.objects.count()
    assert report["broken_at"] is None
