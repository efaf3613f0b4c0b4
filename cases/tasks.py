"""Scheduled work of the cases app (the schedule is in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from cases.services import send_deadline_reminders as _send_deadline_reminders


@shared_task
def send_deadline_reminders() -> int:
    """Idempotent: each deadline is reminded once, so a rerun sends nothing twice."""
    return _send_deadline_reminders()
