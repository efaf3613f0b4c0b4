"""Every hand-off between people sends its email: the in-app notification is made in the service's
transaction and the email goes out through the Celery task (here run in-process with the locmem outbox,
and once through a real worker)."""

import time

import pytest
from django.core import mail

from cases import services as case_services
from disclosures import services as disclosure_services
from people.models import Notification, User
from people.tasks import send_notification_email
from publishing import services as publishing_services
from tests.cases import factories as case_factories
from tests.celery_worker import celery_worker_process  # noqa: F401  (fixture)
from tests.publishing import factories as publishing_factories

pytestmark = pytest.mark.django_db


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def outbox(settings, django_capture_on_commit_callbacks):
    """Run a hand-off, then send the emails of the notifications it made; returns the sent messages."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def run(action):
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=False):
            action()
        mail.outbox.clear()
        for pk in Notification.objects.filter(pk__gt=before).values_list("pk", flat=True):
            send_notification_email.apply(args=[pk]).get()
        return list(mail.outbox)

    return run


def _to(messages, username: str) -> list:
    email = _user(username).email
    return [m for m in messages if email in m.to]


def test_a_check_asked_of_a_colleague_emails_the_checker(outbox):
    sent = outbox(lambda: publishing_factories.submitted_post(checker=_user("manager")))
    assert _to(sent, "manager")


def test_a_returned_post_emails_its_author(outbox):
    post = publishing_factories.submitted_post(checker=_user("manager"))
    sent = outbox(
        lambda: publishing_services.post_check(
            actor=_user("manager"), post=post, decision="returned", comments="Please take out the phone number."
        )
    )
    assert _to(sent, "employee")


def test_a_campaign_asking_approval_emails_the_line_manager(outbox):
    sent = outbox(lambda: publishing_factories.submitted_campaign(_user("employee")))
    assert _to(sent, "manager")


def test_a_campaign_decision_emails_the_proposer(outbox):
    campaign = publishing_factories.submitted_campaign(_user("employee"))
    publishing_services.campaign_endorse(actor=_user("manager"), campaign=campaign)
    sent = outbox(
        lambda: publishing_services.campaign_decide(
            actor=_user("headteacher"), campaign=campaign, approve=True, reason=""
        )
    )
    assert _to(sent, "employee")


def test_a_case_assigned_emails_the_investigating_officer(outbox):
    case = case_factories.open_case(subject=case_factories.staff_of(case_factories.OAKFIELD, 3))
    sent = outbox(
        lambda: case_services.case_assign_investigator(actor=_user("hr"), case=case, officer=_user("investigator"))
    )
    assert _to(sent, "investigator")


def test_an_appeal_lodged_emails_hr(outbox):
    subject = case_factories.staff_of(case_factories.OAKFIELD, 4)
    case = case_factories.case_with_outcome(subject=subject)
    sent = outbox(lambda: case_services.appeal_lodge(actor=subject, case=case, grounds="The group was private."))
    assert _to(sent, "hr") and _to(sent, "headofhr")
    assert "Appeal lodged" in _to(sent, "headofhr")[0].subject


def test_a_question_to_a_named_reporter_emails_them(outbox):
    report = case_factories.report(reporter="manager", subject=case_factories.staff_of(case_factories.KENNET, 1))
    sent = outbox(
        lambda: case_services.report_ask_reporter(actor=_user("hr"), report=report, question="When did you see it?")
    )
    assert _to(sent, "manager")


def test_a_question_to_an_anonymous_reporter_sends_no_email_to_anyone_who_could_be_them(outbox):
    """An anonymous reporter is reached only through their receipt key: no address is held, so none is used."""
    report = case_factories.report(
        reporter="manager", anonymous=True, subject=case_factories.staff_of(case_factories.KENNET, 1)
    )
    sent = outbox(
        lambda: case_services.report_ask_reporter(actor=_user("hr"), report=report, question="When did you see it?")
    )
    assert sent == []


def test_an_hr_follow_up_on_a_declared_account_emails_the_employee(outbox):
    account = disclosure_services.disclosure_declare(
        actor=_user("employee"), platform="x", handle="@oakfield_teacher", privacy_settings_checked=True
    )
    sent = outbox(
        lambda: disclosure_services.disclosure_follow_up(
            actor=_user("hr"), disclosure=account, note="Please take the school's name out of your handle."
        )
    )
    assert _to(sent, "employee")


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_the_investigator_when_a_case_is_assigned(celery_worker_process, demo_world):  # noqa: F811
    case = case_factories.open_case(subject=case_factories.staff_of(case_factories.OAKFIELD, 3))
    case_services.case_assign_investigator(actor=_user("hr"), case=case, officer=_user("investigator"))
    notification = Notification.objects.get(recipient__username="investigator", subject__contains=case.reference)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at:
            break
        time.sleep(0.2)
    assert notification.emailed_at is not None, "the worker did not send the investigator's email"


# Hand-offs that had no message before this feature (small additions to the cases services).


def test_a_report_added_to_an_open_case_tells_the_reporter_and_the_investigating_officer(outbox):
    from cases.models import Case

    case = Case.objects.get(investigating_officer__username="investigator")
    report = case_factories.report(reporter="bizmanager", subject=case.subject)
    sent = outbox(lambda: case_services.report_merge(actor=_user("hr"), report=report, case=case))
    assert _to(sent, "bizmanager") and _to(sent, "investigator")


def test_handing_a_case_to_another_officer_tells_the_one_taken_off_it(outbox, demo_user):
    from people.models import Role, RoleAssignment

    case = case_factories.open_case(subject=case_factories.staff_of(case_factories.OAKFIELD, 3))
    case_services.case_assign_investigator(actor=_user("hr"), case=case, officer=_user("investigator"))
    other = case_factories.staff_of(case_factories.KENNET, 2)
    RoleAssignment.objects.create(user=other, role=Role.INVESTIGATOR, organisation=demo_user("hr").organisation)
    sent = outbox(lambda: case_services.case_assign_investigator(actor=_user("hr"), case=case, officer=other))
    assert _to(sent, "investigator")
    assert [m for m in sent if other.email in m.to]


def test_closing_a_case_tells_the_employee(outbox):
    from cases import services
    from cases.models import Case

    subject = case_factories.staff_of(case_factories.OAKFIELD, 4)
    case = case_factories.held_case(subject=subject)
    services.outcome_record(
        actor=_user("hr"), case=case, kind="no_case", reasons="The post was not about a pupil.", clauses_breached=[]
    )
    case = Case.objects.get(pk=case.pk)
    sent = outbox(lambda: services.case_close(actor=_user("hr"), case=case))
    assert [m for m in sent if subject.email in m.to and "closed" in m.subject]
