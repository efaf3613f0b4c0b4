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


@shared_task(bind=True, max_retries=5, default_retry_delay=60, autoretry_for=(OSError,), retry_backoff=True)
def send_notification_email(self, notification_id: int) -> bool:
    """Send one notification's email; idempotent, so a retry or a sweep never sends it twice."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if n is None or not n.recipient.email:
            return False
        Notification.objects.filter(pk=n.pk).update(email_attempts=F("email_attempts") + 1)
        link = f"{settings.SITE_URL}{n.url}" if n.url.startswith("/") else n.url
        text = f"{n.body}\n\n{link}\n" if link else f"{n.body}\n"
        message = EmailMultiAlternatives(n.subject, text, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        message.send()
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return True


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
            sent += bool(send_notification_email.apply(args=[pk]).get(propagate=False))
        except Exception:  # one bad address must not stop the sweep
            logger.exception("sending notification %s failed; it will be tried again", pk)
    return sent


@shared_task
def clear_expired_sessions() -> None:
    """Nightly: delete expired sessions (Django's `clearsessions`), so a stolen old cookie has nothing to find."""
    from django.core.management import call_command

    call_command("clearsessions")
