from django.contrib import admin

from audit.admin import AuditedModelAdmin
from recruitment.models import Applicant, Vacancy


class ApplicantInline(admin.TabularInline):
    """Applicants are listed and added here; their status moves only through the app's workflow."""

    model = Applicant
    extra = 0
    readonly_fields = ("status",)


@admin.register(Vacancy)
class VacancyAdmin(AuditedModelAdmin):
    list_display = ("reference", "title", "organisation", "status", "closing_date")
    list_filter = ("status",)
    inlines = [ApplicantInline]


# The search log (CandidateSearch) is deliberately not in the admin: it is append-only and read in the app.
