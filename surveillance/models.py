"""Covert surveillance of an employee's social media, approved only by the Head of HR and OD (clause 7.2).

Clause 7.2 allows surveillance of an employee's social media when there is a concern that it breached
the policy or the Code of Conduct, and only after the Head of HR and Organisational Development has
approved it. The same clause notes that such activity would generally fall outside the Regulation of
Investigatory Powers Act because it is not criminal activity: a matter that may be criminal belongs to
the police, and is never approved here.

The rules are enforced twice: by the services in `surveillance.services`, and by PostgreSQL
triggers and constraints below, so that no other code path (admin, shell, a future API) can store an
approval by the requester or by someone who is not Head of HR, or an observation outside an approved,
running window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from core.choices import Platform

# Fields whose content the Head of HR approves; any change to one of them needs a fresh approval.
APPROVED_FIELDS = (
    "case_id",
    "grounds",
    "necessity",
    "proportionality",
    "less_intrusive",
    "platforms",
    "accounts",
    "public_only_confirmed",
    "collateral_intrusion",
    "starts_on",
    "ends_on",
    "review_on",
    "dpia_reference",
    "may_be_criminal",
)
_OLD_ROW = ", ".join(f"OLD.{column}" for column in APPROVED_FIELDS)
_NEW_ROW = ", ".join(f"NEW.{column}" for column in APPROVED_FIELDS)
_ZONE = "Europe/London"  # the app's TIME_ZONE: the window is in the school's days


class Phase(models.TextChoices):
    """What a request means today: the stored status, with an approval read against its dates."""

    REQUESTED = "requested", "Awaiting the Head of HR's decision"
    RETURNED = "returned", "Sent back for changes"
    REJECTED = "rejected", "Rejected"
    APPROVED = "approved", "Approved, not yet started"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired (end date passed)"
    REVOKED = "revoked", "Revoked"
    COMPLETED = "completed", "Completed early"


class SurveillanceRequestQuerySet(models.QuerySet):
    def with_phase(self, today: dt.date | None = None) -> SurveillanceRequestQuerySet:
        today = today or timezone.localdate()
        approved = Q(status=SurveillanceRequest.Status.APPROVED)
        return self.annotate(
            phase=CaseWhen(
                When(approved & Q(starts_on__gt=today), then=Value(Phase.APPROVED)),
                When(approved & Q(ends_on__lt=today), then=Value(Phase.EXPIRED)),
                When(approved, then=Value(Phase.ACTIVE)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def running(self, today: dt.date | None = None) -> SurveillanceRequestQuerySet:
        today = today or timezone.localdate()
        return self.filter(status=SurveillanceRequest.Status.APPROVED, starts_on__lte=today, ends_on__gte=today)


class SurveillanceRequest(models.Model):
    """A request to watch an employee's public social media for one case (clause 7.2). Workflow:
    requested → approved | rejected | returned (→ requested again); approved → revoked | completed;
    an approved request lapses by itself after its end date, and any edit needs a fresh approval."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting the Head of HR's decision"
        RETURNED = "returned", "Sent back for changes"
        REJECTED = "rejected", "Rejected"
        APPROVED = "approved", "Approved"
        REVOKED = "revoked", "Revoked"
        COMPLETED = "completed", "Completed early"

    EDITABLE = (Status.REQUESTED, Status.RETURNED, Status.APPROVED)

    reference = models.CharField(max_length=20, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="surveillance_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    grounds = models.TextField(
        "grounds for suspicion",
        max_length=5000,
        help_text="The concern that the employee's use of social media breached the policy or the Code of "
        "Conduct (7.2), and what it rests on.",
    )
    necessity = models.TextField(
        "why it is necessary", max_length=5000, help_text="What the investigation cannot establish without it."
    )
    proportionality = models.TextField(
        "why it is proportionate",
        max_length=5000,
        help_text="Why the intrusion into the employee's private life is justified by the concern.",
    )
    less_intrusive = models.TextField(
        "less intrusive ways considered",
        max_length=5000,
        help_text="For example asking the employee, interviewing witnesses, or the evidence already reported; "
        "and why they are not enough.",
    )
    platforms = ArrayField(
        models.CharField(max_length=20, choices=Platform.choices),
        help_text="The platforms to be looked at.",
    )
    accounts = models.TextField(
        "accounts in scope",
        max_length=2000,
        help_text="Exactly which accounts or pages, one a line (for example a profile link or handle).",
    )
    public_only_confirmed = models.BooleanField(
        "public content only",
        default=False,
        help_text="Only content anyone can see without signing in or connecting is viewed: no fake "
        "accounts, no friend or follow requests, no private messages or closed groups.",
    )
    collateral_intrusion = models.TextField(
        max_length=5000,
        help_text="Who else may be seen (family, friends, pupils, parents) and how their privacy is protected.",
    )
    starts_on = models.DateField("start")
    ends_on = models.DateField("end", help_text="The approval lapses by itself after this day.")
    review_on = models.DateField("review date", help_text="Inside the window: is the surveillance still needed?")
    dpia_reference = models.CharField(
        "DPIA reference", max_length=60, help_text="The data protection impact assessment covering this request."
    )
    may_be_criminal = models.BooleanField(
        "the matter may be criminal",
        default=False,
        help_text="Clause 7.2 notes this activity generally falls outside RIPA only because it is not "
        "criminal. A possibly criminal matter must go to the police and is not approved here.",
    )
    status = FSMField(max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=True)
    version = models.PositiveIntegerField(default=1, help_text="Goes up with every edit; one decision a version.")
    content_hash = models.CharField(max_length=64, editable=False)
    approved_hash = models.CharField(
        "content hash approved", max_length=64, blank=True, editable=False, help_text="Frozen at approval."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_summary = models.TextField(max_length=5000, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    end_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = SurveillanceRequestQuerySet.as_manager()

    class Meta:
        db_table = "cases_surveillancerequest"  # created by the cases app before surveillance had its own
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="surveillance_end_after_start"),
            models.CheckConstraint(
                condition=Q(review_on__gte=F("starts_on"), review_on__lte=F("ends_on")),
                name="surveillance_review_inside_window",
            ),
            models.CheckConstraint(condition=Q(public_only_confirmed=True), name="surveillance_public_only"),
            models.CheckConstraint(condition=Q(may_be_criminal=False), name="surveillance_never_criminal"),
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(approved_by__isnull=False) & ~Q(approved_hash="")),
                name="surveillance_approval_recorded",
            ),
        ]
        triggers = [
            # Any change to approved content through any path takes the approval away.
            pgtrigger.Trigger(
                name="surveillance_a_edit_voids_approval",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(old__status="approved", new__status="approved"),
                func=f"""
                IF ROW({_OLD_ROW}) IS DISTINCT FROM ROW({_NEW_ROW}) THEN
                    NEW.status := 'requested';
                    NEW.approved_by_id := NULL;
                    NEW.approved_at := NULL;
                    NEW.approved_hash := '';
                    NEW.version := OLD.version + 1;
                END IF;
                RETURN NEW;
                """,
            ),
            # Only a Head of HR and OD who did not ask for it may approve (7.2).
            pgtrigger.Trigger(
                name="surveillance_b_approver_is_head_of_hr",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(new__status="approved"),
                func="""
                IF TG_OP = 'UPDATE' THEN
                    -- Checked when an approval is given or altered, not on every later update, so that a
                    -- Head of HR who later leaves the role does not freeze the requests they approved.
                    IF ROW(OLD.status, OLD.approved_by_id, OLD.approved_hash, OLD.requested_by_id)
                       IS NOT DISTINCT FROM ROW(NEW.status, NEW.approved_by_id, NEW.approved_hash, NEW.requested_by_id)
                    THEN
                        RETURN NEW;
                    END IF;
                END IF;
                IF NEW.approved_by_id IS NULL OR NEW.approved_by_id = NEW.requested_by_id THEN
                    RAISE EXCEPTION 'surveillance: the requester cannot approve their own request (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM people_roleassignment
                    WHERE user_id = NEW.approved_by_id AND role = 'head_of_hr'
                ) THEN
                    RAISE EXCEPTION 'surveillance: only the Head of HR and OD may approve (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("surveillance:detail", args=[self.pk])

    @property
    def organisation_id(self) -> int | None:
        """For the audit trail: the subject's school."""
        return self.case.organisation_id if self.case_id else None

    def compute_content_hash(self) -> str:
        """SHA-256 of the content the Head of HR approves, in a fixed order."""
        body = {name: getattr(self, name) for name in APPROVED_FIELDS}
        body["platforms"] = sorted(body["platforms"] or [])
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def phase(self, today: dt.date | None = None) -> str:
        """The request's phase on a day, for one request; SurveillanceRequestQuerySet.with_phase is the same rule
        for a list (tests/surveillance/test_phase_rule.py checks that they agree)."""
        today = today or timezone.localdate()
        if self.status != self.Status.APPROVED:
            return self.status
        if today < self.starts_on:
            return Phase.APPROVED
        if today > self.ends_on:
            return Phase.EXPIRED
        return Phase.ACTIVE

    def get_phase_display(self) -> str:
        # A row read with with_phase() has its phase from the database already: use it rather than work it out
        # again (and the annotation, named like this method, hides it on such a row).
        phase = self.__dict__.get("phase")
        return Phase(phase if isinstance(phase, str) else self.phase()).label

    @property
    def approval_current(self) -> bool:
        """Approved, and what is stored is still exactly what was approved."""
        return self.status == self.Status.APPROVED and self.approved_hash == self.compute_content_hash()

    def window_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.approval_current and self.starts_on <= today <= self.ends_on

    def get_platforms_display(self) -> list[str]:
        return [Platform(p).label for p in self.platforms if p in Platform.values]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    @transition(field=status, source=[Status.REQUESTED, Status.RETURNED, Status.APPROVED], target=Status.REQUESTED)
    def resubmit(self) -> None:
        """The request is edited: it waits for a (fresh) decision."""
        self.approved_by, self.approved_at, self.approved_hash = None, None, ""

    @transition(field=status, source=Status.REQUESTED, target=Status.APPROVED)
    def approve(self, by) -> None:
        """The Head of HR and OD approves the content as it stands (7.2)."""
        self.approved_by, self.approved_at, self.approved_hash = by, timezone.now(), self.content_hash

    @transition(field=status, source=Status.REQUESTED, target=Status.REJECTED)
    def reject(self) -> None:
        """The Head of HR and OD refuses it."""

    @transition(field=status, source=Status.REQUESTED, target=Status.RETURNED)
    def send_back(self) -> None:
        """The Head of HR and OD asks for changes before deciding."""

    @transition(field=status, source=Status.APPROVED, target=Status.REVOKED)
    def revoke(self) -> None:
        """The approval is withdrawn before its end."""
        self.closed_at = timezone.now()

    @transition(field=status, source=Status.APPROVED, target=Status.COMPLETED)
    def complete(self) -> None:
        """The officer has what they need and stops early."""
        self.closed_at = timezone.now()


class SurveillanceDecision(models.Model):
    """The Head of HR and OD's written decision on one version of a request. Append-only."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"
        SEND_BACK = "send_back", "Send back for changes"

    request = models.ForeignKey(SurveillanceRequest, on_delete=models.PROTECT, related_name="decisions")
    version = models.PositiveIntegerField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reasons = models.TextField(max_length=5000)
    content_hash = models.CharField(max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cases_surveillancedecision"
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="surveillance_one_decision_per_version"),
        ]
        triggers = [
            pgtrigger.Protect(name="surveillance_decision_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="surveillance_decider_is_head_of_hr",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func="""
                IF NEW.decided_by_id = (
                    SELECT requested_by_id FROM cases_surveillancerequest WHERE id = NEW.request_id
                ) THEN
                    RAISE EXCEPTION 'surveillance: the requester cannot decide their own request (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                IF NOT EXISTS (
                    SELECT 1 FROM people_roleassignment WHERE user_id = NEW.decided_by_id AND role = 'head_of_hr'
                ) THEN
                    RAISE EXCEPTION 'surveillance: only the Head of HR and OD may decide (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.request} v{self.version}"


class SurveillanceObservation(models.Model):
    """Something seen while an approved request is running. Append-only: evidence is never rewritten."""

    request = models.ForeignKey(SurveillanceRequest, on_delete=models.PROTECT, related_name="observations")
    observed_at = models.DateTimeField("when it was seen")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    what_was_seen = models.TextField(max_length=5000)
    link = models.URLField(max_length=500, blank=True)
    screenshot = models.FileField(upload_to="surveillance/%Y/%m/", max_length=300, blank=True)
    screenshot_name = models.CharField(max_length=200, blank=True)
    screenshot_type = models.CharField(max_length=100, blank=True)
    screenshot_size = models.PositiveBigIntegerField(null=True, blank=True)
    screenshot_sha256 = models.CharField("SHA-256 at upload", max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "cases_surveillanceobservation"
        ordering = ["observed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(screenshot="") | ~Q(screenshot_sha256=""), name="surveillance_screenshot_hashed"
            ),
            models.CheckConstraint(condition=Q(observed_at__lte=F("recorded_at")), name="surveillance_seen_before"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="surveillance_observation_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
            # Only under an approved request, on a day inside its window, about a moment inside it.
            pgtrigger.Trigger(
                name="surveillance_observation_in_window",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                declare=[("req", "RECORD"), ("today", "DATE")],
                func=f"""
                SELECT status, starts_on, ends_on INTO req
                    FROM cases_surveillancerequest WHERE id = NEW.request_id FOR SHARE;
                -- The clock, not the transaction's start: a long transaction must not stretch the window.
                today := (clock_timestamp() AT TIME ZONE '{_ZONE}')::date;
                IF req.status IS DISTINCT FROM 'approved' THEN
                    RAISE EXCEPTION 'surveillance: observations need an approved request (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                IF today < req.starts_on OR today > req.ends_on
                   OR (NEW.observed_at AT TIME ZONE '{_ZONE}')::date < req.starts_on
                   OR (NEW.observed_at AT TIME ZONE '{_ZONE}')::date > req.ends_on
                   OR NEW.observed_at > clock_timestamp() + interval '5 minutes' THEN
                    RAISE EXCEPTION 'surveillance: observation outside the approved window (7.2)'
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"Observation on {self.request} at {timezone.localtime(self.observed_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("surveillance:observation", args=[self.pk])

    @property
    def organisation_id(self) -> int | None:
        return self.request.case.organisation_id
