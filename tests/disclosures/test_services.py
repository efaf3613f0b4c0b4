"""Declaring, resubmitting, following up and reconfirming accounts; politically restricted posts (clause 5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from disclosures import services
from disclosures.models import (
    DisclaimerWording,
    DisclosureReconfirmation,
    PersonalAccountDisclosure,
    PoliticalActivity,
    RestrictedPostRecord,
)
from disclosures.selectors import employees_due_to_reconfirm, reconfirmation_due, restriction_notice_due
from people.models import Notification, OrganisationAlias
from tests.disclosures.factories import declare
from tests.factories import EmployeeFactory
from tests.mailbox import outbox  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

POLICY = "The views I express here are mine alone and do not necessarily reflect the views of my employer."


def test_a_handle_with_the_school_name_needs_changes_and_says_why(demo_user):
    account = declare(demo_user("employee"), handle="@MrWilsonOakfieldPrimary", display_name="James Wilson")
    assert account.outcome == PersonalAccountDisclosure.Outcome.NEEDS_CHANGES
    (name_finding,) = [f for f in account.findings if f["clause"] == "5.3"]
    assert name_finding["matched"] == "OakfieldPrimary"
    assert "Oakfield Primary School" in name_finding["message"]
    assert AuditEvent.objects.filter(action="disclosure.declared", object_id=str(account.pk)).exists()


def test_the_council_name_is_checked_for_school_staff_too(demo_user):
    account = declare(demo_user("employee"), handle="@jw_rbc")
    assert account.findings[0]["name"] == "RBC"


def test_council_staff_are_checked_against_the_council_names_only(demo_user):
    account = declare(demo_user("hr"), handle="@OakfieldPrimaryFan", display_name="Dan at Reading Council")
    assert [f["name"] for f in account.findings if f["clause"] == "5.3"] == ["Reading Council"]


def test_an_alias_hr_adds_is_checked_at_the_next_submission(demo_user):
    employee = demo_user("employee")
    account = declare(employee, handle="@WilsonAtOakfield")
    assert account.is_compliant
    OrganisationAlias.objects.create(organisation=employee.organisation, alias="Oakfield")
    data = {"platform": "x", "handle": "@WilsonAtOakfield", "privacy_settings_checked": True}
    assert not services.disclosure_update(actor=employee, disclosure=account, **data).is_compliant


def test_discussing_work_without_a_disclaimer_needs_changes_and_a_fix_makes_it_compliant(demo_user):
    employee = demo_user("employee")
    account = declare(employee, handle="@jwilson_reads", discusses_work=True, disclaimer="Views my own")
    assert not account.is_compliant
    (finding,) = [f for f in account.findings if f["clause"] == "5.4"]
    assert finding["missing"] == ["not_employer"]
    fixed = services.disclosure_update(
        actor=employee,
        disclosure=account,
        platform="x",
        handle="@jwilson_reads",
        discusses_work=True,
        disclaimer=POLICY,
        privacy_settings_checked=True,
    )
    assert fixed.is_compliant and fixed.resubmissions == 1
    assert AuditEvent.objects.filter(action="disclosure.resubmitted", object_id=str(account.pk)).exists()


def test_hr_can_switch_off_a_wording_and_the_check_no_longer_accepts_it(demo_user):
    DisclaimerWording.objects.filter(pattern="views * my own").update(is_active=False)
    account = declare(
        demo_user("employee"), handle="@jw", discusses_work=True, disclaimer="Views my own, not my employer's"
    )
    assert not account.is_compliant


def test_the_privacy_reminder_must_be_ticked(demo_user):
    with pytest.raises(ValidationError) as err:
        declare(demo_user("employee"), handle="@jw", privacy_settings_checked=False)
    assert "privacy_settings_checked" in err.value.error_dict
    assert not PersonalAccountDisclosure.objects.filter(employee=demo_user("employee")).exists()


def test_declaring_the_same_account_twice_is_refused_whatever_the_case(demo_user):
    declare(demo_user("employee"), handle="@JWilson")
    with pytest.raises(ValidationError) as err:
        declare(demo_user("employee"), handle="@jwilson")
    assert "already declared" in str(err.value)
    assert PersonalAccountDisclosure.objects.filter(employee=demo_user("employee")).count() == 1


def test_an_employee_cannot_update_someone_elses_account(demo_user):
    account = PersonalAccountDisclosure.objects.get(employee__username="manager")
    with pytest.raises(PermissionDenied):
        services.disclosure_update(actor=demo_user("employee"), disclosure=account, handle="@x", platform="x")
    with pytest.raises(PermissionDenied):  # nor may HR edit it: only its owner
        services.disclosure_update(actor=demo_user("hr"), disclosure=account, handle="@x", platform="x")


def test_political_activity_of_a_restricted_post_holder_is_flagged_to_hr(demo_user):
    holder = EmployeeFactory(organisation=demo_user("hr").organisation, politically_restricted=True)
    account = declare(holder, handle="@campaigner", political_activities=[PoliticalActivity.CANDIDATE])
    assert account.political_flagged_at is not None
    told = set(
        Notification.objects.filter(subject__startswith="Political activity").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"hr", "headofhr"} <= told


def test_political_activity_is_not_flagged_for_other_posts(demo_user):
    account = declare(demo_user("employee"), handle="@jw", political_activities=[PoliticalActivity.CAMPAIGNING])
    assert account.political_flagged_at is None


def test_hr_follows_up_and_the_employee_is_told(demo_user):
    account = declare(demo_user("employee"), handle="@OakfieldPrimaryJW")
    services.disclosure_follow_up(actor=demo_user("hr"), disclosure=account, note="Please rename the account.")
    assert account.follow_ups.count() == 1
    assert Notification.objects.filter(recipient=demo_user("employee"), subject__contains="followed up").exists()


@pytest.mark.parametrize("username", ["employee", "manager", "headteacher", "investigator", "comms"])
def test_only_hr_follows_up(demo_user, username):
    account = declare(demo_user("employee"), handle="@OakfieldPrimaryJW")
    with pytest.raises(PermissionDenied):
        services.disclosure_follow_up(actor=demo_user(username), disclosure=account, note="Hello")


def test_an_empty_follow_up_is_refused(demo_user):
    account = declare(demo_user("employee"), handle="@OakfieldPrimaryJW")
    with pytest.raises(ValidationError):
        services.disclosure_follow_up(actor=demo_user("hr"), disclosure=account, note="   ")


def test_reconfirmation_is_due_a_year_after_declaring_and_confirming_resets_it(demo_user):
    employee = demo_user("employee")
    assert not reconfirmation_due(employee)  # nothing declared, nothing to confirm
    account = declare(employee, handle="@jw")
    assert not reconfirmation_due(employee)
    PersonalAccountDisclosure.objects.filter(pk=account.pk).update(submitted_at=timezone.now() - dt.timedelta(days=366))
    assert reconfirmation_due(employee)
    assert employee in employees_due_to_reconfirm()
    services.disclosures_reconfirm(actor=employee)
    assert not reconfirmation_due(employee)
    assert employee not in employees_due_to_reconfirm()
    DisclosureReconfirmation.objects.filter(employee=employee).update(
        confirmed_at=timezone.now() - dt.timedelta(days=400)
    )
    assert reconfirmation_due(employee)


def test_the_reminder_goes_once_a_month_at_most(demo_user, django_capture_on_commit_callbacks):
    employee = demo_user("employee")
    account = declare(employee, handle="@jw")
    PersonalAccountDisclosure.objects.filter(pk=account.pk).update(submitted_at=timezone.now() - dt.timedelta(days=366))
    with django_capture_on_commit_callbacks(execute=False):
        first = services.reconfirmation_remind_due()
        again = services.reconfirmation_remind_due()
    assert first >= 1 and again == 0
    assert Notification.objects.filter(recipient=employee, subject__startswith="Please reconfirm").count() == 1


def test_hr_marks_a_restricted_post_the_holder_acknowledges_and_hr_lifts_it(demo_user):
    employee, hr = demo_user("employee"), demo_user("hr")
    services.restricted_post_mark(actor=hr, employee=employee, reason="Advises governors on policy")
    employee.refresh_from_db()
    assert employee.politically_restricted and restriction_notice_due(employee)
    assert Notification.objects.filter(recipient=employee, subject__contains="politically restricted").exists()
    with pytest.raises(ValidationError):
        services.restricted_post_mark(actor=hr, employee=employee)
    services.restricted_post_acknowledge(actor=employee)
    services.restricted_post_acknowledge(actor=employee)  # a second click changes nothing
    assert not restriction_notice_due(employee)
    assert RestrictedPostRecord.objects.filter(employee=employee, acknowledged_at__isnull=False).count() == 1
    services.restricted_post_lift(actor=hr, employee=employee)
    employee.refresh_from_db()
    assert not employee.politically_restricted
    assert AuditEvent.objects.filter(action="restricted_post.lifted").exists()


def test_lifting_a_restriction_tells_the_employee_what_it_means(demo_user, outbox):  # noqa: F811
    employee, hr = demo_user("employee"), demo_user("hr")
    services.restricted_post_mark(actor=hr, employee=employee, reason="Advises the governors' policy panel")
    sent = outbox(lambda: services.restricted_post_lift(actor=hr, employee=employee))
    note = Notification.objects.get(recipient=employee, subject="Your post is no longer politically restricted")
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"from {today} your post is no longer politically restricted" in note.body
    assert "Advises the governors' policy panel" in note.body  # plain text, not HTML-escaped
    assert "clause 5.6" in note.body and "(5.2)" in note.body and "(5.4)" in note.body
    assert note.url == reverse("disclosures:mine")
    [email] = [m for m in sent if m.to == [employee.email]]
    assert email.subject.endswith("Your post is no longer politically restricted")
    assert "no longer passed to HR" in email.body
    assert not [m for m in sent if m.to != [employee.email]], "only the employee is told"


def test_lifting_a_restriction_marked_before_records_were_kept_still_tells_the_employee(demo_user):
    holder = EmployeeFactory(politically_restricted=True)
    services.restricted_post_lift(actor=demo_user("hr"), employee=holder)
    note = Notification.objects.get(recipient=holder, subject="Your post is no longer politically restricted")
    assert "had been restricted because" not in note.body


def test_a_refused_lift_tells_no_one(demo_user):
    employee = demo_user("employee")
    with pytest.raises(ValidationError):
        services.restricted_post_lift(actor=demo_user("hr"), employee=employee)
    with pytest.raises(PermissionDenied):
        services.restricted_post_lift(actor=demo_user("manager"), employee=demo_user("employee"))
    assert not Notification.objects.filter(recipient=employee, subject__contains="no longer").exists()


@pytest.mark.parametrize("username", ["employee", "manager", "headteacher", "bizmanager", "investigator", "comms"])
def test_only_hr_marks_restricted_posts(demo_user, username):
    with pytest.raises(PermissionDenied):
        services.restricted_post_mark(actor=demo_user(username), employee=demo_user("employee"))


def test_someone_not_in_a_restricted_post_cannot_acknowledge_the_notice(demo_user):
    with pytest.raises(PermissionDenied):
        services.restricted_post_acknowledge(actor=demo_user("employee"))


def test_a_seeded_holder_without_a_record_can_still_acknowledge(demo_user):
    holder = EmployeeFactory(politically_restricted=True)
    assert restriction_notice_due(holder)
    services.restricted_post_acknowledge(actor=holder)
    assert not restriction_notice_due(holder)


def test_a_bad_wording_is_refused_and_nothing_saved(demo_user):
    with pytest.raises(ValidationError):
        services.disclaimer_wording_save(
            actor=demo_user("hr"), wording=DisclaimerWording(pattern="* views", element="own_views")
        )
    assert not DisclaimerWording.objects.filter(pattern="* views").exists()
    with pytest.raises(PermissionDenied):
        services.disclaimer_wording_save(
            actor=demo_user("employee"), wording=DisclaimerWording(pattern="my take", element="own_views")
        )


def test_the_reminder_command_and_task_call_the_same_service(demo_user, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    from disclosures.tasks import remind_disclosure_reconfirmation

    account = declare(demo_user("employee"), handle="@jw")
    PersonalAccountDisclosure.objects.filter(pk=account.pk).update(submitted_at=timezone.now() - dt.timedelta(days=366))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False):
        call_command("remind_disclosure_reconfirmation", stdout=out)
        assert remind_disclosure_reconfirmation.apply().get() == 0  # already reminded this month
    assert "Reminded 1 employee." in out.getvalue()
