"""Personal social media that employees declare, and politically restricted posts (clause 5)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.choices import Platform
from disclosures.checks import DisclaimerElement, wording_errors

PROFILE_TEXT_MAX = 4000


class PoliticalActivity(models.TextChoices):
    """Political roles that a politically restricted post rules out (clause 5.6)."""

    PARTY_OFFICE = "party_office", "I hold office in a political party"
    CANDIDATE = "candidate", "I am, or intend to be, a candidate for election"
    CAMPAIGNING = "campaigning", "I campaign online for a party or a political cause"


class PersonalAccountDisclosure(models.Model):
    """A personal social media account an employee has declared, with the result of its automatic
    checks against clauses 5.3 (profile name) and 5.4 (disclaimer)."""

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", "Compliant"
        NEEDS_CHANGES = "needs_changes", "Needs changes"

    employee = models.ForeignKey("people.User", on_delete=models.CASCADE, related_name="personal_accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="Your user name on the platform, e.g. @jwilson_reads.")
    display_name = models.CharField(
        max_length=100, blank=True, help_text="The name shown on your profile or the name of your blog (clause 5.3)."
    )
    profile_url = models.URLField("profile link", max_length=300, blank=True)
    profile_text = models.TextField(
        blank=True, help_text="Your profile's description (bio), as it appears on the platform."
    )
    says_works_at_school = models.BooleanField(
        "my profile says where I work", default=False, help_text="Allowed by clause 5.3."
    )
    discusses_work = models.BooleanField(
        "I discuss my work on this account",
        default=False,
        help_text="For example, opinions on the way the school operates (clause 5.4).",
    )
    disclaimer = models.CharField(
        "disclaimer shown on the profile",
        max_length=500,
        blank=True,
        help_text="Clause 5.4, e.g. “The views I express here are mine alone and do not necessarily reflect "
        "the views of my employer.”",
    )
    political_activities = ArrayField(
        models.CharField(max_length=20, choices=PoliticalActivity.choices),
        default=list,
        blank=True,
        help_text="Political roles you use this account for (clause 5.6).",
    )
    political_details = models.TextField(blank=True)
    privacy_settings_checked = models.BooleanField(default=False, help_text="Clause 5.1.")

    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.NEEDS_CHANGES)
    findings = models.JSONField(default=list, help_text="What the automatic checks found (clauses 5.3, 5.4).")
    political_flagged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When political activity by a politically restricted post holder was flagged to HR (clause 5.6).",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(default=timezone.now)
    resubmissions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-checked_at"]
        constraints = [
            models.UniqueConstraint("employee", "platform", Lower("handle"), name="disclosure_one_per_account"),
        ]
        indexes = [models.Index(fields=["outcome", "checked_at"], name="disclosure_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    def get_absolute_url(self) -> str:
        return reverse("disclosures:detail", args=[self.pk])

    @property
    def organisation_id(self) -> int | None:
        """For the audit trail: the employee's organisation."""
        return self.employee.organisation_id if self.employee_id else None

    @property
    def is_compliant(self) -> bool:
        return self.outcome == self.Outcome.COMPLIANT

    def political_activity_labels(self) -> list[str]:
        return [PoliticalActivity(a).label for a in self.political_activities]


class DisclosureFollowUp(models.Model):
    """HR's note on an account that needs changes: a reminder sent, advice given (clauses 5.3, 5.4)."""

    disclosure = models.ForeignKey(PersonalAccountDisclosure, on_delete=models.CASCADE, related_name="follow_ups")
    recorded_by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Follow-up on {self.disclosure} at {timezone.localtime(self.recorded_at):%d/%m/%Y %H:%M}"


class DisclosureReconfirmation(models.Model):
    """An employee's yearly confirmation that their declared accounts are complete and up to date."""

    employee = models.ForeignKey("people.User", on_delete=models.CASCADE, related_name="disclosure_reconfirmations")
    confirmed_at = models.DateTimeField(default=timezone.now, db_index=True)
    accounts = models.PositiveIntegerField(help_text="How many accounts were declared when confirming.")

    class Meta:
        ordering = ["-confirmed_at"]
        get_latest_by = "confirmed_at"

    def __str__(self) -> str:
        return f"{self.employee} confirmed on {timezone.localtime(self.confirmed_at):%d/%m/%Y}"


class DisclaimerWording(models.Model):
    """A wording the 5.4 check recognises as one part of the disclaimer; HR keeps the list."""

    pattern = models.CharField(
        max_length=200,
        unique=True,
        help_text="Words to look for. “*” stands for up to five other words (never “not”); “{employer}” for "
        "employer, school, council, workplace and the like. Case, accents and punctuation are ignored.",
    )
    element = models.CharField(
        "what it says",
        max_length=20,
        choices=[
            (DisclaimerElement.OWN_VIEWS.value, "The views are the employee's own"),
            (DisclaimerElement.NOT_EMPLOYER.value, "They are not the employer's views"),
        ],
    )
    example = models.CharField(max_length=200, blank=True, help_text="A sentence this pattern recognises.")
    is_active = models.BooleanField("in use", default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["element", "pattern"]

    def __str__(self) -> str:
        return self.pattern

    def clean(self) -> None:
        super().clean()
        self.pattern = " ".join(self.pattern.lower().split())
        errors = wording_errors(self.pattern)
        if errors:
            raise ValidationError({"pattern": errors})


class RestrictedPostRecord(models.Model):
    """HR's marking of an employee's post as politically restricted, and the holder's acknowledgement of
    the notice (clause 5.6). The flag itself is `people.User.politically_restricted`."""

    employee = models.ForeignKey("people.User", on_delete=models.CASCADE, related_name="restricted_post_records")
    reason = models.CharField(max_length=300, blank=True, help_text="Why the post is politically restricted.")
    marked_by = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey("people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=models.Q(lifted_at__isnull=True), name="one_current_restriction"
            )
        ]

    def __str__(self) -> str:
        return f"Politically restricted post: {self.employee}"

    @property
    def organisation_id(self) -> int | None:
        return self.employee.organisation_id if self.employee_id else None
