from django import forms
from django.conf import settings

from people.directory.reader import COLUMNS, REQUIRED
from people.models import Organisation, Role, StaffColumnMapping, User

ALLOWED_EXTENSIONS = (".csv", ".xlsx", ".txt")


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Staff directory file",
        help_text="The export from your HR or payroll system, saved as CSV or as an Excel workbook (.xlsx).",
    )
    mapping = forms.ModelChoiceField(
        queryset=StaffColumnMapping.objects.all(),
        required=False,
        label="Column names",
        empty_label="As in the sample file (employee_number, first_name, …)",
        help_text="Choose your HR system if its export names the columns differently.",
    )
    partial = forms.BooleanField(
        required=False,
        label="Only these rows (a partial file)",
        help_text="Tick this when the file holds only some employees: then nobody missing from it becomes a leaver.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("Choose a CSV file or an Excel workbook (.xlsx).")
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file is larger than {limit} MB; ask the system administrator to load it.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class StaffColumnMappingForm(forms.Form):
    """One text box per directory column: the header the HR system writes for it."""

    name = forms.CharField(max_length=100, label="HR system", help_text="For example: iTrent, Resourcelink, Access.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in COLUMNS.items():
            self.fields[f"column_{key}"] = forms.CharField(
                max_length=100,
                required=key in REQUIRED,
                label=f"{label}",
                help_text=f"The header your system writes for the {label.lower()}"
                + ("." if key in REQUIRED else " (leave empty if it has none)."),
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if StaffColumnMapping.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("There is already a mapping with this name.")
        return name

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for key in COLUMNS:
            header = (cleaned.get(f"column_{key}") or "").strip()
            if not header:
                continue
            normal = " ".join(header.casefold().split())
            if normal in seen:
                other = COLUMNS[seen[normal]].lower()
                self.add_error(f"column_{key}", f"The same header is already given for {other}.")
            seen[normal] = key
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"column_{key}"].strip()
            for key in COLUMNS
            if (self.cleaned_data.get(f"column_{key}") or "").strip()
        }


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        help_text="A headteacher or business manager holds the role at a school; the other roles at the council.",
    )
    reason = forms.CharField(max_length=300, help_text="Why; it goes on the audit trail.")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Why; it goes on the audit trail.")


class LineManagerForm(forms.Form):
    line_manager_number = forms.CharField(
        label="New line manager's employee number",
        max_length=20,
        required=False,
        help_text="Leave empty if nobody manages them (the top of the tree).",
    )
    reason = forms.CharField(max_length=300, help_text="Why; it goes on the audit trail.")

    def clean_line_manager_number(self):
        number = self.cleaned_data["line_manager_number"].strip()
        if not number:
            return None
        manager = User.objects.filter(staff_number=number).first()
        if manager is None:
            raise forms.ValidationError(f"No employee has the number {number}.")
        return manager


class LeaverForm(forms.Form):
    leave_date = forms.DateField(
        label="Last day of employment",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today or earlier.",
    )
    reason = forms.CharField(max_length=300, help_text="For example: resigned, end of fixed-term contract.")
