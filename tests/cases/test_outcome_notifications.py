"""The investigating officer learns how the case they investigated ended: the outcome, then any appeal (7.1, 7.3)."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case
from people.models import Notification, Role, User
from tests.cases import factories as f
from tests.factories import RoleAssignmentFactory
from tests.mailbox import outbox  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _hearing_case(subject):
    return f.held_case(subject=subject)


def _officers_notes(case, subject_start: str):
    return Notification.objects.filter(recipient=f.user("investigator"), subject__startswith=subject_start).filter(
        subject__endswith=case.reference
    )


def test_the_investigating_officer_is_told_the_outcome_as_well_as_the_employee(outbox):  # noqa: F811
    subject = f.staff_of(f.OAKFIELD, 2)
    case = _hearing_case(subject)
    expires = timezone.localdate() + dt.timedelta(days=365)
    sent = outbox(
        lambda: services.outcome_record(
            actor=f.user("hr"),
            case=case,
            kind="first_written",
            reasons="Posted a pupil's photograph without consent.",
            clauses_breached=["3.3", "5.2"],
            warning_expires_on=expires,
        )
    )
    outcome = Case.objects.get(pk=case.pk).outcome
    [note] = _officers_notes(case, "Outcome recorded on")
    assert "which you investigated, is recorded: First written warning, citing clauses 3.3, 5.2." in note.body
    assert f"may appeal until {outcome.appeal_deadline:%d/%m/%Y}" in note.body
    assert note.url == case.get_absolute_url()
    assert Notification.objects.filter(recipient=subject, subject=f"The outcome of case {case.reference}").exists()
    [email] = [m for m in sent if m.to == [f.user("investigator").email]]
    assert "First written warning" in email.body and case.get_absolute_url() in email.body
    assert [m for m in sent if m.to == [subject.email]], "the employee is still told"


def test_with_no_case_to_answer_the_officer_is_told_there_is_nothing_to_appeal():
    case = f.held_case(subject=f.staff_of(f.OAKFIELD, 3))
    services.outcome_record(
        actor=f.user("hr"), case=case, kind="no_case", reasons="The account was not hers.", clauses_breached=[]
    )
    [note] = _officers_notes(case, "Outcome recorded on")
    assert "is recorded: No case to answer." in note.body
    assert "There is nothing to appeal." in note.body


def test_the_investigating_officer_is_told_the_appeal_decision(outbox):  # noqa: F811
    subject = f.user("employee")
    case = f.case_in_appeal(subject=subject)
    sent = outbox(
        lambda: services.appeal_decide(
            actor=f.user("headofhr"),
            case=case,
            decision="varied",
            varied_to="first_written",
            reasons="Mitigation accepted.",
        )
    )
    [note] = _officers_notes(case, "Appeal decided on")
    assert "has been decided: Outcome varied, to First written warning. The case is now closed." in note.body
    assert note.url == case.get_absolute_url()
    assert [m for m in sent if m.to == [f.user("investigator").email] and "Outcome varied" in m.body]
    assert Notification.objects.filter(recipient=subject, subject__startswith="Your appeal on").exists()


def test_the_officer_can_open_the_case_the_notification_links_to(client_for):
    case = _hearing_case(f.staff_of(f.OAKFIELD, 2))
    services.outcome_record(
        actor=f.user("hr"),
        case=case,
        kind="informal",
        reasons="A first lapse.",
        clauses_breached=["5.3"],
    )
    [note] = _officers_notes(case, "Outcome recorded on")
    assert client_for("investigator").get(note.url).status_code == 200


def test_no_other_investigator_is_told_and_an_officer_who_has_left_is_not():
    other = RoleAssignmentFactory(role=Role.INVESTIGATOR).user
    case = _hearing_case(f.staff_of(f.OAKFIELD, 2))
    User.objects.filter(username="investigator").update(is_active=False)
    services.outcome_record(
        actor=f.user("hr"),
        case=case,
        kind="informal",
        reasons="A first lapse.",
        clauses_breached=["5.3"],
    )
    assert not _officers_notes(case, "Outcome recorded on").exists()
    assert not Notification.objects.filter(recipient=other).exists()
