"""Scheduled work of the reports app (the schedule is in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from reports.reminders import send_due_reminders


@shared_task
def send_deadline_reminders() -> int:
    """Idempotent: each reminder is recorded once, so a rerun sends nothing twice."""
    return send_due_reminders()
