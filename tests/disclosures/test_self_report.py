"""Clause 5.5: an employee's self-report becomes an incident report about themselves, marked self-reported."""

import pytest

from cases.models import IncidentReport

pytestmark = pytest.mark.django_db

GOOD = {
    "capacity": "personal",
    "platform": "facebook",
    "link": "https://facebook.com/jw/posts/1",
    "occurred_at": "2026-11-20T19:30",
    "description": "I complained about a parent in a public post. I have taken it down.",
    "categories": ["disrepute"],
}


def _form(client):
    page = client.get("/disclosures/self-report/")
    return page.context["form"]["submission_token"].value()


def test_a_self_report_reaches_hr_as_a_report_about_the_employee(client_for, demo_user):
    c = client_for("employee")
    response = c.post("/disclosures/self-report/", {**GOOD, "submission_token": _form(c)})
    report = IncidentReport.objects.get(self_reported=True, subject=demo_user("employee"))
    assert response.status_code == 302 and response["Location"] == f"/cases/mine/reports/{report.pk}/"
    assert report.reporter == demo_user("employee") and not report.anonymous
    assert report.status == "reported"


def test_sending_the_same_self_report_twice_records_it_once(client_for):
    c = client_for("employee")
    data = {**GOOD, "submission_token": _form(c)}
    c.post("/disclosures/self-report/", data)
    c.post("/disclosures/self-report/", data)
    assert IncidentReport.objects.filter(self_reported=True).count() == 1


def test_bad_input_is_explained_beside_the_fields_and_nothing_is_saved(client_for):
    c = client_for("employee")
    response = c.post(
        "/disclosures/self-report/",
        {
            **GOOD,
            "occurred_at": "2099-01-01T10:00",
            "categories": [],
            "description": "<script>alert(1)</script>",
            "submission_token": _form(c),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The date cannot be in the future." in body
    assert "<script>alert(1)</script>" not in body
    assert not IncidentReport.objects.filter(self_reported=True).exists()
