"""Scheduled work of covert surveillance (the schedule is in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from surveillance.services import send_surveillance_reminders as _send_surveillance_reminders


@shared_task
def send_surveillance_reminders() -> int:
    """Reminders before a surveillance review date and end (7.2); each is sent once, so reruns are harmless."""
    return _send_surveillance_reminders()
