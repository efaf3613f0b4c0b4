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


MAX_NIGHTLY_RETRIES = 12  # a bound even where beat's eta is not honoured (tasks run eagerly)


@shared_task(soft_time_limit=3300, time_limit=3600)
def purge_expired_monitoring_data(retry: int = 0) -> int:
    """Nightly at 02:00 UK time: the clause 4.2 purge; the cutoff comes from the run date, so reruns do no harm.
    A run that fails or stops is tried again later in the night; if the night ends with it still failing, HR
    are told. Returns the receipt's id."""
    from monitoring.models import PurgeReceipt
    from monitoring.retention import (
        purge_retry_due,
        retention_failure_alert,
        retention_overdue_alert,
        retention_purge,
    )

    receipt = retention_purge(trigger=PurgeReceipt.Trigger.RETRY if retry else PurgeReceipt.Trigger.SCHEDULE)
    due = purge_retry_due(receipt) if retry < MAX_NIGHTLY_RETRIES else None
    if due is not None:
        receipt.retry_at = due
        receipt.save(update_fields=["retry_at"])
        purge_expired_monitoring_data.apply_async(kwargs={"retry": retry + 1}, eta=due)
    else:
        retention_failure_alert(today=receipt.run_date)
    retention_overdue_alert()
    return receipt.pk


@shared_task
def watch_monitoring_retention() -> bool:
    """Daily: e-mail HR if the night's purge did not finish, or if monitoring data is older than its limit plus
    a day (a purge was missed)."""
    from monitoring.retention import retention_failure_alert, retention_overdue_alert

    failed = retention_failure_alert()
    return retention_overdue_alert() or failed
