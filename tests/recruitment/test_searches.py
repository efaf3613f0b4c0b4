"""The recruitment search guardrail (clause 6.1): only candidate sourcing, never applicants in selection."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from people.models import Notification
from recruitment import services
from recruitment.models import Applicant, CandidateSearch, Vacancy
from tests.recruitment.factories import ApplicantFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def _log(actor, **kwargs):
    kwargs.setdefault("platform", "linkedin")
    kwargs.setdefault("subject_name", "Alex Stranger")
    kwargs.setdefault("purpose", CandidateSearch.Purpose.SOURCING)
    kwargs.setdefault("reason", "Looking for a SENCo.")
    kwargs.setdefault("sourcing_evidence", "Profile says open to work.")
    return services.candidate_search_log(actor=actor, **kwargs)


def test_candidate_sourcing_with_evidence_is_allowed_and_logged(demo_user):
    search = _log(demo_user("hr"))
    assert search.outcome == CandidateSearch.Outcome.ALLOWED and search.refusal_reasons == []
    assert AuditEvent.objects.filter(action="candidate_search.logged", object_id=str(search.pk)).exists()


@pytest.mark.parametrize("purpose", ["vetting", "reference", "other"])
def test_a_search_for_any_other_purpose_is_refused_and_the_refusal_logged(demo_user, purpose):
    search = _log(demo_user("hr"), purpose=purpose, sourcing_evidence="")
    assert search.outcome == CandidateSearch.Outcome.REFUSED
    assert "not candidate sourcing" in search.refusal_reasons[0]
    assert AuditEvent.objects.filter(action="candidate_search.refused", object_id=str(search.pk)).exists()
    assert Notification.objects.filter(recipient__username="headofhr", subject__contains="refused").exists()


def test_sourcing_without_evidence_is_not_accepted_and_nothing_is_logged(demo_user):
    before = CandidateSearch.objects.count()
    with pytest.raises(ValidationError) as err:
        _log(demo_user("hr"), sourcing_evidence="  ")
    assert "sourcing_evidence" in err.value.error_dict
    assert CandidateSearch.objects.count() == before


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Someone Else", "CHLOE.MARTIN@example.invalid"),
        ("chloe martin dubois", ""),
        ("Chloe Anne Martin-Dubois", ""),
        ("CHLOÉ MARTIN DUBOIS", "other@example.invalid"),
        ("Bethany Clarke", ""),
        ("Ms Bethany R Clarke", ""),
    ],
)
def test_sourcing_an_applicant_in_selection_is_refused(demo_user, name, email):
    search = _log(demo_user("hr"), subject_name=name, subject_email=email)
    assert search.outcome == CandidateSearch.Outcome.REFUSED
    assert search.matched_applicant.vacancy.reference == "RBC-2026-014"
    assert "applicant in selection" in search.refusal_reasons[0]


def test_a_withdrawn_applicant_or_one_whose_selection_closed_may_be_sourced(demo_user):
    hr = demo_user("hr")
    assert _log(hr, subject_name="Marcus Webb").outcome == CandidateSearch.Outcome.ALLOWED  # withdrawn
    assert _log(hr, subject_name="Oliver Grant").outcome == CandidateSearch.Outcome.ALLOWED  # vacancy closed
    vacancy = Vacancy.objects.get(reference="RBC-2026-014")
    services.vacancy_set_status(actor=hr, vacancy=vacancy, status="closed")
    assert _log(hr, subject_name="Samuel Okoro").outcome == CandidateSearch.Outcome.ALLOWED


def test_both_reasons_are_given_when_both_apply(demo_user):
    search = _log(demo_user("hr"), subject_name="Samuel Okoro", purpose="vetting", sourcing_evidence="")
    assert len(search.refusal_reasons) == 2


@pytest.mark.parametrize("username", ["employee", "manager", "headteacher", "bizmanager", "investigator", "comms"])
def test_only_hr_logs_searches(demo_user, username):
    with pytest.raises(PermissionDenied):
        _log(demo_user(username))


def test_an_applicant_cannot_be_added_twice_to_a_vacancy(demo_user):
    vacancy = VacancyFactory()
    services.applicant_add(actor=demo_user("hr"), vacancy=vacancy, full_name="Ann Lee", email="ann@example.invalid")
    with pytest.raises(ValidationError):
        services.applicant_add(actor=demo_user("hr"), vacancy=vacancy, full_name="Ann Lee", email="ANN@example.invalid")
    assert vacancy.applicants.count() == 1


def test_a_status_outside_the_list_is_refused(demo_user):
    applicant = ApplicantFactory()
    with pytest.raises(ValidationError):
        services.applicant_set_status(actor=demo_user("hr"), applicant=applicant, status="hired!")
    applicant.refresh_from_db()
    assert applicant.status == Applicant.Status.APPLIED
