"""The incidents reports read monthly tallies that database triggers keep equal to the reports themselves."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import IncidentReport
from people.models import Organisation
from reports.forms import default_period
from reports.models import IncidentTally
from reports.registry import ReportFilters, get_report
from tests.reports import factories

pytestmark = pytest.mark.django_db


def _whole_months(school: Organisation | None = None) -> ReportFilters:
    start, end = default_period()
    return ReportFilters(start=start, end=end, school_id=school.pk if school else None)


def _from_reports(filters: ReportFilters) -> ReportFilters:
    """The same period, from one day earlier: not whole months, so counted from the reports themselves."""
    return ReportFilters(start=filters.start - dt.timedelta(days=1), end=filters.end, school_id=filters.school_id)


def _same_figures(slug: str, filters: ReportFilters) -> None:
    tallied = get_report(slug).build(filters)
    counted = get_report(slug).build(_from_reports(filters))
    if slug == "incidents-by-school":  # one more month column (the day before) in the counted table
        tallied_rows = {row[0]: row[1:] for row in tallied.rows}
        counted_rows = {row[0]: row[2:] for row in counted.rows if any(row[2:-1])}
        assert tallied_rows == counted_rows
    else:
        day_before = f"{filters.start - dt.timedelta(days=1):%b %Y}"
        assert tallied.rows == [row for row in counted.rows if row[0] != day_before]
        assert tallied.columns == counted.columns


@pytest.mark.parametrize("slug", ["incidents-by-category", "incidents-by-school"])
def test_the_tallies_give_the_figures_the_reports_give(slug):
    factories.many_incidents(12, months_back=6)
    _same_figures(slug, _whole_months())
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    _same_figures(slug, _whole_months(oakfield))


def test_the_tallies_follow_changes_and_deletions_of_reports():
    reports = factories.many_incidents(8, months_back=3)
    IncidentReport.objects.filter(pk=reports[0].pk).update(categories=["copyright", "political"])
    IncidentReport.objects.filter(pk=reports[1].pk).update(reported_at=timezone.now() - dt.timedelta(days=100))
    IncidentReport.objects.filter(pk=reports[2].pk).update(subject=None, subject_description="Someone at the gate")
    IncidentReport.objects.filter(pk__in=[reports[3].pk, reports[4].pk]).update(status="closed")  # counts unchanged
    for slug in ("incidents-by-category", "incidents-by-school"):
        _same_figures(slug, _whole_months())


def test_an_employee_who_moves_school_takes_their_concerns_along():
    reports = factories.many_incidents(6, months_back=2)
    subject = reports[0].subject
    other = Organisation.objects.exclude(pk=subject.organisation_id).filter(kind="school").first()
    subject.organisation = other
    subject.save(update_fields=["organisation"])
    for slug in ("incidents-by-category", "incidents-by-school"):
        _same_figures(slug, _whole_months())
        _same_figures(slug, _whole_months(other))


def test_a_deleted_report_leaves_the_tallies():
    reports = factories.many_incidents(4, months_back=1)
    before = sum(IncidentTally.objects.filter(category="").values_list("reports", flat=True))
    report = IncidentReport.objects.filter(pk=reports[-1].pk, case__isnull=True).first()
    if report is None:
        pytest.skip("every generated report joined a case")
    report.evidence.all().delete()
    report.messages.all().delete()
    with connection.cursor() as cursor:  # the app never deletes a report; retention or an administrator might
        cursor.execute("DELETE FROM cases_incidentreport WHERE id = %s", [report.pk])
    after = sum(IncidentTally.objects.filter(category="").values_list("reports", flat=True))
    assert after == before - 1


def test_the_report_page_makes_the_same_queries_for_few_or_many_incidents(client_for):
    client = client_for("hr")
    url = reverse("reports:detail", args=["incidents-by-category"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    factories.many_incidents(30, months_back=6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "incidenttally" in " ".join(q["sql"] for q in many.captured_queries)


def test_the_case_tallies_give_the_figures_the_cases_give():
    from cases.models import Case, DisciplinaryOutcome

    cases = factories.many_cases_with_outcomes(6)
    factories.many_incidents(6, months_back=2)
    _same_case_figures()
    # A state change, an outcome changed and one withdrawn, written as any code path might.
    Case.objects.filter(pk=cases[0].pk).update(status="closed")
    DisciplinaryOutcome.objects.filter(case=cases[1]).update(kind="dismissal_notice")
    DisciplinaryOutcome.objects.filter(case=cases[2]).delete()
    Case.objects.filter(pk=cases[3].pk).update(opened_at=timezone.now() - dt.timedelta(days=70))
    _same_case_figures()
    oakfield = Organisation.objects.get(name="Oakfield Primary School")
    _same_case_figures(oakfield)


def _same_case_figures(school: Organisation | None = None) -> None:
    filters = _whole_months(school)
    tallied = get_report("cases-by-state").build(filters)
    # One day later than the start: not whole months, so counted from the cases (none opened that day).
    counted = get_report("cases-by-state").build(
        ReportFilters(start=filters.start + dt.timedelta(days=1), end=filters.end, school_id=filters.school_id)
    )
    assert tallied.rows == counted.rows and tallied.columns == counted.columns
