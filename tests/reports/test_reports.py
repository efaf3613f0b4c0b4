"""HR reports: the figures, the filters, the downloads and the number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from reports.registry import ReportFilters, all_reports, get_report
from tests.reports import factories

pytestmark = pytest.mark.django_db

SLUGS = [r.slug for r in all_reports()]


def _filters(**kw) -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(start=kw.pop("start", today - dt.timedelta(days=365)), end=kw.pop("end", today), **kw)


def test_every_part_of_the_brief_has_a_report():
    assert set(SLUGS) >= {
        "incidents-by-category",
        "incidents-by-school",
        "cases-by-state",
        "time-to-outcome",
        "disclosure-compliance",
        "posts-by-state",
        "campaigns-by-state",
    }


def test_incidents_are_counted_under_each_of_their_categories():
    factories.many_incidents(4, months_back=1)  # confidentiality; disrepute+discrimination; copyright; political
    table = get_report("incidents-by-category").build(_filters())
    total_row = dict(zip(table.columns, table.footer, strict=True))
    assert total_row["Discrimination, bullying or harassment (3.3)"] >= 1
    # The demo world's six category mentions plus the five here.
    assert total_row["All categories"] == 6 + 5


def test_incidents_by_school_filter_leaves_out_other_schools():
    factories.many_incidents(8)
    oakfield = factories.schools()[1]
    assert oakfield.name == "Oakfield Primary School"
    table = get_report("incidents-by-school").build(_filters(school_id=oakfield.pk, school_name=oakfield.name))
    assert [row[0] for row in table.rows] == ["Oakfield Primary School"]


def test_the_period_filter_excludes_older_reports():
    factories.many_incidents(6, months_back=6)
    today = timezone.localdate()
    recent = get_report("incidents-by-school").build(_filters(start=today - dt.timedelta(days=20)))
    everything = get_report("incidents-by-school").build(_filters())
    assert recent.footer[-1] < everything.footer[-1]


def test_time_to_outcome_gives_median_and_90th_percentile_per_school_and_overall():
    factories.many_cases_with_outcomes(10)
    table = get_report("time-to-outcome").build(_filters())
    assert table.footer[0] == "All organisations"
    assert table.footer[1] == 10
    median, p90 = table.footer[2], table.footer[3]
    assert 10 <= median <= p90 <= 20  # decided 10 to 19 days after the report


def test_cases_by_state_splits_by_outcome():
    factories.many_cases_with_outcomes(4)
    table = get_report("cases-by-state").build(_filters())
    assert "Informal action" in table.columns and "No case to answer" in table.columns
    row = next(r for r in table.rows if r[0] == "Outcome recorded")
    assert row[-1] == 4


def test_disclosure_compliance_counts_compliant_and_needing_changes():
    table = get_report("disclosure-compliance").build(_filters())
    oakfield = next(r for r in table.rows if r[0] == "Oakfield Primary School")
    columns = dict(zip(table.columns, oakfield, strict=True))
    assert columns["Accounts declared"] == columns["Compliant"] + columns["Needing changes"]
    assert columns["Needing changes"] >= 1


def test_posts_and_campaigns_by_state_per_school():
    posts = get_report("posts-by-state").build(_filters())
    oakfield = dict(zip(posts.columns, next(r for r in posts.rows if r[0] == "Oakfield Primary School"), strict=True))
    assert oakfield["Published"] == 1 and oakfield["Awaiting check"] == 1
    campaigns = get_report("campaigns-by-state").build(_filters())
    row = dict(
        zip(campaigns.columns, next(r for r in campaigns.rows if r[0] == "Oakfield Primary School"), strict=True)
    )
    assert row["Awaiting headteacher"] == 1


def test_a_period_with_nothing_shows_an_empty_state(client_for):
    response = client_for("hr").get(
        reverse("reports:detail", args=["time-to-outcome"]), {"start": "01/01/2020", "end": "31/01/2020"}
    )
    assert response.status_code == 200
    assert "No case reached an outcome in this period." in response.content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_report_page_draws_from_a_json_block_and_runs_a_fixed_number_of_queries(
    slug, client_for, django_assert_max_num_queries
):
    client = client_for("hr")
    url = reverse("reports:detail", args=[slug])
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="application/json"' in body or "empty-state" in body
    assert "<script>" not in body  # no inline executable script (CSP)
    factories.lots_of_everything(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("slug", SLUGS)
def test_downloads_run_a_fixed_number_of_queries(slug, client_for, django_assert_max_num_queries):
    client = client_for("hr")
    url = reverse("reports:download_csv", args=[slug])
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    factories.lots_of_everything(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_csv_download_has_the_table_and_its_totals_and_is_audited(client_for):
    response = client_for("hr").get(reverse("reports:download_csv", args=["posts-by-state"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="posts-by-state-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "School" and rows[0][-1] == "Total"
    assert rows[-1][0] == "Total"
    assert AuditEvent.objects.filter(action="report.downloaded", object_id="posts-by-state").exists()


def test_excel_download_opens_with_openpyxl(client_for):
    from openpyxl import load_workbook

    response = client_for("headofhr").get(reverse("reports:download_xlsx", args=["disclosure-compliance"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Disclosure compliance per school"
    assert sheet["A4"].value == "Organisation"
    names = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    assert "Oakfield Primary School" in names


def test_a_school_name_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(client_for):
    from people.models import Organisation

    Organisation.objects.filter(name="Kennet Valley Academy").update(name='=HYPERLINK("http://evil")')
    response = client_for("hr").get(reverse("reports:download_csv", args=["disclosure-compliance"]))
    assert "'=HYPERLINK" in response.content.decode()
    assert "\n=HYPERLINK" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "31/02/2026"}, "start", "Enter a valid date"),
        ({"start": "01/06/2026", "end": "01/01/2026"}, "end", "on or after its start"),
        ({"start": "01/01/2000", "end": "01/01/2026"}, "start", "five years or less"),
        ({"school": "999999"}, "school", "Select a valid choice"),
        ({"school": "<script>alert(1)</script>"}, "school", "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_beside_the_field(client_for, params, field, message):
    client = client_for("hr")
    response = client.get(reverse("reports:detail", args=["cases-by-state"]), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert field in response.context["filter_form"].errors
    download = client.get(reverse("reports:download_csv", args=["cases-by-state"]), params)
    assert download.status_code == 400


def test_an_outsider_gets_no_report_or_download(client_for):
    for username in ("employee", "headteacher", "investigator", "admin"):
        client = client_for(username)
        assert client.get(reverse("reports:index")).status_code == 403
        assert client.get(reverse("reports:download_csv", args=["cases-by-state"])).status_code == 403


def test_a_new_section_is_one_registered_function(client_for):
    from reports import registry
    from reports.registry import ReportTable, hr_report

    @hr_report("test-section", "Test section", description="Registered by a test.", order=999)
    def section(filters):
        return ReportTable(
            columns=["Thing", "Count"], rows=[["Widgets", 3]], chart=registry.bar_chart(["W"], {"n": [3]})
        )

    try:
        response = client_for("hr").get(reverse("reports:detail", args=["test-section"]))
        assert response.status_code == 200
        assert "Widgets" in response.content.decode()
        assert "Test section" in client_for("hr").get(reverse("reports:index")).content.decode()
    finally:
        registry._reports.pop("test-section")
