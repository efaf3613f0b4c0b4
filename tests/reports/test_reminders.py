"""The reminder job for deadlines near or passed that the apps do not remind of themselves."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from people.models import Notification, SubjectAccessRequest, User
from reports.models import ReminderSent
from reports.reminders import send_due_reminders
from reports.tasks import send_deadline_reminders
from tests.publishing import factories as publishing_factories

pytestmark = pytest.mark.django_db


def _sar(received_days_ago: int) -> SubjectAccessRequest:
    from people.sar import sar_log

    received = timezone.localdate() - dt.timedelta(days=received_days_ago)
    return sar_log(
        actor=User.objects.get(username="hr"), employee=User.objects.get(username="employee"), received_on=received
    )


def test_a_subject_access_request_near_its_due_date_reminds_hr_once_then_again_when_overdue():
    sar = _sar(received_days_ago=27)
    assert send_due_reminders() >= 1
    assert Notification.objects.filter(recipient__username="hr", subject="Subject access request due soon").count() == 1
    assert send_due_reminders() == 0  # a rerun sends nothing twice
    later = timezone.now() + dt.timedelta(days=10)
    send_due_reminders(now=later)
    assert Notification.objects.filter(
        recipient__username="headofhr", subject="Subject access request overdue"
    ).exists()
    assert ReminderSent.objects.filter(key=f"sar:{sar.pk}:passed").exists()


def test_a_request_far_from_due_sends_nothing():
    _sar(received_days_ago=1)
    send_due_reminders()
    assert not Notification.objects.filter(subject__startswith="Subject access request").exists()


def test_a_post_left_waiting_for_its_check_nudges_the_checker():
    post = publishing_factories.submitted_post(checker=User.objects.get(username="manager"))
    send_due_reminders()
    assert not Notification.objects.filter(subject="A post is still waiting for your check").exists()
    send_due_reminders(now=timezone.now() + dt.timedelta(days=4))
    reminder = Notification.objects.get(subject="A post is still waiting for your check", url=post.get_absolute_url())
    assert reminder.recipient.username == "manager"


def test_concerns_left_in_triage_remind_hr_but_not_the_person_concerned():
    send_due_reminders(now=timezone.now() + dt.timedelta(days=5))
    reminded = set(
        Notification.objects.filter(subject__contains="still waiting for triage").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"hr", "headofhr"}


def test_the_campaign_awaiting_the_headteacher_reminds_the_headteacher():
    send_due_reminders(now=timezone.now() + dt.timedelta(days=5))
    assert Notification.objects.filter(recipient__username="headteacher", subject__contains="Walk to School").exists()


def test_the_task_and_the_command_do_the_same(capsys):
    _sar(received_days_ago=29)
    call_command("send_reminders", "--dry-run")
    assert "sar:" in capsys.readouterr().out
    assert not ReminderSent.objects.exists()
    assert send_deadline_reminders.apply().get() >= 1
    call_command("send_reminders")
    assert "0 reminder(s) sent." in capsys.readouterr().out
    call_command("send_reminders", "--dry-run")
    assert "(already sent)" in capsys.readouterr().out


def test_the_reminder_log_factory_builds_a_row():
    from tests.reports.factories import ReminderSentFactory

    assert ReminderSentFactory().pk


def test_the_job_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.tasks.send_deadline_reminders" in tasks
