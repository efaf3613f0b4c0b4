"""Official accounts, their trained contributors, posts with the colleague check, and campaigns (clause 3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from core.choices import Platform
from people.models import Organisation


class OfficialAccount(models.Model):
    """An official social media account run for a school (clause 3.1)."""

    Platform = Platform  # one list for every app (core.choices)

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="official_accounts",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100, help_text="The account's name on the platform, e.g. @OakfieldPrimary.")
    url = models.URLField("link", help_text="The public address of the account.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_official_accounts",
        help_text="The member of staff answerable for the account.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "platform", "handle"]
        constraints = [models.UniqueConstraint(fields=["platform", "handle"], name="official_account_unique_handle")]

    def __str__(self) -> str:
        return f"{self.handle} ({self.get_platform_display()})"

    def get_absolute_url(self) -> str:
        return reverse("publishing:account_detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:  # for the audit trail and people.rules' school predicates
        return self.school_id

    @property
    def organisation(self) -> Organisation:
        return self.school


class TrainingRecord(models.Model):
    """Training on using social media for work, given by the council's communications team (clause 3.1)."""

    employee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_training")
    trained_on = models.DateField()
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-trained_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.employee} trained on {self.trained_on:%d/%m/%Y}"

    @property
    def organisation_id(self) -> int | None:
        return self.employee.organisation_id


class Contributor(models.Model):
    """A member of staff asked to contribute to an official account (clause 3.1)."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="contributors")
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_contributions"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["account", "employee__last_name", "employee__first_name"]
        constraints = [models.UniqueConstraint(fields=["account", "employee"], name="contributor_once_per_account")]

    def __str__(self) -> str:
        return f"{self.employee} on {self.account}"

    @property
    def organisation_id(self) -> int:
        return self.account.school_id


class CampaignPhase(models.TextChoices):
    """Where a campaign is today: its stored state, with an approval read against its dates (DESIGN.md:
    draft → submitted → approved | rejected → running → finished)."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Awaiting line manager"
    ENDORSED = "endorsed", "Awaiting headteacher"
    APPROVED = "approved", "Approved, not started"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    REJECTED = "rejected", "Rejected"


class CampaignQuerySet(models.QuerySet):
    def with_phase(self, today: dt.date | None = None) -> CampaignQuerySet:
        """Annotate `current_phase`, computed as `Campaign.phase()` computes it, so lists can filter and sort by
        it (not `phase`, which would hide the method)."""
        today = today or timezone.localdate()
        approved = Q(state=Campaign.State.APPROVED)
        return self.annotate(
            current_phase=CaseWhen(
                When(state=Campaign.State.ENDED, then=Value(CampaignPhase.FINISHED)),
                When(approved & Q(starts_on__gt=today), then=Value(CampaignPhase.APPROVED)),
                When(approved & Q(ends_on__lt=today), then=Value(CampaignPhase.FINISHED)),
                When(approved, then=Value(CampaignPhase.RUNNING)),
                default=F("state"),
                output_field=models.CharField(),
            )
        )


class Campaign(models.Model):
    """A public campaign on social media, which needs the line manager's permission first (clause 3.4).

    Running and finished are not stored states: an approved campaign runs from its first day to its last and
    has finished after it, so they are read from the dates (`phase()`, `CampaignQuerySet.with_phase`). Stored,
    they would need a nightly task to move them and would be wrong between midnight and its run, or after a
    missed night. Only what a person does is stored: ending a running campaign early (`ended`)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting line manager"
        ENDORSED = "endorsed", "Awaiting headteacher"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        ENDED = "ended", "Ended early"

    school = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="campaigns")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=150)
    purpose_benefit = models.TextField(
        "purpose and benefit",
        help_text="What the campaign is for and how it benefits the school or residents of the borough (3.4).",
    )
    audience = models.CharField(max_length=300, help_text="Who the campaign is meant to reach.")
    accounts = models.ManyToManyField(OfficialAccount, related_name="campaigns")
    starts_on = models.DateField()
    ends_on = models.DateField()
    planned_posts = models.TextField(help_text="The posts you plan, roughly when and on which account.")
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField("reason for ending early", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="campaign_dates_in_order"),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="campaign_end_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publishing:campaign_detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        return self.school_id

    @property
    def organisation(self) -> Organisation:
        return self.school

    def phase(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.state == self.State.ENDED:
            return CampaignPhase.FINISHED
        if self.state != self.State.APPROVED:
            return self.state
        if today < self.starts_on:
            return CampaignPhase.APPROVED
        if today > self.ends_on:
            return CampaignPhase.FINISHED
        return CampaignPhase.RUNNING

    def get_phase_display(self) -> str:
        return CampaignPhase(getattr(self, "current_phase", None) or self.phase()).label

    def is_running(self, today: dt.date | None = None) -> bool:
        return self.phase(today) == CampaignPhase.RUNNING

    def is_finished(self, today: dt.date | None = None) -> bool:
        return self.phase(today) == CampaignPhase.FINISHED

    @property
    def finished_on(self) -> dt.date | None:
        """The day it finished (or will): the day it was ended early, else its last day."""
        if self.state == self.State.ENDED:
            return timezone.localdate(self.ended_at)
        return self.ends_on if self.state == self.State.APPROVED else None

    def accepts_publishing(self, today: dt.date | None = None) -> bool:
        """Its posts may go out once it is approved, and no longer once it has finished (3.4)."""
        return self.phase(today) in (CampaignPhase.APPROVED, CampaignPhase.RUNNING)

    def line_manager_is_headteacher(self) -> bool:
        from people.models import Role

        manager = self.proposer.line_manager
        return (
            manager is not None
            and manager.role_assignments.filter(role=Role.HEADTEACHER, organisation_id=self.school_id).exists()
        )

    @transition(field=state, source=[State.DRAFT], target=State.SUBMITTED)
    def submit(self) -> None:
        """The proposer asks their line manager for permission."""
        self.submitted_at = timezone.now()

    @transition(field=state, source=[State.SUBMITTED], target=State.ENDORSED)
    def endorse(self, *, by) -> None:
        """The line manager endorses it and passes it to the headteacher."""
        self.endorsed_by, self.endorsed_at = by, timezone.now()

    @transition(field=state, source=[State.ENDORSED, State.SUBMITTED], target=State.APPROVED)
    def approve(self, *, by, reason: str) -> None:
        """The headteacher approves it (straight from submitted when they are the line manager)."""
        self.decided_by, self.decided_at, self.decision_reason = by, timezone.now(), reason

    @transition(field=state, source=[State.ENDORSED, State.SUBMITTED], target=State.REJECTED)
    def reject(self, *, by, reason: str) -> None:
        """The line manager or the headteacher turns it down, with reasons."""
        self.decided_by, self.decided_at, self.decision_reason = by, timezone.now(), reason

    @transition(field=state, source=[State.APPROVED], target=State.ENDED, conditions=[is_running])
    def end_early(self, *, by, reason: str) -> None:
        """The proposer or the headteacher stops a running campaign before its last day, with a reason."""
        self.ended_by, self.ended_at, self.end_reason = by, timezone.now(), reason


class Post(models.Model):
    """A post for an official account; a colleague checks it before it is published (clauses 3.3, 3.4)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_CHECK = "awaiting_check", "Awaiting check"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"
        PUBLISHED = "published", "Published"

    EDITABLE = (State.DRAFT, State.RETURNED)

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="official_posts")
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    text = models.TextField(max_length=5000)
    purpose_benefit = models.TextField(
        "purpose and benefit",
        max_length=2000,
        help_text="Why this is worth posting: its purpose and benefit for the school or residents (3.4).",
    )
    pupils_shown = models.BooleanField(
        "pupils can be identified", default=False, help_text="Does any image or video show a pupil?"
    )
    pupil_consent = models.CharField(
        "photo consent",
        max_length=300,
        blank=True,
        help_text="For each pupil shown: how parental photo consent was confirmed (3.3: confidentiality).",
    )
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True)
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="posts_to_check"
    )
    check_round = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    prescreen_warnings = models.JSONField(default=list, blank=True, help_text="The pre-screen at submission.")
    published_url = models.URLField("live link", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=models.F("author")), name="post_checker_not_author"
            )
        ]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else "(empty)"
        return f"Post for {self.account.handle}: {first_line[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:post_detail", args=[self.pk])

    @property
    def organisation_id(self) -> int:
        return self.account.school_id

    @property
    def organisation(self) -> Organisation:
        return self.account.school

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE

    def campaign_allows_publishing(self) -> bool:
        return self.campaign_id is None or self.campaign.accepts_publishing()

    def campaign_has_finished(self) -> bool:
        return self.campaign_id is not None and self.campaign.is_finished()

    @transition(field=state, source=[State.DRAFT, State.RETURNED], target=State.AWAITING_CHECK)
    def submit(self, *, checker, warnings: list[dict]) -> None:
        """The author asks a named colleague to check it."""
        self.checker, self.prescreen_warnings = checker, warnings
        self.submitted_at = timezone.now()
        self.check_round += 1

    @transition(field=state, source=[State.AWAITING_CHECK], target=State.APPROVED)
    def approve(self) -> None:
        """The colleague approves it after the 3.3 checklist."""

    @transition(field=state, source=[State.AWAITING_CHECK], target=State.RETURNED)
    def return_to_author(self) -> None:
        """The colleague returns it with comments."""

    @transition(field=state, source=[State.APPROVED], target=State.PUBLISHED, conditions=[campaign_allows_publishing])
    def publish(self, *, url: str, at) -> None:
        """The author records where and when it went live."""
        self.published_url, self.published_at = url, at

    @transition(field=state, source=[State.AWAITING_CHECK, State.APPROVED, State.RETURNED], target=State.DRAFT)
    def back_to_draft(self) -> None:
        """Its campaign was rejected or ended early, so it goes back to the author."""

    @transition(field=state, source=[State.APPROVED], target=State.DRAFT, conditions=[campaign_has_finished])
    def take_out_of_campaign(self) -> None:
        """The author takes it out of its finished campaign; on its own it needs a fresh check (3.4)."""
        self.campaign = None


def media_upload_to(instance: PostMedia, filename: str) -> str:
    import uuid

    return f"publishing/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class PostMedia(models.Model):
    """An image or video in a post, with where it came from (3.3: copyright and acknowledgement)."""

    class Source(models.TextChoices):
        OWN_WORK = "own_work", "Own work (taken or made by school staff)"
        PERMISSION = "permission", "Used with permission"
        LICENSED = "licensed", "Licensed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(upload_to=media_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, help_text="What the image or video shows.")
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    permission_from = models.CharField(max_length=200, blank=True, help_text="Who gave permission to use it.")
    permission_evidence = models.CharField(
        max_length=300, blank=True, help_text="Where the permission is recorded, e.g. the email of 03/03/2026."
    )
    licence = models.CharField(max_length=100, blank=True, help_text="For example: CC BY 4.0.")
    acknowledgement = models.CharField(
        max_length=200, blank=True, help_text="The credit to show with it when permission or a licence requires one."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name_plural = "post media"

    def __str__(self) -> str:
        return self.original_name

    @property
    def organisation_id(self) -> int:
        return self.post.account.school_id

    def source_stated(self) -> bool:
        if self.source == self.Source.OWN_WORK:
            return True
        if self.source == self.Source.PERMISSION:
            return bool(self.permission_from.strip() and self.permission_evidence.strip())
        if self.source == self.Source.LICENSED:
            return bool(self.licence.strip())
        return False


class ContentCheck(models.Model):
    """A colleague's check of a post against the clause 3.3 checklist and 3.4's purpose and benefit."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="checks")
    round = models.PositiveSmallIntegerField()
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    no_disrepute = models.BooleanField(
        "does not bring the school into disrepute",
        default=False,
        help_text="No criticising or arguing, nothing defamatory, no inappropriate images or links (3.3).",
    )
    no_confidential = models.BooleanField(
        "breaches no confidentiality",
        default=False,
        help_text="Nothing confidential or sensitive, nothing private about a colleague or pupil (3.3).",
    )
    copyright_cleared = models.BooleanField(
        "copyright is cleared and acknowledged",
        default=False,
        help_text="Others' images or words are used with permission, and credited where that is a condition (3.3).",
    )
    not_discriminatory = models.BooleanField(
        "nothing discriminatory, bullying or harassing",
        default=False,
        help_text="No offensive comments about any protected characteristic, no bullying or harassment (3.3).",
    )
    purpose_benefit = models.BooleanField(
        "has a purpose and a benefit",
        default=False,
        help_text="It serves the school or residents of the borough (3.4).",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comments = models.TextField(blank=True, max_length=3000)
    decided_at = models.DateTimeField(default=timezone.now)

    CHECKLIST = ("no_disrepute", "no_confidential", "copyright_cleared", "not_discriminatory", "purpose_benefit")

    class Meta:
        ordering = ["-decided_at"]
        constraints = [models.UniqueConstraint(fields=["post", "round"], name="one_decision_per_check_round")]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.checker}"

    @property
    def organisation_id(self) -> int:
        return self.post.account.school_id


class AdviceThread(models.Model):
    """The author asks their line manager, school business manager or headteacher for advice (clause 3.4)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="advice_threads")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["post", "adviser"], name="one_advice_thread_per_adviser")]

    def __str__(self) -> str:
        return f"Advice from {self.adviser} on post {self.post_id}"

    @property
    def organisation_id(self) -> int:
        return self.post.account.school_id


class AdviceMessage(models.Model):
    thread = models.ForeignKey(AdviceThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"
