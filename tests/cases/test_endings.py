"""Every real ending of a case, each with its reason on the timeline, and reopening a case closed early."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case, Ending
from people.models import Notification
from tests.cases import factories as f

pytestmark = pytest.mark.django_db


def fresh(case):
    return Case.objects.get(pk=case.pk)


def _end(case, ending, reason="Recorded reason."):
    return services.case_end_early(actor=f.user("hr"), case=case, ending=ending, reason=reason)


@pytest.mark.parametrize(
    "ending",
    [Ending.WITHDRAWN, Ending.RESIGNED, Ending.CONTRACT_ENDED, Ending.REFERRED_POLICE, Ending.REFERRED_LADO],
)
def test_an_open_case_ends_early_with_its_reason_on_the_timeline(ending):
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 2))
    case = _end(case, ending, reason="Said in a letter of 3 December.")
    assert case.status == Case.Status.CLOSED and case.closed_as == ending and case.closed_early
    entry = case.entries.get(kind="closure")
    assert entry.body == f"{ending.label}: Said in a letter of 3 December."
    assert AuditEvent.objects.filter(action="case.closed_early", object_id=str(case.pk)).exists()


def test_a_case_about_someone_who_left_is_kept_and_marked(client_for):
    case = f.investigated_case(subject=f.staff_of(f.OAKFIELD, 2))
    _end(case, Ending.RESIGNED, reason="Resignation letter received.")
    page = client_for("hr").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Employee resigned" in page and "Resignation letter received." in page
    assert Case.objects.filter(pk=case.pk).exists() and fresh(case).finding  # nothing is deleted


def test_no_case_to_answer_needs_the_investigation_finding():
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        _end(case, Ending.NO_CASE_TO_ANSWER)
    assert "wait for its finding" in str(exc.value)
    case = f.investigated_case(subject=f.staff_of(f.OAKFIELD, 3))
    assert _end(case, Ending.NO_CASE_TO_ANSWER).closed_as == Ending.NO_CASE_TO_ANSWER


def test_no_case_to_answer_is_not_an_ending_after_the_hearing_is_held():
    case = f.held_case(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        _end(case, Ending.NO_CASE_TO_ANSWER)
    assert "record the outcome instead" in str(exc.value)
    assert fresh(case).status == Case.Status.HEARING


def test_an_ending_needs_a_reason_and_a_choice_shown_beside_the_fields(client_for):
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 2))
    response = client_for("hr").post(reverse("cases:case_end", args=[case.pk]), {"ending": "", "reason": " "})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "ending" in errors and "reason" in errors
    with pytest.raises(ValidationError) as exc:
        _end(case, "decided", reason="x")
    assert "Choose how the case ends" in str(exc.value)
    assert fresh(case).status == Case.Status.OPEN


def test_a_decided_case_does_not_end_early():
    case = f.case_with_outcome(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError):
        _end(case, Ending.WITHDRAWN)


def test_ending_a_case_lifts_the_suspension():
    case = f.open_case(subject=f.staff_of(f.OAKFIELD, 2))
    today = timezone.localdate()
    services.case_suspend(
        actor=f.user("hr"), case=case, start=today, reason="Risk to the investigation.", review_on=today
    )
    case = _end(fresh(case), Ending.WITHDRAWN)
    assert not case.is_suspended and case.suspension_lifted_on == today


def test_the_employee_is_told_of_a_withdrawal_but_not_of_a_referral(client_for):
    employee = f.user("employee")
    withdrawn = _end(f.open_case(subject=employee), Ending.WITHDRAWN)
    referred = _end(f.open_case(subject=employee), Ending.REFERRED_LADO, reason="LADO consulted on 4 December.")
    told = Notification.objects.filter(recipient=employee)
    assert told.get(subject=f"Case {withdrawn.reference} is closed").body.startswith("The allegation has been")
    referral_note = told.get(subject=f"Case {referred.reference} is closed").body
    assert "LADO" not in referral_note and "HR will write to you" in referral_note
    client = client_for("employee")
    assert "Allegation withdrawn" in client.get(reverse("cases:my_case", args=[withdrawn.pk])).content.decode()
    page = client.get(reverse("cases:my_case", args=[referred.pk])).content.decode()
    assert "LADO" not in page and "Referred" not in page


def test_a_case_closed_early_is_reopened_with_a_reason_audited():
    case = _end(f.investigated_case(subject=f.staff_of(f.OAKFIELD, 2)), Ending.WITHDRAWN)
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(actor=f.user("hr"), case=case, reason="  ")
    assert "reason" in exc.value.message_dict
    case = services.case_reopen(actor=f.user("hr"), case=case, reason="A second screenshot arrived on 5 December.")
    assert case.status == Case.Status.INVESTIGATING and case.closed_as == "" and case.closed_at is None
    entry = case.entries.get(kind="reopened")
    assert "allegation withdrawn" in entry.body and "second screenshot" in entry.body
    event = AuditEvent.objects.get(action="case.reopened", object_id=str(case.pk))
    assert "second screenshot" in str(event.details)
    # It runs its course again: a new hearing, with notice.
    case = services.case_hearing_schedule(
        actor=f.user("hr"), case=case, hearing_at=f.hearing_on(services.earliest_hearing_date()), panel="Chair"
    )
    assert case.status == Case.Status.HEARING


def test_a_decided_case_is_not_reopened(client_for):
    case = f.case_with_outcome(subject=f.staff_of(f.OAKFIELD, 2))
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(actor=f.user("hr"), case=case, reason="New evidence.")
    assert "you cannot reopen it now" in str(exc.value)
    settings_days = dt.timedelta(days=30)
    outcome = case.outcome
    outcome.decided_at = timezone.now() - settings_days
    outcome.save()
    services.case_close(actor=f.user("hr"), case=fresh(case))
    with pytest.raises(ValidationError) as exc:
        services.case_reopen(actor=f.user("hr"), case=fresh(case), reason="New evidence.")
    assert "open a new case" in str(exc.value)
    assert fresh(case).closed_as == Ending.DECIDED
    page = client_for("hr").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Reopen case" not in page


def test_the_reopen_page_reopens_and_the_investigator_cannot(client_for):
    case = _end(f.investigated_case(subject=f.staff_of(f.OAKFIELD, 2)), Ending.CONTRACT_ENDED)
    url = reverse("cases:case_reopen", args=[case.pk])
    assert client_for("investigator").post(url, {"reason": "x"}).status_code == 404
    response = client_for("hr").post(url, {"reason": "The employee was re-engaged."})
    assert response.status_code == 302 and fresh(case).status == Case.Status.INVESTIGATING
