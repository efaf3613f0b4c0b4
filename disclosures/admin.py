from django.contrib import admin
from django.db import models

from audit.admin import AuditedModelAdmin
from disclosures.models import DisclaimerWording, PersonalAccountDisclosure, RestrictedPostRecord


@admin.register(PersonalAccountDisclosure)
class PersonalAccountDisclosureAdmin(AuditedModelAdmin):
    list_display = ("handle", "platform", "employee", "outcome", "checked_at")
    list_filter = ("outcome", "platform")
    search_fields = ("handle", "display_name", "employee__last_name")
    readonly_fields = ("outcome", "findings", "political_flagged_at", "checked_at", "submitted_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(DisclaimerWording)
class DisclaimerWordingAdmin(AuditedModelAdmin):
    list_display = ("pattern", "element", "is_active", "updated_at")
    list_filter = ("element", "is_active")


@admin.register(RestrictedPostRecord)
class RestrictedPostRecordAdmin(AuditedModelAdmin):
    list_display = ("employee", "marked_at", "acknowledged_at", "lifted_at")
