"""Organisations, employees, roles, rest breaks and policy versions (clauses 1, 2.1)."""

from __future__ import annotations

import datetime as dt

import rules
from django.contrib.auth.models import AbstractUser, UserManager, _user_has_perm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Organisation(models.Model):
    """The council or one of its schools (1.3: the school also implies the council)."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        SCHOOL = "school", "School"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
        help_text="The council a school belongs to (clause 1.3).",
    )
    address = models.TextField(
        "postal address", max_length=500, blank=True, help_text="Printed at the top of letters sent in its name."
    )
    workday_start = models.TimeField(default=dt.time(8, 0), help_text="Start of the working day, for clause 2.1.")
    workday_end = models.TimeField(default=dt.time(17, 0), help_text="End of the working day, for clause 2.1.")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="council", parent__isnull=True) | Q(kind="school", parent__isnull=False),
                name="organisation_school_has_council",
            ),
            models.CheckConstraint(
                condition=Q(workday_start__lt=models.F("workday_end")), name="organisation_workday_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:organisation_detail", args=[self.pk])

    @property
    def council(self) -> Organisation:
        return self if self.kind == self.Kind.COUNCIL else self.parent


class OrganisationAlias(models.Model):
    """Another name or abbreviation of an organisation, which clause 5.3 checks also look for."""

    class Kind(models.TextChoices):
        ALIAS = "alias", "Other name"
        ABBREVIATION = "abbreviation", "Abbreviation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        verbose_name = "organisation alias"
        verbose_name_plural = "organisation aliases"
        ordering = ["organisation", "alias"]
        constraints = [models.UniqueConstraint(fields=["organisation", "alias"], name="alias_unique_per_organisation")]

    def __str__(self) -> str:
        return f"{self.alias} ({self.organisation})"


class EmployeeQuerySet(models.QuerySet):
    def active(self) -> EmployeeQuerySet:
        return self.filter(is_active=True, employment_status=User.EmploymentStatus.ACTIVE)


class EmployeeManager(UserManager.from_queryset(EmployeeQuerySet)):
    pass


class User(AbstractUser):
    """An employee of the council or one of its schools, and their login."""

    # Filled once per user object by people.selectors and publishing.selectors; never stored.
    _role_cache: frozenset[tuple[str, int]] | None
    _has_reports_cache: bool | None
    _social_trained_cache: bool | None

    class EmploymentStatus(models.TextChoices):
        ACTIVE = "active", "In post"
        ON_LEAVE = "on_leave", "On leave"
        SUSPENDED = "suspended", "Suspended (precautionary)"
        LEFT = "left", "Left"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    job_title = models.CharField(max_length=150, blank=True)
    staff_number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    employment_status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    politically_restricted = models.BooleanField(
        "politically restricted post",
        default=False,
        help_text="Holders may not take an active political role (clause 5.6).",
    )
    start_date = models.DateField(null=True, blank=True, help_text="First day of employment, from the HR system.")
    leave_date = models.DateField(null=True, blank=True, help_text="Last day of employment, once known.")

    objects = EmployeeManager()

    class Meta:
        verbose_name = "employee"
        verbose_name_plural = "employees"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(condition=~Q(line_manager=models.F("id")), name="employee_not_own_line_manager"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(leave_date__isnull=True)
                | Q(start_date__lte=models.F("leave_date")),
                name="employee_leaves_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_perm(self, perm: str, obj=None) -> bool:
        """Unlike Django's default, a superuser gets no blanket pass: the system administrator runs the
        admin site but reads cases, surveillance and monitoring only through a role like anyone else.

        Everyone's permissions come from their roles (the django-rules predicates). Django's model
        permissions (ModelBackend: users' and groups' auth_permission rows, and a superuser's "all") serve
        only the admin site, so they are asked only for the staff who use it; the app grants none.
        An answer without an object is kept on this user object: request.user is loaded for each
        request, so a page's twenty navigation checks cost one evaluation each, and never outlive it."""
        if not self.is_active:
            return False
        if obj is not None:
            return self._permission_from_backends(perm, obj)
        answers = self.__dict__.setdefault("_perm_answers", {})
        if perm not in answers:
            answers[perm] = self._permission_from_backends(perm, None)
        return answers[perm]

    def _permission_from_backends(self, perm: str, obj) -> bool:
        if self.is_staff or self.is_superuser:
            return _user_has_perm(self, perm, obj)
        return rules.has_perm(perm, self, obj)

    def get_absolute_url(self) -> str:
        return reverse("people:employee_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.line_manager_id and self.pk and self.line_manager_id == self.pk:
            raise ValidationError({"line_manager": "An employee cannot be their own line manager."})
        if self.line_manager_id and self.pk:
            seen, cursor = {self.pk}, self.line_manager
            while cursor is not None:
                if cursor.pk in seen:
                    raise ValidationError({"line_manager": "This would make a loop in the line-management chain."})
                seen.add(cursor.pk)
                cursor = cursor.line_manager

    def managers_chain(self) -> list[User]:
        """The line manager, their line manager and so on, nearest first."""
        chain, seen, cursor = [], {self.pk}, self.line_manager
        while cursor is not None and cursor.pk not in seen:
            chain.append(cursor)
            seen.add(cursor.pk)
            cursor = cursor.line_manager
        return chain

    @property
    def school(self) -> Organisation | None:
        org = self.organisation
        return org if org and org.kind == Organisation.Kind.SCHOOL else None


class Role(models.TextChoices):
    """The roles of DESIGN.md that are granted; 'employee' and 'line manager' follow from the data."""

    HEADTEACHER = "headteacher", "Headteacher"
    BUSINESS_MANAGER = "business_manager", "School business manager"
    HR_OFFICER = "hr_officer", "HR officer"
    HEAD_OF_HR = "head_of_hr", "Head of HR and Organisational Development"
    INVESTIGATOR = "investigator", "Investigating officer"
    COMMUNICATIONS = "communications", "Communications team"


SCHOOL_ROLES = {Role.HEADTEACHER, Role.BUSINESS_MANAGER}


class RoleAssignment(models.Model):
    """A role held by an employee within one organisation (a headteacher is headteacher of a school)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_assignments")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="role_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.organisation}"

    def clean(self) -> None:
        super().clean()
        if self.organisation_id is None:
            return
        if self.role in SCHOOL_ROLES and self.organisation.kind != Organisation.Kind.SCHOOL:
            raise ValidationError({"organisation": f"A {self.get_role_display().lower()} belongs to a school."})
        if self.role not in SCHOOL_ROLES and self.organisation.kind != Organisation.Kind.COUNCIL:
            raise ValidationError({"organisation": f"The {self.get_role_display()} role is held at the council."})


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class RestBreak(models.Model):
    """An official rest break at a school on a weekday, when social media use is allowed (clause 2.1)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rest_breaks")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()
    label = models.CharField(max_length=60, default="Lunch break")

    class Meta:
        ordering = ["organisation", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="rest_break_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M} {self.label}"

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": "A break must end after it starts."})
        if self.organisation_id and self.start and self.end:
            overlapping = RestBreak.objects.filter(
                organisation_id=self.organisation_id, weekday=self.weekday, start__lt=self.end, end__gt=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError("This break overlaps another break on the same day.")


class OvertimePeriod(models.Model):
    """Time an employee works overtime; clause 2.1 allows no social media then, even on school devices."""

    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="overtime_periods")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="overtime_start_before_end")]

    def __str__(self) -> str:
        return f"Overtime for {self.employee} from {timezone.localtime(self.start):%d/%m/%Y %H:%M}"


class PolicyVersion(models.Model):
    """A published version of the social media policy that every employee acknowledges."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200, default="Social media policy")
    summary = models.TextField(help_text="What changed and what employees must know.")
    text = models.TextField(blank=True, help_text="The policy as published, for staff to read in the app.")
    document_url = models.URLField(blank=True)
    effective_from = models.DateField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-effective_from", "-published_at"]
        get_latest_by = ["effective_from", "published_at"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class PolicyAcknowledgement(models.Model):
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["policy_version", "employee"], name="acknowledge_each_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} acknowledged {self.policy_version}"


class PolicyReminder(models.Model):
    """A weekly reminder sent to an employee who has not yet acknowledged a policy version."""

    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_reminders")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["policy_version", "employee", "sent_at"], name="policy_reminder_recent_idx")]

    def __str__(self) -> str:
        return f"Reminder to {self.employee} about {self.policy_version}"


class Notification(models.Model):
    """An in-app message about a hand-off; the same text goes out by email through Celery."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True, help_text="Where in the app to act on it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at"], name="notification_unsent_idx", condition=Q(emailed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


class SubjectAccessRequest(models.Model):
    """A request by an employee for the data held about them; the law gives one month to answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    employee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="subject_access_requests")
    received_on = models.DateField()
    due_on = models.DateField(help_text="One calendar month after receipt.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["status", "due_on"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="sar_due_after_received")
        ]

    def __str__(self) -> str:
        return f"Subject access request from {self.employee} received {self.received_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("people:sar_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class DataWithholding(models.Model):
    """A recorded exemption: one section of an employee's data is withheld from their own view for now."""

    employee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_withholdings")
    section = models.CharField(max_length=40, help_text="Which part of the data is withheld.")
    reason = models.CharField(max_length=300, help_text="The exemption relied on, e.g. an open investigation.")
    until = models.DateField(null=True, blank=True, help_text="Review or end date; blank while the reason lasts.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employee", "section"]

    def __str__(self) -> str:
        return f"{self.section} withheld from {self.employee}"

    def is_current(self, today: dt.date | None = None) -> bool:
        return self.until is None or self.until >= (today or timezone.localdate())


class StaffColumnMapping(models.Model):
    """The header names one HR or payroll system uses for the staff directory's columns, saved once per source."""

    name = models.CharField(max_length=100, unique=True, help_text="The system whose export this reads, e.g. iTrent.")
    columns = models.JSONField(
        default=dict, help_text="The directory's column name → the header that system writes for it."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "staff directory column mapping"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffImport(models.Model):
    """One staff directory file: uploaded and previewed, then applied (or found to have errors)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not applied"
        REJECTED = "rejected", "Has errors, nothing changed"
        APPLIED = "applied", "Applied"

    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The file as uploaded, kept so that what is applied is what was previewed.")
    partial = models.BooleanField(
        default=False, help_text="Only the rows given are applied; nobody missing from the file becomes a leaver."
    )
    mapping = models.ForeignKey(StaffColumnMapping, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True, help_text="Counts and errors of the last preview or apply.")
    leaver_ids = models.JSONField(default=list, blank=True, help_text="The employees this import made leavers.")
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Staff directory {self.file_name} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("people:staff_import_detail", args=[self.pk])


# --- sign-in with the school's own accounts (issue 18): people/signin/ ---------------------------------------


class SignInIdentity(models.Model):
    """An employee's account at the school's identity provider, linked at their first single sign-on.

    The link is made only to an existing employee (matched by verified email the first time) and is
    found by the provider's stable id afterwards, so a renamed mailbox still signs the same person in."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_identities")
    provider = models.CharField(max_length=30, help_text="Which configured identity provider, e.g. microsoft.")
    subject = models.CharField(max_length=255, help_text="The provider's stable id (Entra `oid`, Google `sub`).")
    email_at_link = models.EmailField(help_text="The verified email the identity was first matched by.")
    linked_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sign-in identity"
        verbose_name_plural = "sign-in identities"
        ordering = ["provider", "user"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sign_in_identity_unique_subject"),
            models.UniqueConstraint(fields=["provider", "user"], name="sign_in_identity_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_label()} account of {self.user}"

    def get_provider_label(self) -> str:
        from django.conf import settings

        return settings.SSO_PROVIDERS.get(self.provider, {}).get("label", self.provider)


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app once; only its SHA-256 digest is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"
