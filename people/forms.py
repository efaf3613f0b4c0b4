from django import forms

from core.forms import DateInput, DateTimeLocalInput
from people.models import Organisation, RestBreak, User


class OvertimeForm(forms.Form):
    start = forms.DateTimeField(widget=DateTimeLocalInput(), help_text="When the overtime began (UK time).")
    end = forms.DateTimeField(widget=DateTimeLocalInput(), help_text="When it ended.")
    reason = forms.CharField(max_length=200, required=False, help_text="For example: parents' evening.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", "Overtime must end after it starts.")
        return cleaned


class RestBreakForm(forms.ModelForm):
    class Meta:
        model = RestBreak
        fields = ["weekday", "start", "end", "label"]
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}), "end": forms.TimeInput(attrs={"type": "time"})}
        help_texts = {"label": "For example: lunch break, morning break."}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label="Name, user name or staff number", required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="All organisations"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *User.EmploymentStatus.choices], required=False)


class SubjectAccessRequestForm(forms.Form):
    employee = forms.ModelChoiceField(
        queryset=User.objects.order_by("last_name", "first_name"), help_text="The person asking for their data."
    )
    received_on = forms.DateField(widget=DateInput(), help_text="The one-month deadline runs from this date.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class WithholdingForm(forms.Form):
    section = forms.ChoiceField(choices=())
    reason = forms.CharField(max_length=300, help_text="The exemption relied on, e.g. an open investigation.")
    until = forms.DateField(
        required=False,
        widget=DateInput(),
        help_text="Review date; leave blank while the reason lasts.",
    )

    def __init__(self, *args, **kwargs):
        from core.subject_access import section_choices

        super().__init__(*args, **kwargs)
        self.fields["section"].choices = section_choices()
