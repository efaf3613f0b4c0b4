"""Hand-offs reach people in the app at once and by email through a real worker."""

import pytest
from django.core import mail

from people.models import Notification
from people.notifications import notify
from people.tasks import send_notification_email, send_pending_notification_emails
from tests.celery_worker import celery_worker_process  # noqa: F401

pytestmark = pytest.mark.django_db


def test_notify_creates_an_in_app_notification_per_recipient_once(demo_user, django_capture_on_commit_callbacks):
    hr, manager = demo_user("hr"), demo_user("manager")
    with django_capture_on_commit_callbacks(execute=False):
        created = notify(
            recipients=[hr, manager, hr],
            subject="Check waiting",
            template="people/email/test.txt",
            context={"thing": "a post"},
            url="/",
        )
    assert len(created) == 2
    assert Notification.objects.get(recipient=hr).body == "There is a post waiting for you, Daniel."


def test_sending_is_idempotent(demo_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    n = Notification.objects.create(recipient=demo_user("hr"), subject="S", body="B", url="/cases/")
    assert send_notification_email.apply(args=[n.pk]).get() is True
    assert send_notification_email.apply(args=[n.pk]).get() is False
    assert len(mail.outbox) == 1
    assert "http://" in mail.outbox[0].body and "/cases/" in mail.outbox[0].body


def test_the_sweep_sends_what_could_not_be_queued(demo_user, settings):
    import datetime as dt

    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    n = Notification.objects.create(
        recipient=demo_user("manager"), subject="S", body="B", created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    # Other unsent notifications (from demo data, once old enough) may go out in the same sweep.
    assert send_pending_notification_emails.apply().get() >= 1
    n.refresh_from_db()
    assert n.emailed_at is not None


def test_only_the_recipient_can_open_a_notification(client_for, demo_user):
    n = Notification.objects.create(recipient=demo_user("hr"), subject="S", body="B", url="/people/employees/")
    assert client_for("manager").post(f"/notifications/{n.pk}/open/").status_code == 404
    response = client_for("hr").post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/people/employees/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_offsite_link_in_a_notification_is_not_followed(client_for, demo_user):
    n = Notification.objects.create(recipient=demo_user("hr"), subject="S", body="B", url="https://evil.example/")
    assert client_for("hr").post(f"/notifications/{n.pk}/open/")["Location"] == "/notifications/"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_emails_a_notification(celery_worker_process, demo_world):  # noqa: F811
    from people.models import User

    hr = User.objects.get(username="hr")
    notify(recipients=[hr], subject="Hello", template="people/email/test.txt", context={"thing": "a case"})
    n = Notification.objects.get(recipient=hr)
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        n.refresh_from_db()
        if n.emailed_at:
            break
        time.sleep(0.2)
    assert n.emailed_at is not None, "the worker did not send the email"


class RefusingMailServer:
    """An email backend whose server refuses every message, as an SMTP server that is down would."""

    tries = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        RefusingMailServer.tries += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_failed_email_is_counted_and_given_up_after_a_bounded_number_of_tries_with_hr_told(demo_user, settings):
    import datetime as dt

    from django.utils import timezone

    from people import tasks

    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    RefusingMailServer.tries = 0
    n = Notification.objects.create(
        recipient=demo_user("manager"), subject="S", body="B", created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    Notification.objects.exclude(pk=n.pk).update(emailed_at=timezone.now())  # only this one is waiting

    assert send_notification_email.apply(args=[n.pk]).state in {"RETRY", "FAILURE"}
    n.refresh_from_db()
    assert n.email_attempts >= 1 and n.emailed_at is None  # the try is counted although the send rolled back

    for _ in range(tasks.MAX_ATTEMPTS + 5):  # the five-minute sweep, more times than the limit
        send_pending_notification_emails.apply().get()
    n.refresh_from_db()
    assert n.email_attempts == tasks.MAX_ATTEMPTS
    tries = RefusingMailServer.tries
    send_pending_notification_emails.apply().get()
    assert send_notification_email.apply(args=[n.pk]).get() is False
    assert RefusingMailServer.tries == tries  # given up: not tried again

    notices = Notification.objects.filter(subject=getattr(tasks, "GAVE_UP_SUBJECT", "An email could not be sent"))
    assert {x.recipient.username for x in notices} >= {"hr"}
    assert notices.filter(recipient__username="hr").count() == 1
    assert "will not be tried again" in notices.get(recipient__username="hr").body
    assert "manager" not in {x.recipient.username for x in notices}
