from celery import shared_task

from monitoring.services import withdrawal_review_reminders_send


@shared_task
def send_withdrawal_review_reminders() -> int:
    """Daily: remind HR of access withdrawals due for review (4.3); idempotent."""
    return withdrawal_review_reminders_send()


@shared_task
def ensure_usage_partitions() -> list[str]:
    """Daily: make sure next months' partitions of the usage table exist before any import needs them."""
    from monitoring.partitions import ensure_partitions

    return ensure_partitions(months_ahead=3)
