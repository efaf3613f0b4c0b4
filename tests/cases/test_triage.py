"""HR triage: the four decisions, duplicate hints, one decision when two officers act at once, query counts."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Case, IncidentReport
from tests.cases import factories as f
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def triage(client, report, **data):
    return client.post(reverse("cases:report_detail", args=[report.pk]), data)


def test_hr_opens_a_case_from_a_report(client_for):
    report = f.report()
    response = triage(client_for("hr"), report, decision="open_case", summary="Shared a pupil's name (5.2).")
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.status == IncidentReport.Status.MERGED and report.case is not None
    assert response.status_code == 302 and response["Location"] == report.case.get_absolute_url()
    assert report.case.subject == report.subject and report.case.opened_by.username == "hr"


def test_no_further_action_needs_a_reason_beside_the_field(client_for):
    report = f.report()
    response = triage(client_for("hr"), report, decision="no_further_action", reason="")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This is needed for the decision you chose."]
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.status == IncidentReport.Status.REPORTED


def test_asking_the_reporter_reaches_them_and_their_reply_reaches_hr(client_for):
    report = f.report(reporter="employee")
    triage(client_for("hr"), report, decision="ask", question="Do you have a screenshot?")
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.status == IncidentReport.Status.AWAITING_REPORTER
    employee = client_for("employee")
    assert (
        "Do you have a screenshot?" in employee.get(reverse("cases:report_status", args=[report.pk])).content.decode()
    )
    employee.post(reverse("cases:report_status", args=[report.pk]), {"body": "Yes, attached to a new report."})
    assert "Yes, attached" in client_for("hr").get(reverse("cases:report_detail", args=[report.pk])).content.decode()


def test_merging_into_a_case_about_someone_else_is_refused(client_for):
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 3))
    report = f.report(subject=f.staff_of(f.OAKFIELD, 4))
    with pytest.raises(Exception) as exc:
        services.report_merge(actor=f.user("hr"), report=report, case=case)
    assert "is about" in str(exc.value)
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.status == IncidentReport.Status.REPORTED


def test_a_forged_case_id_in_the_merge_form_is_refused(client_for):
    report = f.report()
    response = triage(client_for("hr"), report, decision="merge", case="999999")
    assert response.status_code == 200 and "Select a valid choice" in str(response.context["form"].errors["case"])


def test_merging_adds_the_report_to_the_case(client_for):
    subject = f.staff_of(f.OAKFIELD, 3)
    case = f.open_case(subject=subject)
    report = f.report(subject=subject)
    triage(client_for("hr"), report, decision="merge", case=case.pk)
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.case == case and case.reports.count() == 2


def test_possible_duplicates_are_pointed_out(client_for):
    subject = f.staff_of(f.OAKFIELD, 8)
    first = f.report(subject=subject, link="https://x.com/someone/status/1")
    second = f.report(subject=subject, link="https://x.com/someone/status/1", reporter="manager")
    page = client_for("hr").get(reverse("cases:report_detail", args=[second.pk]))
    assert first in page.context["duplicates"]
    listing = client_for("hr").get(reverse("cases:triage")).context["reports"]
    assert {r.pk: r.has_duplicates for r in listing}[second.pk] is True


def test_a_second_decision_on_a_decided_report_changes_nothing(client_for):
    report = f.report()
    triage(client_for("hr"), report, decision="no_further_action", reason="Not a breach.")
    response = triage(client_for("headofhr"), report, decision="open_case", summary="Open it")
    assert response.status_code == 302
    report = IncidentReport.objects.get(pk=report.pk)
    assert report.status == IncidentReport.Status.NO_FURTHER_ACTION and report.case is None
    assert not Case.objects.filter(summary="Open it").exists()


def test_an_hr_officer_named_in_a_report_cannot_triage_it(client_for):
    report = f.report(reporter="manager", subject=f.user("hr"))
    assert client_for("hr").get(reverse("cases:report_detail", args=[report.pk])).status_code == 404
    assert report.pk not in [r.pk for r in client_for("hr").get(reverse("cases:triage")).context["reports"]]


@pytest.mark.django_db(transaction=True)
def test_two_hr_officers_triaging_at_once_leave_exactly_one_decision(demo_world):
    report = f.report()
    barrier = threading.Barrier(2)
    results = {}

    def decide(username, data):
        client = Client()
        sign_in(client, f.user(username))
        barrier.wait()
        try:
            results[username] = client.post(reverse("cases:report_detail", args=[report.pk]), data).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("hr", {"decision": "open_case", "summary": "Open a case."})),
        threading.Thread(target=decide, args=("headofhr", {"decision": "no_further_action", "reason": "Nothing."})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = IncidentReport.objects.get(pk=report.pk)
    opened = Case.objects.filter(summary="Open a case.").count()
    assert results == {"hr": 302, "headofhr": 302}
    if report.status == IncidentReport.Status.MERGED:
        assert opened == 1 and report.triaged_by.username == "hr"
    else:
        assert report.status == IncidentReport.Status.NO_FURTHER_ACTION and opened == 0
        assert report.triaged_by.username == "headofhr"


@pytest.mark.parametrize("rows", [1, 30])
def test_the_triage_queue_needs_the_same_queries_for_few_or_many_reports(
    client_for, rows, django_assert_max_num_queries
):
    for i in range(rows):
        f.report(subject=f.staff_of(f.OAKFIELD, i % 5), files=[f.png()] if i % 3 == 0 else ())
    client = client_for("hr")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("cases:triage") + "?sort=-reported")
    assert response.status_code == 200 and len(response.context["reports"]) >= min(rows, 25)


def test_the_triage_queue_has_a_helpful_empty_state(client_for):
    response = client_for("hr").get(reverse("cases:triage") + "?q=nobody-by-this-name")
    assert "No reports match" in response.content.decode()
