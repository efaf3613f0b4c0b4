"""Forms of the cases app; services do the business checks, forms the shape of the input."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import (
    EARLY_ENDINGS,
    Appeal,
    Capacity,
    Case,
    Category,
    Clause,
    DisciplinaryOutcome,
    IncidentReport,
)
from core.choices import Platform
from core.forms import DateInput, DateTimeLocalInput
from core.uploads import allowed_description, check_upload
from people.models import Organisation, Role, User

TEXT_LIMIT = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class EvidenceFieldMixin:
    """Adds the files the size-limit upload handler dropped, and checks each file's real type."""

    evidence_field = "files"

    def __init__(self, *args, oversize: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversize = oversize or []

    def clean_files(self):
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        files = self.cleaned_data.get(self.evidence_field) or []
        errors = [
            f"“{name}” is larger than the {filesizeformat(settings.MAX_UPLOAD_BYTES)} limit and was not accepted."
            for _, name in self.oversize
        ]
        for f in files:
            try:
                check_upload(f)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


def _people():
    return User.objects.active().select_related("organisation").order_by("last_name", "first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.job_title}, {obj.organisation or 'no organisation'}"


class IncidentReportForm(EvidenceFieldMixin, forms.Form):
    subject = PersonChoiceField(
        queryset=_people(),
        required=False,
        label="Who is concerned",
        empty_label="Unknown / outside the school",
        help_text="Pick the employee from the directory, or leave it as unknown and describe them below.",
    )
    subject_description = forms.CharField(
        label="If unknown or outside the school, describe them", max_length=200, required=False
    )
    capacity = forms.ChoiceField(
        choices=Capacity.choices, widget=forms.RadioSelect, label="Were they acting", initial=Capacity.PERSONAL
    )
    platform = forms.ChoiceField(choices=Platform.choices)
    link = forms.URLField(label="Link to the post or profile", max_length=500, required=False, assume_scheme="https")
    occurred_at = forms.DateTimeField(
        label="When it happened", widget=DateTimeLocalInput(), help_text="UK time. It cannot be in the future."
    )
    description = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_LIMIT
    )
    categories = forms.MultipleChoiceField(
        label="Which rules may be broken",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every one that applies; the clause numbers are those of the social media policy.",
    )
    files = MultipleFileField(
        label="Evidence (screenshots, documents)",
        required=False,
        help_text=f"Optional. Accepted: {allowed_description()}; checked by content, not by name.",
    )
    anonymous = forms.BooleanField(
        label="Keep me anonymous to HR",
        required=False,
        help_text="Your name is not stored with the report. You get a receipt key to check its progress "
        "and answer HR's questions; keep it safe, it cannot be shown again.",
    )
    on_behalf_of = forms.CharField(
        label="Taken on behalf of (HR only)",
        max_length=200,
        required=False,
        help_text="If you are recording a concern raised by phone or in person: who raised it and how to reach them.",
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_perm("cases.triage_queue"):
            del self.fields["on_behalf_of"]

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now():
            raise ValidationError("The date cannot be in the future.")
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("subject") and not (cleaned.get("subject_description") or "").strip():
            self.add_error("subject_description", "Pick someone from the directory, or describe who is concerned.")
        return cleaned


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_LIMIT)


class ReceiptForm(forms.Form):
    key = forms.CharField(
        label="Receipt key",
        max_length=40,
        help_text="The key you were given when you reported, e.g. ABCD-EFGH-JKLM-NPQR.",
    )


class ReceiptReplyForm(ReceiptForm, ReplyForm):
    pass


class TriageForm(forms.Form):
    class Decision:
        NO_FURTHER_ACTION = "no_further_action"
        ASK = "ask"
        OPEN_CASE = "open_case"
        MERGE = "merge"

    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        choices=[
            ("open_case", "Open a case"),
            ("merge", "Add it to an existing case"),
            ("ask", "Ask the reporter a question"),
            ("no_further_action", "No further action"),
        ],
    )
    summary = forms.CharField(
        label="Case summary (opening a case)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LIMIT,
    )
    case = forms.ModelChoiceField(
        label="Existing case (adding to a case)", queryset=Case.objects.none(), required=False
    )
    question = forms.CharField(
        label="Question (asking the reporter)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LIMIT,
    )
    reason = forms.CharField(
        label="Reason (no further action)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LIMIT,
    )

    def __init__(self, *args, report: IncidentReport, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Case.objects.exclude(status=Case.Status.CLOSED).select_related("subject")
        if report.subject_id:
            qs = qs.filter(subject_id=report.subject_id)
        self.fields["case"].queryset = qs.order_by("-opened_at")
        self.fields["case"].label_from_instance = lambda c: f"{c.reference} — {c.subject} ({c.get_status_display()})"

    def clean(self):
        cleaned = super().clean()
        needed = {"open_case": "summary", "merge": "case", "ask": "question", "no_further_action": "reason"}
        field = needed.get(cleaned.get("decision"))
        if field and not cleaned.get(field):
            self.add_error(field, "This is needed for the decision you chose.")
        return cleaned


def _investigators():
    roles = [Role.INVESTIGATOR, Role.HR_OFFICER, Role.HEAD_OF_HR, Role.HEADTEACHER]
    return (
        User.objects.active()
        .filter(role_assignments__role__in=roles)
        .distinct()
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


class AssignForm(forms.Form):
    officer = PersonChoiceField(
        queryset=_investigators(),
        label="Investigating officer",
        help_text="Not the subject, nor anyone named in the case, nor the subject's line manager if a party.",
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        help_text="Internal: never shown to the employee.",
    )


class InterviewForm(forms.Form):
    interviewee = PersonChoiceField(
        queryset=_people(), required=False, label="Who was interviewed", empty_label="Someone outside the directory"
    )
    interviewee_name = forms.CharField(label="Name, if outside the directory", max_length=200, required=False)
    interviewed_at = forms.DateTimeField(label="When", widget=DateTimeLocalInput())
    summary = forms.CharField(
        label="Summary", max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    statement = forms.CharField(label="Witness statement", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)

    def clean_interviewed_at(self):
        value = self.cleaned_data["interviewed_at"]
        if value > timezone.now():
            raise ValidationError("An interview cannot be recorded before it happens.")
        return value


class EvidenceForm(EvidenceFieldMixin, forms.Form):
    files = MultipleFileField(label="Files", help_text=f"Accepted: {allowed_description()}.")
    description = forms.CharField(max_length=300, required=False)


class FindingForm(forms.Form):
    finding = forms.CharField(label="Finding", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    serious_breach_found = forms.BooleanField(
        label="The investigation found a serious breach that may be gross misconduct (7.3)", required=False
    )


class DeadlineForm(forms.Form):
    title = forms.CharField(max_length=200, label="What is due")
    due_on = forms.DateField(label="Due on", widget=DateInput())


class SuspensionForm(forms.Form):
    start = forms.DateField(label="Suspended from", widget=DateInput())
    review_on = forms.DateField(label="Review on", widget=DateInput())
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the employee cannot stay at work during the investigation.",
    )


class HearingForm(forms.Form):
    hearing_at = forms.DateTimeField(
        label="Hearing date and time",
        widget=DateTimeLocalInput(),
        help_text="UK time, in the future. The employee is told at once.",
    )
    panel = forms.CharField(max_length=300, label="Panel", help_text="Who chairs and sits on the panel.")
    short_notice_reason = forms.CharField(
        label="Reason for shorter notice",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the hearing is sooner than the usual notice, for example at the employee's request.",
    )

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if earliest is not None:
            self.fields["hearing_at"].help_text = (
                f"UK time. With the usual notice the earliest date is {earliest:%d/%m/%Y}. "
                "The employee is told at once."
            )


class HearingHeldForm(forms.Form):
    attended = forms.CharField(
        label="Who attended",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The panel, the employee, the investigating officer, any witnesses, and the note-taker.",
    )
    accompanied = forms.TypedChoiceField(
        label="Was the employee accompanied?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    companion = forms.CharField(
        label="Companion",
        max_length=200,
        required=False,
        help_text="Their name, and whether a colleague or a trade union representative.",
    )
    adjournments = forms.CharField(
        label="Adjournments",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Any breaks or adjournments, how long and why. Leave empty if none.",
    )


class CaseEndForm(forms.Form):
    ending = forms.ChoiceField(
        label="How the case ends",
        choices=[("", "Choose…"), *((e.value, e.label) for e in EARLY_ENDINGS)],
        help_text="No case to answer is for after the investigation and before a hearing is held.",
    )
    reason = forms.CharField(
        label="Reason",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="It stays on the case's timeline. For a referral, say to whom and when.",
    )


class CaseReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why the case is reopened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the new evidence received.",
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome…"), *DisciplinaryOutcome.Kind.choices],
        help_text="Decided after the hearing has been held (7.1, 7.3).",
    )
    clauses_breached = forms.MultipleChoiceField(
        choices=Clause.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Clauses breached"
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, help_text="Quoted in the outcome letter."
    )
    warning_expires_on = forms.DateField(
        label="Warning expires on", widget=DateInput(), required=False, help_text="Warnings only."
    )
    serious_breach = forms.ChoiceField(
        choices=[("", "—"), *DisciplinaryOutcome.SeriousBreach.choices],
        required=False,
        label="Serious breach (gross misconduct only)",
    )
    serious_breach_finding = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        required=False,
        label="Finding of a serious breach (7.3)",
    )


class LetterTemplateForm(forms.Form):
    title = forms.CharField(label="Heading", max_length=200)
    body = forms.CharField(
        label="Wording",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Merge fields, listed beside, are written {{ like_this }}; nothing else in braces is allowed. "
        "A blank line starts a new paragraph.",
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(label="Why you are appealing", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Appeal.Decision.choices, widget=forms.RadioSelect)
    varied_to = forms.ChoiceField(
        choices=[("", "—"), *DisciplinaryOutcome.Kind.choices],
        required=False,
        label="Varied to (when the outcome is varied)",
    )
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Reference or name", required=False, max_length=100)
    status = forms.ChoiceField(choices=[("", "Any status"), *Case.Status.choices], required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="All organisations"
    )


class TriageFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", "Awaiting a decision"), ("", "All"), *IncidentReport.Status.choices], required=False
    )
    q = forms.CharField(label="Reference or name", required=False, max_length=100)
