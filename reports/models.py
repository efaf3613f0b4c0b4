"""The reports app keeps one table: which deadline reminders have gone out, so a rerun sends nothing twice."""

from django.db import models
from django.utils import timezone


class ReminderSent(models.Model):
    """One reminder sent for one thing at one stage (e.g. a subject access request becoming overdue)."""

    key = models.CharField(max_length=100, unique=True, help_text="kind:object id:stage, e.g. sar:12:overdue.")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
