"""Recruitment pages: vacancies, applicants and the search log, with bad input and query guards."""

import pytest
from django.urls import reverse

from people.models import User
from recruitment.models import Applicant, CandidateSearch, Vacancy
from tests.recruitment.factories import CandidateSearchFactory

pytestmark = pytest.mark.django_db

SEARCH = {
    "platform": "linkedin",
    "subject_name": "Alex Stranger",
    "purpose": "sourcing",
    "reason": "Looking for a SENCo",
    "sourcing_evidence": "Open to work",
}


def test_a_refused_search_is_explained_and_appears_in_the_log(client_for):
    client = client_for("hr")
    response = client.post(reverse("recruitment:search_create"), {**SEARCH, "subject_name": "Samuel  OKORO"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Search refused" in page and "applicant in selection" in page
    log = client.get(reverse("recruitment:search_list") + "?outcome=refused").content.decode()
    assert "Samuel  OKORO" in log or "Samuel OKORO" in log


def test_an_allowed_search_goes_to_the_log(client_for):
    response = client_for("hr").post(reverse("recruitment:search_create"), SEARCH, follow=True)
    assert "you may go ahead" in response.content.decode()
    assert CandidateSearch.objects.filter(subject_name="Alex Stranger", outcome="allowed").exists()


def test_sourcing_without_evidence_is_explained_beside_the_field_and_not_logged(client_for):
    before = CandidateSearch.objects.count()
    response = client_for("hr").post(reverse("recruitment:search_create"), {**SEARCH, "sourcing_evidence": ""})
    assert "record how you know the person is seeking employers" in response.content.decode()
    assert CandidateSearch.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject_email", "not-an-email", "Enter a valid email address"),
        ("subject_name", "x" * 151, "at most 150 characters"),
        ("purpose", "snooping", "Select a valid choice"),
        ("reason", "", "This field is required"),
    ],
)
def test_bad_search_input_is_explained(client_for, field, value, message):
    before = CandidateSearch.objects.count()
    response = client_for("hr").post(reverse("recruitment:search_create"), {**SEARCH, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert CandidateSearch.objects.count() == before


def test_script_in_a_name_is_shown_escaped_in_the_log(client_for):
    client = client_for("hr")
    client.post(reverse("recruitment:search_create"), {**SEARCH, "subject_name": "<script>alert(1)</script>"})
    page = client.get(reverse("recruitment:search_list")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_vacancy_with_a_bad_date_or_a_taken_reference_is_refused(client_for):
    client = client_for("hr")
    oakfield = Vacancy.objects.get(reference="RBC-2026-014").organisation_id
    data = {"reference": "RBC-NEW-1", "title": "Cook", "organisation": oakfield, "closing_date": "31/02/2026"}
    response = client.post(reverse("recruitment:vacancy_create"), data)
    assert "Enter a valid date" in response.content.decode()
    response = client.post(
        reverse("recruitment:vacancy_create"), {**data, "reference": "RBC-2026-014", "closing_date": ""}
    )
    assert "exists already" in response.content.decode()
    assert not Vacancy.objects.filter(reference="RBC-NEW-1").exists()


def test_hr_adds_an_applicant_and_a_duplicate_is_explained(client_for):
    client = client_for("hr")
    vacancy = Vacancy.objects.get(reference="RBC-2026-014")
    url = reverse("recruitment:vacancy_detail", args=[vacancy.pk])
    assert client.post(url, {"full_name": "Ann Lee", "email": "ann@example.invalid"}).status_code == 302
    response = client.post(url, {"full_name": "Ann Lee", "email": "ANN@example.invalid"})
    assert "already applied" in response.content.decode()
    assert vacancy.applicants.filter(full_name="Ann Lee").count() == 1


def test_a_forged_applicant_status_is_refused(client_for):
    applicant = Applicant.objects.filter(vacancy__reference="RBC-2026-014").first()
    before = applicant.status
    client_for("hr").post(reverse("recruitment:applicant_status", args=[applicant.pk]), {"status": "hired"})
    applicant.refresh_from_db()
    assert applicant.status == before
    assert (
        client_for("hr").post(reverse("recruitment:applicant_status", args=[999999]), {"status": "applied"}).status_code
        == 404
    )


@pytest.mark.parametrize("extra", [1, 40])
def test_the_search_log_queries_do_not_grow_with_rows(client_for, django_assert_max_num_queries, extra):
    hr = User.objects.get(username="hr")
    for i in range(extra):
        CandidateSearchFactory(searched_by=hr, subject_name=f"Person {i}")
    client = client_for("hr")
    with django_assert_max_num_queries(17):
        assert client.get(reverse("recruitment:search_list") + "?sort=who").status_code == 200


@pytest.mark.parametrize("extra", [1, 30])
def test_the_vacancy_list_queries_do_not_grow_with_rows(client_for, django_assert_max_num_queries, extra):
    from tests.recruitment.factories import VacancyFactory

    VacancyFactory.create_batch(extra)
    client = client_for("hr")
    with django_assert_max_num_queries(17):
        assert client.get(reverse("recruitment:vacancy_list")).status_code == 200


def test_the_search_log_filters_and_paginates(client_for):
    hr = User.objects.get(username="hr")
    CandidateSearchFactory.create_batch(30, searched_by=hr)
    client = client_for("hr")
    assert "Page 2 of" in client.get(reverse("recruitment:search_list") + "?page=2").content.decode()
    page = client.get(reverse("recruitment:search_list") + "?outcome=refused").content.decode()
    assert "Refused" in page and "Priyanka Desai" not in page
    empty = client.get(reverse("recruitment:search_list") + "?q=zzzz-nobody").content.decode()
    assert "No searches match these filters" in empty
