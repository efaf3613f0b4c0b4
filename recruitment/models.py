"""Vacancies, applicants in selection and the log of social media searches (clause 6.1)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from core.choices import Platform


class Vacancy(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Selection in progress"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=30, unique=True, help_text="The council's vacancy reference.")
    title = models.CharField(max_length=150)
    organisation = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="vacancies")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closing_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:vacancy_detail", args=[self.pk])


class Applicant(FSMModelMixin, models.Model):
    """A person who applied for a vacancy; while they are in selection, clause 6.1 forbids searching them.
    Workflow: applied → shortlisted → invited to interview → offered → appointed; anyone still in selection
    may be unsuccessful or withdraw. Appointed, unsuccessful and withdrawn are final."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INTERVIEW = "interview", "Invited to interview"
        OFFERED = "offered", "Offered"
        APPOINTED = "appointed", "Appointed"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    IN_SELECTION = (Status.APPLIED, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFERED)

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applicants")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    status = FSMField(max_length=20, choices=Status.choices, default=Status.APPLIED, protected=True)
    added_by = models.ForeignKey("people.User", null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint("vacancy", Lower("email"), name="applicant_once_per_vacancy"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def organisation_id(self) -> int | None:
        return self.vacancy.organisation_id

    @property
    def in_selection(self) -> bool:
        return self.status in self.IN_SELECTION and self.vacancy.status == Vacancy.Status.OPEN

    @transition(field=status, source=Status.APPLIED, target=Status.SHORTLISTED)
    def shortlist(self) -> None:
        """The panel shortlists the application."""

    @transition(field=status, source=[Status.APPLIED, Status.SHORTLISTED], target=Status.INTERVIEW)
    def invite_to_interview(self) -> None:
        """The applicant is invited to interview."""

    @transition(field=status, source=Status.INTERVIEW, target=Status.OFFERED)
    def offer(self) -> None:
        """After interview, the post is offered."""

    @transition(field=status, source=Status.OFFERED, target=Status.APPOINTED)
    def appoint(self) -> None:
        """The offer is accepted and the appointment made."""

    @transition(field=status, source=IN_SELECTION, target=Status.UNSUCCESSFUL)
    def turn_down(self) -> None:
        """The application goes no further."""

    @transition(field=status, source=IN_SELECTION, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        """The applicant withdraws (or declines the offer)."""


class CandidateSearch(models.Model):
    """One social media search on a person that HR asked to make, allowed or refused (clause 6.1)."""

    class Purpose(models.TextChoices):
        SOURCING = "sourcing", "Finding candidates (the person advertises themselves to employers)"
        VETTING = "vetting", "Checking an applicant"
        REFERENCE = "reference", "Checking a reference or background"
        OTHER = "other", "Another purpose"

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", "Allowed"
        REFUSED = "refused", "Refused"

    searched_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="candidate_searches")
    searched_at = models.DateTimeField(default=timezone.now, db_index=True)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    subject_name = models.CharField("name of the person searched", max_length=150)
    subject_email = models.EmailField("their email address, if known", max_length=254, blank=True)
    subject_profile_url = models.URLField("profile link", max_length=300, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    reason = models.TextField("why", help_text="What the search is for.")
    sourcing_evidence = models.TextField(
        "evidence the person is seeking employers",
        blank=True,
        help_text="Clause 6.1: for candidate sourcing, how you know the person put their details there to attract "
        "prospective employers (e.g. “open to work” profile, CV posted to a jobs group).",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    refusal_reasons = models.JSONField(default=list, blank=True)
    matched_applicant = models.ForeignKey(
        Applicant, null=True, blank=True, on_delete=models.SET_NULL, related_name="refused_searches"
    )

    class Meta:
        ordering = ["-searched_at"]
        verbose_name_plural = "candidate searches"

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} search of {self.subject_name} on {self.get_platform_display()}"

    @property
    def organisation_id(self) -> int | None:
        return self.searched_by.organisation_id
