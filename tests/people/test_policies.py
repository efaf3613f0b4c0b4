"""Policy versions from the browser (issue 17, item 6): the Head of HR publishes, staff are asked to
acknowledge, the weekly reminder goes to those who have not, and HR's report names them."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.models import Notification, Organisation, PolicyAcknowledgement, PolicyReminder, PolicyVersion, User
from people.policies import policy_reminders_send
from tests.clock import today

pytestmark = pytest.mark.django_db


def publish_form(**overrides):
    data = {
        "version": "12.0",
        "title": "Social media policy",
        "effective_from": today().isoformat(),
        "summary": "Clause 3.4 now asks for the headteacher's approval of every campaign.",
        "text": "1. Introduction\n\nThis policy applies to all staff.",
        "document_url": "",
        "confirm": "on",
    }
    return {**data, **overrides}


def test_the_head_of_hr_publishes_and_staff_are_asked_to_acknowledge(client_for, demo_user):
    response = client_for("headofhr").post(reverse("people:policy_publish"), publish_form(), follow=True)

    assert "Published Social media policy v12.0" in response.content.decode()
    version = PolicyVersion.objects.get(version="12.0")
    assert version.published_by == demo_user("headofhr") and version.text.startswith("1. Introduction")
    employee = client_for("employee")
    page = employee.get(reverse("people:policy")).content.decode()
    assert "This policy applies to all staff." in page and "I have read and understood this version" in page
    employee.post(reverse("people:policy_acknowledge", args=[version.pk]))
    assert PolicyAcknowledgement.objects.filter(policy_version=version, employee=demo_user("employee")).exists()


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"confirm": ""}, "This field is required."),
        ({"text": ""}, "This field is required."),
        ({"effective_from": "31/02/2026"}, "Enter a valid date."),
        ({"document_url": "not a link"}, "Enter a valid URL."),
    ],
)
def test_bad_input_is_answered_beside_the_field(client_for, overrides, field_error):
    response = client_for("headofhr").post(reverse("people:policy_publish"), publish_form(**overrides))

    assert response.status_code == 200 and field_error in response.content.decode()
    assert not PolicyVersion.objects.filter(version="12.0").exists()


def test_a_version_number_is_published_once(client_for):
    existing = PolicyVersion.objects.first()
    response = client_for("headofhr").post(reverse("people:policy_publish"), publish_form(version=existing.version))

    assert "Policy version with this Version already exists." in response.content.decode()


def _fresh_version(head):
    from people.services import policy_version_publish

    return policy_version_publish(
        actor=head, version="12.1", title="Social media policy", summary="Changes.", effective_from=today(), text="T"
    )


def test_reminders_go_weekly_to_those_who_have_not_acknowledged(demo_user):
    version = _fresh_version(demo_user("headofhr"))
    PolicyAcknowledgement.objects.create(policy_version=version, employee=demo_user("employee"))
    in_post = User.objects.active().exclude(email="").count()

    first = policy_reminders_send()

    assert first == in_post - 1
    assert not PolicyReminder.objects.filter(employee=demo_user("employee")).exists()
    note = Notification.objects.filter(recipient=demo_user("manager"), subject__contains="acknowledge").get()
    assert "Version 12.1" in note.body
    assert policy_reminders_send() == 0  # the same week: nobody twice
    with time_machine.travel(timezone.now() + dt.timedelta(days=7), tick=False):
        assert policy_reminders_send() == first


def test_the_command_dry_run_sends_nothing(demo_user):
    _fresh_version(demo_user("headofhr"))
    out = io.StringIO()

    call_command("send_policy_reminders", "--dry-run", stdout=out)

    assert "would be reminded" in out.getvalue()
    assert not PolicyReminder.objects.exists()


def test_the_reminder_runs_weekly_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-policy-acknowledgement-weekly"]
    assert entry["task"] == "people.tasks.send_policy_reminders"


def test_the_report_names_who_has_and_has_not_acknowledged_per_school(client_for, demo_user):
    version = _fresh_version(demo_user("headofhr"))
    PolicyAcknowledgement.objects.create(policy_version=version, employee=demo_user("employee"))
    school = Organisation.objects.get(name="Oakfield Primary School")
    client = client_for("hr")

    report = client.get(reverse("people:policy_acknowledgements")).content.decode()
    assert 'data-testid="acknowledgement-report"' in report and "Oakfield Primary School" in report
    done = client.get(reverse("people:policy_acknowledgement_names", args=[school.pk]) + "?show=acknowledged")
    assert "James Wilson" in done.content.decode()
    pending = client.get(reverse("people:policy_acknowledgement_names", args=[school.pk])).content.decode()
    assert "James Wilson" not in pending and "Sarah Bennett" in pending

    download = client.get(reverse("people:policy_acknowledgement_download"))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Organisation", "Employee number"]
    james = next(r for r in rows if r[2:4] == ["Wilson", "James"])
    assert james[0] == "Oakfield Primary School" and james[5] == "yes"
    assert len(rows) - 1 == User.objects.active().count()
