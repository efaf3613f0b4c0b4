from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from audit.admin import AuditedModelAdmin
from people.models import (
    Organisation,
    OrganisationAlias,
    OvertimePeriod,
    PolicyAcknowledgement,
    PolicyVersion,
    RestBreak,
    RoleAssignment,
    User,
)


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1


class RestBreakInline(admin.TabularInline):
    model = RestBreak
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "parent", "workday_start", "workday_end")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__alias")
    inlines = [OrganisationAliasInline, RestBreakInline]


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(AuditedModelAdmin):
    list_display = ("alias", "kind", "organisation")
    list_filter = ("kind", "organisation")
    search_fields = ("alias",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0


@admin.register(User)
class EmployeeAdmin(UserAdmin, AuditedModelAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "organisation",
        "job_title",
        "line_manager",
        "employment_status",
        "politically_restricted",
    )
    list_filter = ("organisation", "employment_status", "politically_restricted", "role_assignments__role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "staff_number")
    autocomplete_fields = ("line_manager",)
    inlines = [RoleAssignmentInline]
    fieldsets = UserAdmin.fieldsets + (
        (
            "Employment",
            {
                "fields": (
                    "organisation",
                    "job_title",
                    "staff_number",
                    "line_manager",
                    "employment_status",
                    "politically_restricted",
                )
            },
        ),
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "organisation", "granted_at")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__last_name")
    autocomplete_fields = ("user",)


@admin.register(RestBreak)
class RestBreakAdmin(AuditedModelAdmin):
    list_display = ("organisation", "weekday", "start", "end", "label")
    list_filter = ("organisation", "weekday")


@admin.register(OvertimePeriod)
class OvertimePeriodAdmin(AuditedModelAdmin):
    list_display = ("employee", "start", "end", "reason", "recorded_by")
    list_filter = ("employee__organisation",)
    search_fields = ("employee__last_name", "employee__username", "reason")
    autocomplete_fields = ("employee", "recorded_by")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(AuditedModelAdmin):
    list_display = ("version", "title", "effective_from", "published_at", "published_by")
    search_fields = ("version", "title")
    date_hierarchy = "effective_from"


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(admin.ModelAdmin):
    """Read-only: only the employee gives an acknowledgement, through the policy page."""

    list_display = ("employee", "policy_version", "acknowledged_at")
    list_filter = ("policy_version", "employee__organisation")
    search_fields = ("employee__username", "employee__last_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
