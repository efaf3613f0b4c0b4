"""Monitoring of internet use within the policy (clauses 1.2, 2.1, 2.2, 4.1, 4.2, 4.3).

Every kind of information gathered about an employee's internet use carries `created_at`, so that the
12-month purge of clause 4.2 can find it. Usage records live in a PostgreSQL table partitioned by month
(see migration 0002 and `monitoring.partitions`), so the purge can drop whole months.
"""

from __future__ import annotations

import ipaddress

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from people.models import Organisation, User


class Site(models.Model):
    """A social media site in the catalogue; clause 1.2 says the list keeps changing, so HR maintains it."""

    class Category(models.TextChoices):
        NETWORK = "network", "Social network or forum (1.1)"
        BLOG = "blog", "Blog (1.1)"
        VIDEO = "video", "Video or image sharing (1.1)"
        MESSAGING = "messaging", "Messaging app (1.2)"

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.NETWORK)
    domains = ArrayField(
        models.CharField(max_length=253),
        help_text="Domains of the site, one a line; sub-domains match too (www.facebook.com matches facebook.com).",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive sites are no longer kept by imports.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AddressRange(models.Model):
    """A network range at a school, telling a school device from a member of staff's own device (2.1, 2.2)."""

    class Device(models.TextChoices):
        SCHOOL = "school", "School device (2.1)"
        OWN = "own", "Own device (2.2)"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="address_ranges")
    network = models.CharField(max_length=50, help_text="A network in CIDR form, e.g. 10.20.0.0/16 or 2001:db8::/48.")
    device = models.CharField(max_length=10, choices=Device.choices)
    label = models.CharField(max_length=100, blank=True, help_text="For example: staff Wi-Fi for own devices.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "network"]
        constraints = [models.UniqueConstraint(fields=["network"], name="address_range_unique_network")]

    def __str__(self) -> str:
        return f"{self.network} ({self.get_device_display()})"

    def clean(self) -> None:
        try:
            self.network = str(ipaddress.ip_network(self.network.strip(), strict=False))
        except ValueError:
            raise ValidationError({"network": "Enter a network such as 10.20.0.0/16 or 2001:db8::/48."})


class IdentityKind(models.TextChoices):
    USERNAME = "username", "Filter user name"
    ADDRESS = "address", "Device address"


class NetworkIdentity(models.Model):
    """A filter user name or device address that belonged to an employee over a period (addresses are reused)."""

    kind = models.CharField(max_length=10, choices=IdentityKind.choices)
    value = models.CharField(
        max_length=255, help_text="User name without its domain (DOMAIN\\jdoe and jdoe@school are jdoe), or address."
    )
    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_identities")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True, help_text="Leave empty while it is still in use.")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "network identities"
        ordering = ["kind", "value", "-valid_from"]
        indexes = [models.Index(fields=["kind", "value"], name="identity_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__lt=models.F("valid_to")),
                name="identity_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} → {self.employee}"

    def covers(self, moment) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or moment < self.valid_to)


class CsvMapping(models.Model):
    """Which column of a filter's CSV export holds what, saved once per filter (e.g. a Smoothwall export)."""

    name = models.CharField(max_length=100, unique=True, help_text="The filter whose export this reads.")
    delimiter = models.CharField(max_length=1, default=",")
    time_column = models.CharField(max_length=100)
    time_format = models.CharField(
        max_length=50,
        default="%Y-%m-%d %H:%M:%S",
        help_text="A strftime pattern such as %d/%m/%Y %H:%M:%S (UK time unless it has %z), or 'epoch'.",
    )
    user_column = models.CharField(max_length=100, blank=True)
    address_column = models.CharField(max_length=100, blank=True)
    url_column = models.CharField(max_length=100)
    bytes_column = models.CharField(max_length=100, blank=True)
    status_column = models.CharField(max_length=100, blank=True)
    blocked_values = models.CharField(
        max_length=200, blank=True, default="blocked,denied", help_text="Status values meaning the filter blocked it."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "CSV column mapping"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.user_column or self.address_column):
            raise ValidationError("Name the column with the user name, the source address, or both.")


class UsageImport(models.Model):
    """One imported log file and its report (lines read, kept, dropped, rejected, unmatched identities)."""

    class Format(models.TextChoices):
        SQUID = "squid", "Squid access.log (native format)"
        FORTIGATE = "fortigate", "FortiGate web-filter or traffic log (key=value)"
        CSV = "csv", "CSV export with a saved column mapping"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed, nothing imported"

    file_name = models.CharField(max_length=255)
    file_size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=10, choices=Format.choices)
    mapping = models.ForeignKey(CsvMapping, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    failure = models.TextField(blank=True)
    lines_read = models.BigIntegerField(default=0)
    lines_kept = models.BigIntegerField(default=0)
    lines_dropped = models.BigIntegerField(default=0)
    lines_rejected = models.BigIntegerField(default=0)
    records_written = models.BigIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True, help_text="The first 100: [line number, reason].")
    dropped_reasons = models.JSONField(default=dict, blank=True)
    unmatched = models.JSONField(default=list, blank=True, help_text="Identities no employee matched: [kind, value].")
    first_seen = models.DateTimeField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} on {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:import_detail", args=[self.pk])


class UsageRecord(models.Model):
    """Social media use by one identity on one site in one minute (clause 4.1's internet usage).

    The table is created by RunSQL (PARTITION BY RANGE (started_at), one partition per month) and is not
    managed by Django. Its unique key (identity, site, device, started_at) makes re-imports idempotent.
    """

    class Device(models.TextChoices):
        SCHOOL = "school", "School device"
        OWN = "own", "Own device"
        UNKNOWN = "unknown", "Unknown device"

    id = models.BigAutoField(primary_key=True)
    import_id = models.BigIntegerField(null=True, help_text="The last import that added to this record.")
    identity_kind = models.CharField(max_length=10, choices=IdentityKind.choices)
    identity_value = models.CharField(max_length=255)
    employee = models.ForeignKey(User, null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    site = models.ForeignKey(Site, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    device = models.CharField(max_length=10, choices=Device.choices)
    started_at = models.DateTimeField(help_text="The minute this record covers (the partition key).")
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    requests = models.IntegerField()
    bytes = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        managed = False
        db_table = "monitoring_usagerecord"
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.identity_value} on {self.site_id} at {self.started_at:%Y-%m-%d %H:%M}"


class UsageDay(models.Model):
    """One employee's social media minutes on one day, split as clauses 2.1 and 2.2 see them."""

    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="usage_days")
    day = models.DateField()
    minutes_in_breaks = models.PositiveIntegerField(default=0, help_text="Inside official rest breaks (allowed).")
    minutes_outside_breaks = models.PositiveIntegerField(
        default=0, help_text="During work time outside rest breaks (not allowed, 2.1, 2.2)."
    )
    minutes_overtime = models.PositiveIntegerField(default=0, help_text="During overtime (not allowed, 2.1).")
    minutes_outside_hours = models.PositiveIntegerField(default=0, help_text="Outside working hours.")
    minutes_school_device = models.PositiveIntegerField(default=0)
    minutes_own_device = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    possible_excessive_use = models.BooleanField(
        default=False, help_text="A pointer for a person to look at (4.1), never a finding."
    )
    created_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["employee", "day"], name="usage_day_unique")]
        indexes = [
            # HR's overview totals a period's days per employee from this index alone (an index-only scan).
            models.Index(
                fields=["day", "employee"],
                include=["minutes_in_breaks", "minutes_outside_breaks", "minutes_overtime", "possible_excessive_use"],
                name="usage_day_period_totals_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} on {self.day:%d/%m/%Y}"

    @property
    def minutes_not_allowed(self) -> int:
        return self.minutes_outside_breaks + self.minutes_overtime


class MonitoringCheck(models.Model):
    """A check of one employee's internet use over a period, for a valid reason (4.1), approved by HR."""

    class Reason(models.TextChoices):
        EXCESSIVE_USE = "excessive_use", "Suspected excessive non-work use of social media (4.1)"
        POLICY_BREACH = "policy_breach", "Suspected breach of the social media policy (4.1)"
        OTHER = "other", "Another reason, which HR must accept"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        COMPLETE = "complete", "Complete"

    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="monitoring_checks")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="requested_checks")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    justification = models.TextField(help_text="What has been seen that makes the check necessary.")
    period_start = models.DateField()
    period_end = models.DateField()
    status = FSMField(default=Status.REQUESTED, choices=Status.choices, protected=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    completed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    notice_deferred_reason = models.TextField(
        blank=True, help_text="Why telling the employee now would prejudice an investigation."
    )
    employee_told_at = models.DateTimeField(null=True, blank=True)
    case_reference = models.CharField(max_length=50, blank=True, help_text="The case these findings feed, if any.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="check_period_order"),
            models.CheckConstraint(condition=~Q(employee=models.F("requested_by")), name="check_not_about_requester"),
        ]

    def __str__(self) -> str:
        return f"Monitoring check of {self.employee} ({self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:check_detail", args=[self.pk])

    @property
    def organisation_id(self):
        return self.employee.organisation_id

    @transition(field=status, source=Status.REQUESTED, target=Status.APPROVED)
    def approve(self, *, by: User, note: str) -> None:
        """HR approves the check (and, for 'other', accepts the reason given)."""
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), note

    @transition(field=status, source=Status.REQUESTED, target=Status.DECLINED)
    def decline(self, *, by: User, note: str) -> None:
        """HR declines the check: the reason does not meet clause 4.1."""
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), note

    @transition(field=status, source=Status.APPROVED, target=Status.COMPLETE)
    def complete(self, *, by: User, findings: str, deferred_reason: str, case_reference: str) -> None:
        """HR records the findings; the employee is told unless that would prejudice an investigation."""
        self.findings, self.completed_by, self.completed_at = findings, by, timezone.now()
        self.notice_deferred_reason, self.case_reference = deferred_reason, case_reference


class AccessWithdrawal(models.Model):
    """Access to a social media site withdrawn for misuse (4.3), from one employee or a whole organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LIFTED = "lifted", "Lifted"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="withdrawals")
    employee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="access_withdrawals"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_withdrawals",
        help_text="For a whole school's staff instead of one employee.",
    )
    reason = models.TextField(help_text="The misuse that led to withdrawing access (4.3).")
    reference = models.CharField(max_length=50, blank=True, help_text="The linked incident or case, if any.")
    review_date = models.DateField()
    status = FSMField(default=Status.ACTIVE, choices=Status.choices, protected=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["review_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employee__isnull=False, organisation__isnull=True)
                | Q(employee__isnull=True, organisation__isnull=False),
                name="withdrawal_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} withdrawn from {self.subject}"

    @property
    def subject(self):
        return self.employee or self.organisation

    @property
    def organisation_id_for_audit(self):
        return self.organisation_id or (self.employee.organisation_id if self.employee else None)

    @transition(field=status, source=Status.ACTIVE, target=Status.LIFTED)
    def lift(self, *, by: User, reason: str) -> None:
        """HR lifts the withdrawal, e.g. at its review."""
        self.lifted_by, self.lifted_at, self.lift_reason = by, timezone.now(), reason


# --- retention (clause 4.2): holds and purge receipts ----------------------------------------------------


class RetentionHold(models.Model):
    """The Head of HR keeps one employee's monitoring data for a period past the 12 months of clause 4.2,
    because it is evidence in an open case. It is the only way to keep an item longer; it lapses by itself
    when the case closes or its end date passes. The purge keeps, for the employee and period held, their
    usage records, daily analyses and the monitoring checks whose period overlaps."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="retention_holds")
    employee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="retention_holds")
    monitoring_check = models.ForeignKey(
        MonitoringCheck,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retention_holds",
        verbose_name="monitoring check",
        help_text="The check whose findings are evidence in the case, if any (4.1).",
    )
    period_start = models.DateField(help_text="First day of the employee's internet use held (UK time).")
    period_end = models.DateField(help_text="Last day of the employee's internet use held (UK time).")
    reason = models.TextField(help_text="Why this evidence must outlive the 12 months of clause 4.2.")
    ends_on = models.DateField(help_text="The hold lapses after this day, or earlier when the case closes.")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="hold_period_order"),
        ]

    def __str__(self) -> str:
        return f"Hold on {self.employee}'s data {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y} ({self.case})"

    def is_active(self, today) -> bool:
        from cases.models import Case

        return self.released_at is None and self.ends_on >= today and self.case.status != Case.Status.CLOSED


class PurgeReceipt(models.Model):
    """What one run of the clause 4.2 purge did: its cutoff, what it removed per kind, what holds kept."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        PARTIAL = "partial", "Stopped at its time limit; the next run carries on"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted (the process stopped); the next run carried on"
        SKIPPED = "skipped", "Not run: another purge was already running"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Nightly schedule"
        RETRY = "retry", "Retry later in the night"
        COMMAND = "command", "Command line"
        OTHER = "other", "Other"

    run_date = models.DateField(help_text="The day the cutoff is counted back from.")
    cutoff = models.DateTimeField(help_text="Items older than this are removed (12 months before the run date).")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.OTHER)
    dry_run = models.BooleanField(default=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    kinds = models.JSONField(
        default=dict, blank=True, help_text="Per kind: limit in months, cutoff, rows and files removed, items held."
    )
    partitions_dropped = ArrayField(models.CharField(max_length=63), default=list, blank=True)
    partitions_created = ArrayField(models.CharField(max_length=63), default=list, blank=True)
    holds = models.JSONField(default=list, blank=True, help_text="Every hold in force during the run.")
    error = models.TextField(blank=True)
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker tries this failed run again, later the same night."
    )
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Purge of {timezone.localtime(self.started_at):%d/%m/%Y %H:%M} ({self.get_outcome_display()})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:retention_receipt", args=[self.pk])

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None

    @property
    def rows_removed(self) -> int:
        return sum(k.get("rows", 0) for k in self.kinds.values())

    @property
    def files_removed(self) -> int:
        return sum(k.get("files", 0) for k in self.kinds.values())

    @property
    def items_held(self) -> int:
        return sum(k.get("held", 0) for k in self.kinds.values())
