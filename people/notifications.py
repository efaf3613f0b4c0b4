"""Telling people about hand-offs: an in-app notification now, an email through Celery after commit.

    notify(recipients=[user], subject="Campaign awaiting your approval",
           template="publishing/email/campaign_submitted.txt", context={...}, url=campaign.get_absolute_url())

The template is rendered once per recipient (with `recipient` in its context) into the in-app body
and the plain-text email; an `.html` twin of the template, if it exists, becomes the HTML part.
The request never waits for the mail server, and never fails because Redis is down: unsent
emails are swept up by the `send_pending_notification_emails` beat task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string

from people.models import Notification, User

logger = logging.getLogger(__name__)


def notify(
    *, recipients: Iterable[User], subject: str, template: str, context: dict | None = None, url: str = ""
) -> list[Notification]:
    created = []
    for recipient in {r.pk: r for r in recipients if r is not None}.values():
        body = render_to_string(template, {**(context or {}), "recipient": recipient, "url": url}).strip()
        created.append(Notification.objects.create(recipient=recipient, subject=subject[:200], body=body, url=url))
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _queue_emails(ids))
    return created


def _queue_emails(ids: list[int]) -> None:
    from people.tasks import send_notification_email

    for pk in ids:
        try:
            send_notification_email.delay(pk)
        except Exception:  # noqa: BLE001 - broker down: the sweep task sends it later
            logger.warning("could not queue email for notification %s; the sweep will send it", pk)


def notification_mark_read(*, actor: User, notification: Notification) -> None:
    if notification.recipient_id != actor.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        from django.utils import timezone

        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
