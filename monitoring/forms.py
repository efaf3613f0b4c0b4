import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone

from core.forms import DateInput, DateTimeLocalInput
from monitoring.models import AddressRange, CsvMapping, IdentityKind, MonitoringCheck, Site, UsageImport
from people.models import Organisation, User


def _employee_choices():
    return User.objects.active().select_related("organisation").order_by("last_name", "first_name")


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation})" if obj.organisation else str(obj)


class SiteForm(forms.ModelForm):
    domains_text = forms.CharField(
        label="Domains",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="One a line, such as facebook.com; sub-domains match too.",
    )

    class Meta:
        model = Site
        fields = ["name", "category", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["domains_text"].initial = "\n".join(self.instance.domains)

    def clean_domains_text(self):
        domains = []
        for raw in self.cleaned_data["domains_text"].replace(",", "\n").splitlines():
            domain = raw.strip().lower()
            if not domain:
                continue
            if len(domain) > 253 or not all(part and part.replace("-", "").isalnum() for part in domain.split(".")):
                raise forms.ValidationError(f"{domain[:60]} is not a domain such as example.com.")
            domains.append(domain)
        if not domains:
            raise forms.ValidationError("Give at least one domain.")
        return domains


class AddressRangeForm(forms.ModelForm):
    class Meta:
        model = AddressRange
        fields = ["organisation", "network", "device", "label"]


class CsvMappingForm(forms.ModelForm):
    class Meta:
        model = CsvMapping
        fields = [
            "name",
            "delimiter",
            "time_column",
            "time_format",
            "user_column",
            "address_column",
            "url_column",
            "bytes_column",
            "status_column",
            "blocked_values",
        ]


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(choices=IdentityKind.choices)
    value = forms.CharField(max_length=255, label="User name or address")
    employee = EmployeeChoiceField(queryset=_employee_choices())
    valid_from = forms.DateTimeField(widget=DateTimeLocalInput(), help_text="From when it was theirs (UK time).")
    valid_to = forms.DateTimeField(
        widget=DateTimeLocalInput(), required=False, help_text="Until when; empty while they still use it."
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", "The period must end after it starts.")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=(
            "A log file from the web filter: plain text, or compressed as the filter rotates it (.gz, .bz2 or .xz). "
            "Larger files by the command line."
        )
    )
    format = forms.ChoiceField(choices=UsageImport.Format.choices, widget=forms.RadioSelect)
    mapping = forms.ModelChoiceField(
        queryset=CsvMapping.objects.all(), required=False, label="CSV column mapping", empty_label="(not a CSV file)"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"The file is larger than {limit} MB; import it with python manage.py import_usage instead."
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("format") == UsageImport.Format.CSV and not cleaned.get("mapping"):
            self.add_error("mapping", "Choose the column mapping of the filter that wrote this CSV file.")
        return cleaned


class OverviewFilterForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, empty_label="All organisations"
    )
    days = forms.TypedChoiceField(
        label="Period",
        coerce=int,
        choices=[(7, "Last 7 days"), (14, "Last 14 days"), (30, "Last 30 days"), (90, "Last 90 days")],
        required=False,
        initial=14,
    )
    flagged = forms.BooleanField(label="Only possible excessive use", required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(widget=DateInput(), required=False, label="From")
    end = forms.DateField(widget=DateInput(), required=False, label="To")

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        start, end = today - dt.timedelta(days=29), today
        if self.is_valid():
            start = self.cleaned_data["start"] or start
            end = self.cleaned_data["end"] or end
        if end < start or (end - start).days > 366:
            start, end = today - dt.timedelta(days=29), today
        return start, end


class CheckRequestForm(forms.Form):
    employee = EmployeeChoiceField(queryset=User.objects.none())
    reason = forms.ChoiceField(choices=MonitoringCheck.Reason.choices, widget=forms.RadioSelect, label="Reason (4.1)")
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What has been seen that makes a check necessary. For another reason, why HR should accept it.",
    )
    period_start = forms.DateField(widget=DateInput(), label="Check from")
    period_end = forms.DateField(widget=DateInput(), label="Check to")

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.has_perm("monitoring.run_monitoring"):
            qs = _employee_choices()
        else:
            qs = _employee_choices().filter(line_manager=actor)
        self.fields["employee"].queryset = qs.exclude(pk=actor.pk)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after its first day.")
        return cleaned


class DecisionForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Note",
        help_text="Why the reason meets clause 4.1 (needed for 'another reason'), or why the check is declined.",
    )


class CompleteForm(forms.Form):
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    deferred_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label="Do not tell the employee yet, because",
        help_text="Leave empty to tell the employee now; fill in only if telling them would harm an investigation.",
    )
    case_reference = forms.CharField(
        max_length=50, required=False, label="Case reference", help_text="The case these findings feed, if any."
    )


class WithdrawalForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.filter(is_active=True))
    employee = EmployeeChoiceField(queryset=_employee_choices(), required=False, help_text="One employee…")
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, help_text="…or the staff of a whole organisation."
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Misuse (4.3)")
    reference = forms.CharField(max_length=50, required=False, label="Incident or case reference")
    review_date = forms.DateField(widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("employee") and cleaned.get("organisation"):
            self.add_error("organisation", "Choose one employee or one organisation, not both.")
        elif not cleaned.get("employee") and not cleaned.get("organisation") and not self.errors:
            self.add_error("employee", "Choose the employee, or an organisation.")
        return cleaned


class LiftForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Why access is given back"
    )


class CheckFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *MonitoringCheck.Status.choices], required=False)
