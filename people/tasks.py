import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import Notification

MAX_ATTEMPTS = 8
logger = logging.getLogger(__name__)


GAVE_UP_SUBJECT = "An email could not be sent"


@shared_task(bind=True, max_retries=5, default_retry_delay=60, autoretry_for=(OSError,), retry_backoff=True)
def send_notification_email(self, notification_id: int) -> bool:
    """Send one notification's email; idempotent, so a retry or a sweep never sends it twice."""
    return notification_email_send(notification_id)


def notification_email_send(notification_id: int) -> bool:
    """Try once to email a notification; True if sent.

    Each try is counted whether or not the mail server takes the message: a failed send is caught inside the
    transaction, so the count is committed, and the error is raised again only afterwards (for Celery's retry).
    After MAX_ATTEMPTS tries the email is given up and HR are told in the app."""
    failure: Exception | None = None
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if n is None or not n.recipient.email:
            return False
        attempts = n.email_attempts + 1
        Notification.objects.filter(pk=n.pk).update(email_attempts=F("email_attempts") + 1)
        link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
        text = f"{n.body}\n\n{link}\n" if link else f"{n.body}\n"
        message = EmailMultiAlternatives(n.subject, text, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - counted and raised again below, after the count is committed
            failure = exc
            if attempts >= MAX_ATTEMPTS:
                _tell_hr_an_email_was_given_up(n)
        else:
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    if failure is not None:
        if attempts >= MAX_ATTEMPTS:
            logger.error("notification %s: email given up after %s tries: %s", notification_id, attempts, failure)
            return False
        raise failure
    return True


def _tell_hr_an_email_was_given_up(n: Notification) -> None:
    """An in-app notice to HR; not for a notice of this kind itself, so a mail server that is down for days
    does not start a chain of notices about notices."""
    from people.models import Role, User
    from people.notifications import notify

    if n.subject == GAVE_UP_SUBJECT:
        return
    hr = User.objects.filter(role_assignments__role__in=[Role.HR_OFFICER, Role.HEAD_OF_HR], is_active=True).distinct()
    notify(
        recipients=hr,
        subject=GAVE_UP_SUBJECT,
        template="people/email/email_given_up.txt",
        context={"notification": n, "attempts": MAX_ATTEMPTS},
    )


@shared_task
def send_pending_notification_emails() -> int:
    """Beat sweep: emails whose queueing failed (Redis down) or whose sending failed are tried again."""
    cutoff = timezone.now() - dt.timedelta(minutes=2)
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=cutoff, email_attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)[:500]
    )
    sent = 0
    for pk in ids:
        try:
            # One try each, not the task with its retries: a sweep every five minutes spreads the tries out.
            sent += notification_email_send(pk)
        except Exception:  # one bad address must not stop the sweep
            logger.exception("sending notification %s failed; it will be tried again", pk)
    return sent


@shared_task
def send_policy_reminders() -> int:
    """Weekly beat task: remind staff who have not acknowledged the current policy version."""
    from people.policies import policy_reminders_send

    return policy_reminders_send()


@shared_task
def clear_expired_sessions() -> None:
    """Nightly: delete expired sessions (Django's `clearsessions`), so a stolen old cookie has nothing to find."""
    from django.core.management import call_command

    call_command("clearsessions")
