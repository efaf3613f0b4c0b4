"""What the investigating officer meets on their case page: every link works and every action offered is allowed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def _assigned_case():
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 2))
    return services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("investigator"))


def test_the_officer_reads_the_reports_on_the_case_page_without_a_link_that_404s(client_for):
    case = _assigned_case()
    report = case.reports.get()
    client = client_for("investigator")
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:report_detail", args=[report.pk]) not in page
    assert report.reference in page and escape(report.description) in page
    # HR still opens the report itself from the same list.
    hr_page = client_for("hr").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:report_detail", args=[report.pk]) in hr_page


def test_record_finding_is_offered_only_after_an_interview(client_for):
    case = _assigned_case()
    client = client_for("investigator")
    finding_url = reverse("cases:case_finding", args=[case.pk])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert finding_url not in page and "Record finding (after an interview)" in page
    services.case_interview_record(
        actor=f.user("investigator"),
        case=case,
        interviewee_name="A parent",
        interviewed_at=timezone.now(),
        statement="I saw the post.",
    )
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert finding_url in page


def test_evidence_is_described_in_plain_words_not_mime_types(client_for):
    case = _assigned_case()
    services.evidence_add_to_case(actor=f.user("investigator"), case=case, files=[f.png()])
    page = client_for("investigator").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "A PNG picture" in page and "image/png" not in page
