"""The Head of HR's form for holding monitoring evidence past its limit (clause 4.2)."""

import datetime as dt

from django import forms
from django.utils import timezone

from core.forms import DateInput
from monitoring.models import MonitoringCheck
from people.models import User


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case) -> str:
        return f"{case.reference} — {case.subject} ({case.get_status_display().lower()})"


class CheckChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, check) -> str:
        period = f"{check.period_start:%d/%m/%Y}–{check.period_end:%d/%m/%Y}"
        return f"{check.employee}: {period} ({check.get_status_display()})"


class HoldForm(forms.Form):
    case = CaseChoiceField(queryset=None, help_text="An open case about the employee whose data is evidence.")
    monitoring_check = CheckChoiceField(
        queryset=None,
        required=False,
        label="Monitoring check (optional)",
        help_text="The check whose findings are evidence; it must be about the subject of the case (4.1).",
    )
    period_start = forms.DateField(widget=DateInput(), label="Hold the employee's data from")
    period_end = forms.DateField(widget=DateInput(), label="Hold the employee's data to")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Why this evidence must be kept past the 12 months of clause 4.2.",
    )
    ends_on = forms.DateField(
        widget=DateInput(),
        label="Hold until",
        help_text="At most a year ahead; the hold ends sooner if the case closes.",
    )

    def __init__(self, *args, actor: User, **kwargs):
        from cases.models import Case

        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            Case.objects.exclude(status=Case.Status.CLOSED).exclude(subject=actor).select_related("subject")
        )
        self.fields["monitoring_check"].queryset = MonitoringCheck.objects.exclude(employee=actor).select_related(
            "employee"
        )
        if not self.is_bound:
            self.initial.setdefault("ends_on", timezone.localdate() + dt.timedelta(days=90))
