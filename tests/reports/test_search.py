"""The HR search box: employees, incident reports and cases; audited; limited to what HR may open."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Case, IncidentReport
from people.models import User
from tests.reports import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("reports:search")


def test_finds_an_employee_by_name_user_name_or_staff_number(client_for):
    person = User.objects.filter(organisation__name="Oakfield Primary School", staff_number__isnull=False).first()
    client = client_for("hr")
    for text in (person.last_name, person.username, person.staff_number, f"{person.first_name} {person.last_name}"):
        response = client.get(SEARCH, {"q": text})
        assert response.status_code == 200
        assert person in response.context["sections"][0]["items"] or any(
            person == e for e in response.context["sections"][0]["items"]
        ), text


def test_finds_reports_and_cases_by_reference_and_by_text(client_for):
    report = IncidentReport.objects.filter(platform="tiktok").first()
    case = Case.objects.first()
    client = client_for("hr")
    by_ref = client.get(SEARCH, {"q": report.reference, "scope": "reports"})
    assert report in by_ref.context["sections"][0]["items"]
    by_text = client.get(SEARCH, {"q": "video mocking", "scope": "reports"})
    assert report in by_text.context["sections"][0]["items"]
    by_case_ref = client.get(SEARCH, {"q": case.reference, "scope": "cases"})
    assert case in by_case_ref.context["sections"][0]["items"]
    by_stem = client.get(SEARCH, {"q": "mocked colleagues", "scope": "cases"})  # full-text: stems match
    assert case in by_stem.context["sections"][0]["items"]


def test_every_search_is_audited_with_its_text(client_for):
    client_for("headofhr").get(SEARCH, {"q": "Bennett"})
    event = AuditEvent.objects.filter(action="search.performed").latest("id")
    assert event.actor.username == "headofhr"
    assert event.details["query"] == "Bennett"
    assert event.kind == AuditEvent.Kind.READ


def test_results_are_not_cached(client_for):
    response = client_for("hr").get(SEARCH, {"q": "Oakfield"})
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_hr_does_not_find_a_case_about_themselves(client_for, demo_user):
    hr = demo_user("hr")
    from tests.cases import factories as case_factories

    case = case_factories.open_case(subject=hr, hr="headofhr")
    response = client_for("hr").get(SEARCH, {"q": case.reference, "scope": "cases"})
    assert case not in response.context["sections"][0]["items"]
    assert client_for("headofhr").get(SEARCH, {"q": case.reference, "scope": "cases"}).context["sections"][0]["total"]


@pytest.mark.parametrize("text", ["", "a", "x" * 101])
def test_too_short_or_too_long_a_query_is_explained(client_for, text):
    response = client_for("hr").get(SEARCH, {"q": text})
    assert response.status_code == 400
    assert response.context["form"].errors["q"]
    assert not AuditEvent.objects.filter(action="search.performed").exists()


def test_a_script_in_the_query_is_shown_escaped(client_for):
    response = client_for("hr").get(SEARCH, {"q": "<script>alert(1)</script>"})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_a_scope_pages_through_many_results(client_for, django_assert_max_num_queries):
    factories.many_incidents(45)
    client = client_for("hr")
    first = client.get(SEARCH, {"q": "Test concern", "scope": "reports"})
    section = first.context["sections"][0]
    assert section["total"] == 45 and len(section["items"]) == 20
    third = client.get(SEARCH, {"q": "Test concern", "scope": "reports", "page": 3})
    assert len(third.context["sections"][0]["items"]) == 5


def test_the_search_runs_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    client = client_for("hr")
    with django_assert_max_num_queries(30) as few:
        client.get(SEARCH, {"q": "Test"})
    factories.many_incidents(40)
    factories.many_cases_with_outcomes(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SEARCH, {"q": "Test"})
    assert response.context["sections"][1]["total"] >= 40


def test_only_hr_has_the_search_box_and_page(client_for):
    assert 'data-testid="nav-search"' in client_for("hr").get(reverse("people:dashboard")).content.decode()
    for username in ("employee", "manager", "headteacher", "investigator", "comms", "admin"):
        client = client_for(username)
        assert 'data-testid="nav-search"' not in client.get(reverse("people:dashboard")).content.decode()
        assert client.get(SEARCH, {"q": "Bennett"}).status_code == 403
    assert not AuditEvent.objects.filter(action="search.performed").exists()
