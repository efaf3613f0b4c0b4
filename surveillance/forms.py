"""Forms for covert surveillance (7.2). They shape the input; surveillance.services decides."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from cases.forms import TEXT_LIMIT
from core.choices import Platform
from core.forms import DateInput, DateTimeLocalInput
from core.uploads import allowed_description, check_upload
from surveillance.models import Phase, SurveillanceDecision, SurveillanceRequest


def _text(label: str, help_text: str = "", rows: int = 3, max_length: int = TEXT_LIMIT) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class SurveillanceRequestForm(forms.Form):
    """Every question the Head of HR and OD needs answered before approving (7.2)."""

    _f = SurveillanceRequest._meta.get_field

    may_be_criminal = forms.TypedChoiceField(
        label="Could the matter be criminal?",
        choices=[("no", "No"), ("yes", "Yes, it may be criminal")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="Clause 7.2 notes that this kind of surveillance generally falls outside the Regulation of "
        "Investigatory Powers Act only because the conduct is not criminal. If it may be, it goes to the police.",
    )
    grounds = _text("Grounds for suspicion", _f("grounds").help_text, rows=4)
    necessity = _text("Why surveillance is necessary", _f("necessity").help_text)
    proportionality = _text("Why it is proportionate", _f("proportionality").help_text)
    less_intrusive = _text("Less intrusive ways considered", _f("less_intrusive").help_text)
    platforms = forms.MultipleChoiceField(
        label="Platforms", choices=Platform.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    accounts = _text("Accounts in scope", _f("accounts").help_text, max_length=2000)
    public_only_confirmed = forms.BooleanField(
        label="I confirm only public content will be viewed: no fake or borrowed accounts, no friend or follow "
        "requests, no private messages, no closed groups.",
        required=False,
    )
    collateral_intrusion = _text("Collateral intrusion", _f("collateral_intrusion").help_text)
    starts_on = forms.DateField(label="Start", widget=DateInput())
    ends_on = forms.DateField(
        label="End",
        widget=DateInput(),
        help_text="The approval lapses by itself after this day.",
    )
    review_on = forms.DateField(label="Review date", widget=DateInput(), help_text=_f("review_on").help_text)
    dpia_reference = forms.CharField(label="DPIA reference", max_length=60, help_text=_f("dpia_reference").help_text)

    del _f

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].help_text = (
            f"At most {settings.SURVEILLANCE_MAX_DAYS} days from the start, counting both days. "
            "The approval lapses by itself after this day."
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=SurveillanceDecision.Decision.choices, widget=forms.RadioSelect)
    reasons = _text("Your written decision", "Why you approve, reject or send it back; the requester reads this.")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ObservationForm(forms.Form):
    observed_at = forms.DateTimeField(label="When it was seen", widget=DateTimeLocalInput(), help_text="UK time.")
    platform = forms.ChoiceField(choices=Platform.choices)
    what_was_seen = _text("What was seen", "Facts only: what the public content showed.", rows=4)
    link = forms.URLField(label="Link", max_length=500, required=False, assume_scheme="https")
    screenshot = forms.FileField(
        label="Screenshot",
        required=False,
        help_text=f"Optional. Accepted: {allowed_description()}; its SHA-256 is recorded at upload.",
    )

    def __init__(self, *args, request: SurveillanceRequest, oversize: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversize = oversize or []
        self.fields["platform"].choices = [(p, Platform(p).label) for p in request.platforms if p in Platform.values]

    def clean_screenshot(self):
        if self.oversize:
            raise ValidationError(
                f"“{self.oversize[0][1]}” is larger than the {filesizeformat(settings.MAX_UPLOAD_BYTES)} limit "
                "and was not accepted."
            )
        screenshot = self.cleaned_data.get("screenshot")
        if screenshot:
            check_upload(screenshot)
        return screenshot


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            ("complete", "Complete: the officer has what is needed"),
            ("revoke", "Revoke: it is no longer necessary or proportionate"),
        ],
        widget=forms.RadioSelect,
    )
    summary = _text("Summary", "Why it stops now, and what it found.", rows=4)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Reference, case or name", required=False, max_length=100)
    phase = forms.ChoiceField(label="State", choices=[("", "Any state"), *Phase.choices], required=False)
    year = forms.IntegerField(label="Year requested", required=False, min_value=2000, max_value=2100)
