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


class IncidentTally(models.Model):
    """How many concerns were reported in one month about staff of one organisation, per category.

    Kept by database triggers on cases_incidentreport (and on an employee moving organisation) from
    migration 0002, so the incidents reports read a few thousand tallies instead of a million reports
    (docs/PERFORMANCE.md). `category` "" counts reports; any other value counts mentions of that
    category (a report under two categories counts once under each). The month and the organisation are
    those the reports use: the month in UK time, the organisation that employs the subject now (none when
    the subject is not known)."""

    month = models.DateField()
    organisation = models.ForeignKey(
        "people.Organisation", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    category = models.CharField(max_length=30, blank=True)
    reports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "organisation", "category"], name="incident_tally_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.organisation_id} {self.category or 'reports'}: {self.reports}"


class CaseTally(models.Model):
    """How many cases opened in one month at one organisation are in one state, with one outcome.

    Kept by database triggers on cases_case and cases_disciplinaryoutcome (migration 0005), so "Cases by
    state and outcome" reads a few hundred tallies instead of every case of the period. The month is the
    case's opening in UK time, the organisation the case's own; `outcome` is "" until one is decided."""

    month = models.DateField()
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=30)
    outcome = models.CharField(max_length=30, blank=True)
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "organisation", "status", "outcome"], name="case_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.organisation_id} {self.status}/{self.outcome or '-'}: {self.cases}"
