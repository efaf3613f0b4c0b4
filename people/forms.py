from django import forms

from people.models import Organisation, RestBreak, User


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


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
