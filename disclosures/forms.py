from django import forms

from cases.forms import IncidentReportForm
from disclosures.checks import DisclaimerElement, Wording, check_disclaimer, wording_errors
from disclosures.models import (
    PROFILE_TEXT_MAX,
    DisclaimerWording,
    PersonalAccountDisclosure,
    PoliticalActivity,
)
from people.models import Organisation, User


def _single_line(value: str, label: str) -> str:
    value = (value or "").strip()
    if any(ch in value for ch in "\r\n\t"):
        raise forms.ValidationError(f"The {label} must be on one line.")
    return value


class DisclosureForm(forms.ModelForm):
    """Declaring or updating a personal account (clause 5.1); political activity is asked only of
    holders of politically restricted posts (5.6), since it is nobody else's business."""

    privacy_settings_checked = forms.BooleanField(
        label="I have checked this account's privacy settings",
        help_text="Clause 5.1: posts you meant to be private may be public unless your privacy settings say "
        "otherwise. Check who can see your posts, your friends or followers lists and your photos.",
        error_messages={"required": "Please check your privacy settings first (clause 5.1)."},
    )
    profile_url = forms.URLField(
        label="Profile link", max_length=300, required=False, assume_scheme="https", help_text="Optional."
    )
    profile_text = forms.CharField(
        label="Profile text",
        required=False,
        max_length=PROFILE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your profile's description (bio), as it appears on the platform.",
    )
    political_activities = forms.MultipleChoiceField(
        label="Political activity on this account",
        choices=PoliticalActivity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your post is politically restricted (clause 5.6): tell us of any of these, and HR will "
        "talk it through with you.",
    )

    class Meta:
        model = PersonalAccountDisclosure
        fields = [
            "platform",
            "handle",
            "display_name",
            "profile_url",
            "profile_text",
            "says_works_at_school",
            "discusses_work",
            "disclaimer",
            "political_activities",
            "political_details",
            "privacy_settings_checked",
        ]
        labels = {"political_details": "Details of the political activity"}
        widgets = {"political_details": forms.Textarea(attrs={"rows": 2, "maxlength": 1000})}

    def __init__(self, *args, employee: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["disclaimer"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 500})
        if not employee.politically_restricted:
            del self.fields["political_activities"]
            del self.fields["political_details"]

    def clean_handle(self):
        return _single_line(self.cleaned_data["handle"], "handle")

    def clean_display_name(self):
        return _single_line(self.cleaned_data["display_name"], "display name")

    def clean_political_details(self):
        value = self.cleaned_data.get("political_details", "")
        if len(value) > 1000:
            raise forms.ValidationError("Keep the details to 1,000 characters.")
        return value

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.setdefault("political_activities", [])
        data.setdefault("political_details", "")
        return data


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label="Follow-up note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you advised or asked the employee to change; they will see it.",
    )


class DisclosureFilterForm(forms.Form):
    q = forms.CharField(label="Employee, handle or name", required=False, max_length=100)
    outcome = forms.ChoiceField(
        choices=[("", "Any outcome"), *PersonalAccountDisclosure.Outcome.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="All organisations"
    )
    political = forms.BooleanField(label="Political activity flagged (5.6)", required=False)


class DisclaimerWordingForm(forms.ModelForm):
    class Meta:
        model = DisclaimerWording
        fields = ["pattern", "element", "example", "is_active"]

    def clean_pattern(self):
        pattern = " ".join(self.cleaned_data["pattern"].lower().split())
        errors = wording_errors(pattern)
        if errors:
            raise forms.ValidationError(errors)
        return pattern

    def clean(self):
        cleaned = super().clean()
        pattern, element, example = cleaned.get("pattern"), cleaned.get("element"), cleaned.get("example")
        if pattern and element and example:
            result = check_disclaimer(
                texts=[example], discusses_work=True, wordings=[Wording(pattern, DisclaimerElement(element))]
            )
            if DisclaimerElement(element) not in result.found:
                self.add_error("example", "The pattern does not recognise this example; adjust one or the other.")
        return cleaned


class RestrictedPostForm(forms.Form):
    employee = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Employee", help_text="Whose post is politically restricted (5.6)."
    )
    reason = forms.CharField(
        max_length=300, required=False, help_text="For example: the post advises councillors on policy."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (
            User.objects.active().filter(politically_restricted=False).select_related("organisation")
        )
        self.fields["employee"].label_from_instance = lambda u: f"{u} — {u.job_title}, {u.organisation or ''}"


class SelfReportForm(IncidentReportForm):
    """Clause 5.5: telling HR yourself about something you posted that may break the policy."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("subject", "subject_description", "anonymous", "on_behalf_of"):
            self.fields.pop(name, None)
        self.fields["description"].label = "What you posted, and why you are telling us"
        self.fields["link"].label = "Link to your post, if it is still up"

    def clean(self):
        # The person concerned is the reporter; the parent's "who is concerned" check does not apply.
        return forms.Form.clean(self)
