"""Filters for HR reports and the HR search box."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from people.models import Organisation
from reports.registry import ReportFilters

MAX_PERIOD_DAYS = 366 * 5


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, from the first of the month eleven months ago up to today."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _ in range(11):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    return start, today


class ReportFilterForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("kind", "name"),
        required=False,
        empty_label="All schools and the council",
        label="School",
    )
    start = forms.DateField(label="From", help_text="dd/mm/yyyy", required=False)
    end = forms.DateField(label="To", help_text="dd/mm/yyyy, included", required=False)

    def clean(self):
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            self.add_error("end", "The end of the period must be on or after its start.")
        elif (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("start", "Choose a period of five years or less.")
        elif end > timezone.localdate() + dt.timedelta(days=366):
            self.add_error("end", "The period cannot end more than a year from today.")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> ReportFilters:
        school = self.cleaned_data.get("school")
        return ReportFilters(
            start=self.cleaned_data["start"],
            end=self.cleaned_data["end"],
            school_id=school.pk if school else None,
            school_name=school.name if school else "",
        )


class SearchForm(forms.Form):
    SCOPES = [
        ("all", "Everything"),
        ("employees", "Employees"),
        ("reports", "Incident reports"),
        ("cases", "Cases"),
    ]
    q = forms.CharField(label="Search", max_length=100, min_length=2, strip=True)
    scope = forms.ChoiceField(label="Look in", choices=SCOPES, required=False)

    def clean_scope(self):
        return self.cleaned_data.get("scope") or "all"
