"""A completed monitoring check's findings can open the way to a case (4.1 → 7): they become a report."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from cases.models import IncidentReport
from monitoring.models import MonitoringCheck
from monitoring.services import check_approve, check_complete, check_raise_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(demo_user):
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    check_approve(actor=demo_user("hr"), check=check)
    return check_complete(actor=demo_user("hr"), check=check, findings="Forty minutes a day outside breaks.")


def test_findings_become_a_report_about_the_employee_in_the_triage_queue(completed, demo_user):
    report = check_raise_concern(actor=demo_user("hr"), check=completed)
    assert report.subject == demo_user("employee") and report.status == IncidentReport.Status.REPORTED
    assert "Forty minutes a day" in report.description
    assert MonitoringCheck.objects.get(pk=completed.pk).case_reference == report.reference
    assert AuditEvent.objects.filter(action="monitoring_check.raised_concern", object_id=str(completed.pk)).exists()


def test_raising_twice_gives_the_same_report(completed, demo_user, client_for):
    c = client_for("hr")
    c.post(f"/monitoring/checks/{completed.pk}/raise-concern/")
    c.post(f"/monitoring/checks/{completed.pk}/raise-concern/")
    assert IncidentReport.objects.filter(subject=demo_user("employee"), description__contains="Forty").count() == 1


def test_a_check_not_yet_complete_cannot_be_raised(demo_user):
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    with pytest.raises(ValidationError, match="completed"):
        check_raise_concern(actor=demo_user("hr"), check=check)


def test_the_manager_who_asked_cannot_raise_it(completed, client_for):
    assert client_for("manager").post(f"/monitoring/checks/{completed.pk}/raise-concern/").status_code in (403, 404)
