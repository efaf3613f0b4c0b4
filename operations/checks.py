"""Checks `manage.py check --deploy` runs on top of Django's own: what a production host must not go without."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def admins_are_set(app_configs, **kwargs):
    if settings.ADMINS:
        return []
    return [
        Warning(
            "ADMINS is empty, so nobody hears of a server error or a broken audit trail.",
            hint="Set ADMINS, e.g. ADMINS='IT Service Desk <it-servicedesk@example.org>'.",
            id="operations.W001",
        )
    ]


@register(deploy=True)
def queue_outlives_the_longest_task(app_configs, **kwargs):
    """Redis hands an unacknowledged task to another worker after `visibility_timeout`: if that is not longer
    than a task may run, a long task (the nightly purge) is delivered twice."""
    from operations.tasks_limits import longest_time_limit

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    longest = longest_time_limit()
    if visibility > longest:
        return []
    return [
        Warning(
            f"The queue's visibility timeout ({visibility} s) is not longer than the longest task ({longest} s).",
            hint="Raise CELERY_VISIBILITY_TIMEOUT above every task's time limit.",
            id="operations.W002",
        )
    ]
