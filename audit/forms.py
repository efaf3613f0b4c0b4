from django import forms

from audit.models import AuditEvent
from core.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="User name", required=False)
    action = forms.CharField(label="Action contains", required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *AuditEvent.Kind.choices], required=False)
    object_type = forms.CharField(label="Object type", required=False, help_text="For example people.user")
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
