from django import forms

from core.choices import Platform
from core.forms import DateInput
from people.models import Organisation
from recruitment.models import Applicant, CandidateSearch, Vacancy


class VacancyForm(forms.Form):
    reference = forms.CharField(max_length=30, help_text="For example: RBC-2026-041.")
    title = forms.CharField(max_length=150)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), help_text="Where the post is.")
    closing_date = forms.DateField(required=False, widget=DateInput(), help_text="Day/month/year.")


class ApplicantForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(max_length=254)


class ApplicantStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Applicant.Status.choices)


class VacancyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Vacancy.Status.choices)


class CandidateSearchForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices)
    subject_name = forms.CharField(max_length=150, label="Name of the person to search")
    subject_email = forms.EmailField(max_length=254, required=False, label="Their email address, if known")
    subject_profile_url = forms.URLField(
        max_length=300, required=False, assume_scheme="https", label="Profile link, if known"
    )
    purpose = forms.ChoiceField(
        choices=CandidateSearch.Purpose.choices,
        widget=forms.RadioSelect,
        help_text="Clause 6.1 allows searches only to find candidates.",
    )
    reason = forms.CharField(
        label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text="What the search is for."
    )
    sourcing_evidence = forms.CharField(
        label="Evidence the person is seeking employers",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For candidate sourcing: how you know the person put their details there to attract "
        "prospective employers (an “open to work” profile, a CV posted to a jobs group).",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("purpose") == CandidateSearch.Purpose.SOURCING
            and not cleaned.get("sourcing_evidence", "").strip()
        ):
            self.add_error(
                "sourcing_evidence", "For candidate sourcing, record how you know the person is seeking employers."
            )
        return cleaned


class SearchFilterForm(forms.Form):
    q = forms.CharField(label="Person searched or searcher", required=False, max_length=100)
    outcome = forms.ChoiceField(choices=[("", "Allowed and refused"), *CandidateSearch.Outcome.choices], required=False)
    platform = forms.ChoiceField(choices=[("", "Any platform"), *Platform.choices], required=False)
