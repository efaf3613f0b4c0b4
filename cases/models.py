"""Incident reports, investigation cases, evidence and disciplinary outcomes (clauses 3.3, 5.2, 5.5, 7.1, 7.3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from core.choices import Platform
from core.uploads import describe_content


class Capacity(models.TextChoices):
    PROFESSIONAL = "professional", "Professional capacity, for the school (clause 3.3)"
    PERSONAL = "personal", "Personal capacity, outside work (clauses 5.2, 5.5)"


class Category(models.TextChoices):
    """The rules a concern may touch, each mapped to the clause it comes from."""

    DISREPUTE = "disrepute", "Bringing the school into disrepute (3.3, 5.2)"
    CONFIDENTIALITY = "confidentiality", "Breaching confidentiality (3.3, 5.2)"
    COPYRIGHT = "copyright", "Breaching copyright (3.3)"
    DISCRIMINATION = "discrimination", "Discrimination, bullying or harassment (3.3)"
    EXCESSIVE_USE = "excessive_use", "Excessive use during work time (2.1, 2.2, 4.1)"
    PROFILE_NAME = "profile_name", "School's name in a profile name (5.3)"
    DISCLAIMER = "disclaimer", "Missing 'views are my own' statement (5.4)"
    POLITICAL = "political", "Political activity in a restricted post (5.6)"
    OTHER = "other", "Other breach of the policy or Code of Conduct (5.5, 7.1)"


CATEGORY_CLAUSES = {
    Category.DISREPUTE: ["3.3", "5.2"],
    Category.CONFIDENTIALITY: ["3.3", "5.2"],
    Category.COPYRIGHT: ["3.3"],
    Category.DISCRIMINATION: ["3.3"],
    Category.EXCESSIVE_USE: ["2.1", "2.2"],
    Category.PROFILE_NAME: ["5.3"],
    Category.DISCLAIMER: ["5.4"],
    Category.POLITICAL: ["5.6"],
    Category.OTHER: ["5.5"],
}


class Clause(models.TextChoices):
    """Clauses an outcome letter can cite as breached."""

    C2_1 = "2.1", "2.1 Social media at work only in official rest breaks"
    C2_2 = "2.2", "2.2 Own devices at work only in rest breaks"
    C3_3 = "3.3", "3.3 Professional communications (disrepute, confidentiality, copyright, discrimination)"
    C3_4 = "3.4", "3.4 Safeguards for communications about the school"
    C5_2 = "5.2", "5.2 Personal communications (disrepute, confidentiality)"
    C5_3 = "5.3", "5.3 The school's name in a profile name"
    C5_4 = "5.4", "5.4 The 'views are my own' statement"
    C5_5 = "5.5", "5.5 The Employees' Code of Conduct outside working hours"
    C5_6 = "5.6", "5.6 Politically restricted posts"


class IncidentReport(models.Model):
    """A concern raised by an employee (or by HR for a caller), possibly anonymously. Workflow:
    reported → awaiting reporter (HR asked a question) → no further action | merged into a case."""

    # Set by incident_report_create on an anonymous report, for its receipt page only; only its hash is stored.
    receipt_key: str | None

    class Status(models.TextChoices):
        REPORTED = "reported", "Awaiting triage"
        AWAITING_REPORTER = "awaiting_reporter", "Question sent to the reporter"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        MERGED = "merged", "Taken into a case"

    OPEN_STATES = (Status.REPORTED, Status.AWAITING_REPORTER)

    reference = models.CharField(max_length=20, unique=True, editable=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_reports",
        help_text="Empty when the reporter chose to stay anonymous: nothing in the record links them to it.",
    )
    anonymous = models.BooleanField(default=False)
    receipt_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    on_behalf_of = models.CharField(
        "reported by HR on behalf of",
        max_length=200,
        blank=True,
        help_text="When HR takes a concern by phone or in person: who raised it and how to reach them.",
    )
    self_reported = models.BooleanField(
        default=False, help_text="The employee reported their own activity (for example from a disclosure)."
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports_about",
        verbose_name="who is concerned",
    )
    subject_description = models.CharField(
        "if not in the directory", max_length=200, blank=True, help_text="Unknown, or someone outside the school."
    )
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    link = models.URLField("link to the post or profile", max_length=500, blank=True)
    occurred_at = models.DateTimeField("when it happened")
    description = models.TextField("what happened", max_length=5000)
    categories = ArrayField(models.CharField(max_length=30, choices=Category.choices), default=list)
    status = FSMField(max_length=30, choices=Status.choices, default=Status.REPORTED, protected=True)
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    reported_at = models.DateTimeField(default=timezone.now, db_index=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    case = models.ForeignKey("Case", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(reporter__isnull=True), name="anonymous_report_has_no_reporter"
            ),
            models.CheckConstraint(condition=~Q(status="merged") | Q(case__isnull=False), name="merged_report_case"),
        ]
        indexes = [
            # The triage queue reads the few open reports in date order; among a million reports this small
            # index serves both its page and its count (docs/PERFORMANCE.md).
            models.Index(
                fields=["reported_at", "id"],
                condition=Q(status__in=["reported", "awaiting_reporter"]),
                name="report_open_queue_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:report_detail", args=[self.pk])

    @property
    def subject_label(self) -> str:
        return str(self.subject) if self.subject_id else (self.subject_description or "Unknown")

    @property
    def organisation_id(self) -> int | None:
        """For the audit trail: a report belongs to the subject's school."""
        return self.subject.organisation_id if self.subject_id else None

    def get_categories_display(self) -> list[str]:
        return [Category(c).label for c in self.categories if c in Category.values]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @transition(field=status, source=[Status.REPORTED, Status.AWAITING_REPORTER], target=Status.AWAITING_REPORTER)
    def ask_reporter(self) -> None:
        """HR needs more from the reporter before deciding."""

    @transition(field=status, source=[Status.REPORTED, Status.AWAITING_REPORTER], target=Status.NO_FURTHER_ACTION)
    def close_without_action(self) -> None:
        """HR decides, with a reason, that nothing more is needed."""

    @transition(field=status, source=[Status.REPORTED, Status.AWAITING_REPORTER], target=Status.MERGED)
    def merge_into(self, case: Case) -> None:
        """The report becomes part of a new or an existing case."""
        self.case = case


class ReportMessage(models.Model):
    """Two-way messages between HR and a reporter, who may be anonymous (they answer with the receipt key)."""

    class Sender(models.TextChoices):
        HR = "hr", "HR"
        REPORTER = "reporter", "Reporter"

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only HR authors are recorded; an anonymous reporter's replies carry no author.",
    )
    body = models.TextField(max_length=5000)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()} message on {self.report}"


def case_names(person_id: int | None, *, through: str = "") -> Q:
    """The case names the person: its subject, a reporter who gave their name or the person a report is
    about, or someone interviewed. Case.people_involved is the same rule in Python, for one case; this is
    the rule as a condition on a query of cases or, with `through="case"`, of rows that point to a case.
    Nobody a case names may handle it (tests/cases/test_named_in_case.py checks the two agree)."""
    case_id = OuterRef(f"{through}_id" if through else "pk")
    subject = f"{through}__subject_id" if through else "subject_id"
    in_reports = IncidentReport.objects.filter(case_id=case_id).filter(
        Q(reporter_id=person_id) | Q(subject_id=person_id)
    )
    interviewed = CaseEntry.objects.filter(case_id=case_id, interviewee_id=person_id)
    return Q(**{subject: person_id}) | Q(Exists(in_reports)) | Q(Exists(interviewed))


class CaseQuerySet(models.QuerySet):
    def naming(self, person) -> CaseQuerySet:
        """The cases that name the person (Case.people_involved, as a query)."""
        return self.filter(case_names(person.pk))

    def not_naming(self, person) -> CaseQuerySet:
        return self.exclude(case_names(person.pk))


class Ending(models.TextChoices):
    """Every way a case can end. A decision ends it through an outcome (and any appeal); the others end it early,
    each with a recorded reason; a case that ends because the employee left is kept, marked as such."""

    DECIDED = "decided", "Decided at a disciplinary hearing"
    WITHDRAWN = "withdrawn", "Allegation withdrawn"
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer after the investigation"
    RESIGNED = "resigned", "Employee resigned"
    CONTRACT_ENDED = "contract_ended", "Employee's contract ended"
    REFERRED_POLICE = "referred_police", "Referred to the police"
    REFERRED_LADO = "referred_lado", "Referred to the LADO (a safeguarding concern about a child)"
    REFERRED_REGULATOR = "referred_regulator", "Referred to a professional regulator"


EARLY_ENDINGS = [e for e in Ending if e != Ending.DECIDED]


class Case(models.Model):
    """An investigation into one employee. Workflow (DESIGN.md):
    open → investigating → hearing → (hearing held) → outcome recorded → (appeal) → closed;
    open, investigating or hearing → closed early (withdrawn, no case to answer, employee left, referred);
    closed early → investigating again (reopened with a reason)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        INVESTIGATING = "investigating", "Under investigation"
        HEARING = "hearing", "Disciplinary hearing"
        OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
        APPEAL = "appeal", "Appeal lodged"
        CLOSED = "closed", "Closed"

    ACTIVE_STATES = (Status.OPEN, Status.INVESTIGATING, Status.HEARING)

    reference = models.CharField(max_length=20, unique=True, editable=False)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases_about")
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="+", help_text="The subject's employer."
    )
    summary = models.TextField(max_length=5000, help_text="The allegation in a few sentences.")
    status = FSMField(max_length=30, choices=Status.choices, default=Status.OPEN, protected=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    investigating_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases_investigating"
    )
    finding = models.TextField("investigation finding", blank=True)
    finding_recorded_at = models.DateTimeField(null=True, blank=True)
    serious_breach_found = models.BooleanField(
        default=False, help_text="The investigation found a serious breach that may be gross misconduct (7.3)."
    )
    suspended_from = models.DateField("precautionary suspension from", null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)
    suspension_review_on = models.DateField(null=True, blank=True)
    suspension_lifted_on = models.DateField(null=True, blank=True)
    hearing_at = models.DateTimeField(null=True, blank=True)
    hearing_panel = models.CharField(max_length=300, blank=True, help_text="Who sits on the hearing panel.")
    hearing_notice_reason = models.CharField(
        "reason for short notice",
        max_length=500,
        blank=True,
        help_text="Why the hearing is held with less than the usual notice (the employee's agreement, for example).",
    )
    hearing_held_at = models.DateTimeField(
        "hearing held", null=True, blank=True, help_text="When HR recorded that the hearing took place."
    )
    hearing_attended = models.TextField("who attended the hearing", max_length=2000, blank=True)
    hearing_accompanied = models.BooleanField("the employee was accompanied", null=True, blank=True)
    hearing_companion = models.CharField(
        "companion", max_length=200, blank=True, help_text="A colleague or trade union representative, and which."
    )
    hearing_adjournments = models.TextField("adjournments", max_length=2000, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_as = models.CharField(
        "how the case ended", max_length=30, choices=Ending.choices, blank=True, help_text="Set when the case closes."
    )
    closure_reason = models.TextField("reason for closing", max_length=5000, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    def get_subject_url(self) -> str:
        return reverse("cases:my_case", args=[self.pk])

    @property
    def is_suspended(self) -> bool:
        return self.suspended_from is not None and self.suspension_lifted_on is None

    def people_involved(self) -> set[int]:
        """Ids of everyone named in the case: the subject, reporters who gave their name, people
        named in its reports, and everyone interviewed. None of them may handle it."""
        ids = {self.subject_id}
        for reporter_id, subject_id in self.reports.values_list("reporter_id", "subject_id"):
            ids.update(i for i in (reporter_id, subject_id) if i)
        ids.update(i for i in self.entries.values_list("interviewee_id", flat=True) if i)
        return ids

    def people_handling(self) -> set[int]:
        """Ids of everyone who has acted on the case so far (an appeal must be heard by someone else)."""
        ids = {self.opened_by_id, self.investigating_officer_id}
        ids.update(self.entries.values_list("author_id", flat=True))
        ids.update(self.reports.values_list("triaged_by_id", flat=True))
        outcome = getattr(self, "outcome", None)
        if outcome is not None:
            ids.add(outcome.decided_by_id)
        return {i for i in ids if i}

    @transition(field=status, source=Status.OPEN, target=Status.INVESTIGATING)
    def start_investigation(self) -> None:
        """An investigating officer is assigned."""

    @transition(
        field=status, source=Status.INVESTIGATING, target=Status.HEARING, conditions=[lambda c: bool(c.finding)]
    )
    def schedule_hearing(self) -> None:
        """The finding is in, and HR calls a disciplinary hearing."""

    @property
    def hearing_held(self) -> bool:
        return self.hearing_held_at is not None

    @property
    def closed_early(self) -> bool:
        return self.status == self.Status.CLOSED and self.closed_as not in ("", Ending.DECIDED)

    @transition(
        field=status, source=Status.HEARING, target=Status.OUTCOME_RECORDED, conditions=[lambda c: c.hearing_held]
    )
    def record_outcome(self) -> None:
        """HR records the disciplinary outcome, only once the hearing has been held."""

    @transition(field=status, source=Status.OUTCOME_RECORDED, target=Status.APPEAL)
    def lodge_appeal(self) -> None:
        """The employee appeals against the outcome."""

    @transition(field=status, source=[Status.OUTCOME_RECORDED, Status.APPEAL], target=Status.CLOSED)
    def close(self) -> None:
        """The case ends: no appeal in time, or the appeal is decided."""
        self.closed_at = timezone.now()
        self.closed_as = Ending.DECIDED

    @transition(field=status, source=[Status.OPEN, Status.INVESTIGATING, Status.HEARING], target=Status.CLOSED)
    def end_early(self, ending: str, reason: str) -> None:
        """The case ends before any outcome: withdrawn, no case to answer, the employee left, or referred."""
        self.closed_at, self.closed_as, self.closure_reason = timezone.now(), ending, reason

    @transition(field=status, source=Status.CLOSED, target=Status.INVESTIGATING, conditions=[lambda c: c.closed_early])
    def reopen(self) -> None:
        """A case closed early is investigated again (new evidence, the employee returns)."""
        self.closed_at, self.closed_as, self.closure_reason = None, "", ""
        # A hearing before the case closed is on the timeline; a new one needs scheduling afresh.
        self.hearing_at, self.hearing_held_at, self.hearing_notice_reason = None, None, ""


class Evidence(models.Model):
    """A file attached to a report or a case, kept outside the web root with its SHA-256 (chain of custody)."""

    report = models.ForeignKey(IncidentReport, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256 at upload", max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    last_verified_at = models.DateTimeField(null=True, blank=True)
    last_verified_ok = models.BooleanField(null=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False) | Q(case__isnull=False), name="evidence_belongs_somewhere"
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        """What the file is, in plain words (never its MIME type)."""
        return describe_content(self.content_type)

    @property
    def owning_case(self) -> Case | None:
        if self.case_id:
            return self.case
        return self.report.case if self.report_id and self.report.case_id else None


class CaseEntry(models.Model):
    """One line of a case's timeline."""

    class Kind(models.TextChoices):
        NOTE = "note", "Internal note"
        INTERVIEW = "interview", "Interview"
        EVIDENCE = "evidence", "Evidence added"
        STATUS = "status", "Status change"
        FINDING = "finding", "Investigation finding"
        DEADLINE = "deadline", "Deadline"
        SUSPENSION = "suspension", "Precautionary suspension"
        HEARING = "hearing", "Disciplinary hearing"
        CLOSURE = "closure", "Case closed"
        REOPENED = "reopened", "Case reopened"
        LETTER = "letter", "Letter"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=10000, blank=True)
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_interviews",
        help_text="A member of staff interviewed; they are then named in the case.",
    )
    interviewee_name = models.CharField(max_length=200, blank=True, help_text="Someone outside the directory.")
    witness_statement = models.TextField(max_length=20000, blank=True)
    interviewed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "case entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case}"


class CaseDeadline(models.Model):
    """A date the investigation must meet; the officer and HR are reminded before it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} by {self.due_on:%d/%m/%Y}"

    @property
    def overdue(self) -> bool:
        return self.met_on is None and self.due_on < timezone.localdate()


class DisciplinaryOutcome(models.Model):
    """The decision at the end of a case (clauses 7.1, 7.3)."""

    class Kind(models.TextChoices):
        NO_CASE = "no_case", "No case to answer"
        INFORMAL = "informal", "Informal action"
        FIRST_WRITTEN = "first_written", "First written warning"
        FINAL_WRITTEN = "final_written", "Final written warning"
        DISMISSAL_NOTICE = "dismissal_notice", "Dismissal with notice"
        SUMMARY_DISMISSAL = "summary_dismissal", "Summary dismissal for gross misconduct (7.3)"

    WARNINGS = (Kind.FIRST_WRITTEN, Kind.FINAL_WRITTEN)
    FORMAL = (Kind.FIRST_WRITTEN, Kind.FINAL_WRITTEN, Kind.DISMISSAL_NOTICE, Kind.SUMMARY_DISMISSAL)

    class SeriousBreach(models.TextChoices):
        BULLYING = "bullying", "Bullying of colleagues through social media (7.3)"
        REPUTATION = "reputation", "Serious damage to the school's reputation (7.3)"
        OTHER = "other", "Another serious breach of the policy (7.3)"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="outcome")
    kind = models.CharField("outcome", max_length=30, choices=Kind.choices)
    clauses_breached = ArrayField(models.CharField(max_length=5, choices=Clause.choices), default=list, blank=True)
    reasons = models.TextField(max_length=10000)
    serious_breach = models.CharField(max_length=20, choices=SeriousBreach.choices, blank=True)
    serious_breach_finding = models.TextField(
        max_length=5000, blank=True, help_text="Required for gross misconduct: what made the breach serious (7.3)."
    )
    warning_expires_on = models.DateField(null=True, blank=True, help_text="Warnings lapse on this date.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="summary_dismissal") | (~Q(serious_breach="") & ~Q(serious_breach_finding="")),
                name="gross_misconduct_needs_serious_breach",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["first_written", "final_written"]) | Q(warning_expires_on__isnull=False),
                name="warning_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"

    @property
    def appeal_deadline(self) -> dt.date:
        return timezone.localtime(self.decided_at).date() + dt.timedelta(days=settings.CASES_APPEAL_DAYS)

    @property
    def appealable(self) -> bool:
        return self.kind != self.Kind.NO_CASE

    def get_clauses_display(self) -> list[str]:
        return [Clause(c).label for c in self.clauses_breached if c in Clause.values]


class Appeal(models.Model):
    """The employee's appeal against an outcome, heard by someone not previously involved (7.3)."""

    class Decision(models.TextChoices):
        UPHELD = "upheld", "Original decision upheld"
        OVERTURNED = "overturned", "Original decision overturned"
        VARIED = "varied", "Outcome varied"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField(max_length=10000)
    lodged_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    varied_to = models.CharField(
        max_length=30, choices=DisciplinaryOutcome.Kind.choices, blank=True, help_text="When the outcome is varied."
    )
    decision_reasons = models.TextField(max_length=10000, blank=True)
    heard_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Appeal on {self.case}"


class LetterKind(models.TextChoices):
    """The letters of a disciplinary process (ACAS Code), each made as a PDF when its step happens."""

    SUSPENSION = "suspension", "Precautionary suspension"
    HEARING_INVITATION = "hearing_invitation", "Invitation to a disciplinary hearing"
    OUTCOME = "outcome", "Outcome of the disciplinary hearing"
    APPEAL_OUTCOME = "appeal_outcome", "Outcome of the appeal"


class LetterTemplate(models.Model):
    """The Head of HR's wording for one kind of letter; without one, the built-in wording is used."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices, unique=True)
    title = models.CharField("heading", max_length=200)
    body = models.TextField(max_length=20000, help_text="Merge fields are written {{ like_this }}.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.get_kind_display()


class CaseLetter(models.Model):
    """A letter made on the server as a PDF, stored on the case with its SHA-256: the file the employee receives."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    file = models.FileField(upload_to="letters/%Y/%m/", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case}, {timezone.localtime(self.made_at):%d/%m/%Y})"

    @property
    def filename(self) -> str:
        return f"{self.case.reference}-{self.kind.replace('_', '-')}-{timezone.localtime(self.made_at):%Y%m%d}.pdf"
