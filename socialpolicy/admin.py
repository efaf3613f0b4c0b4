"""The shared admin base: every save and delete goes on the audit trail like any other change."""

from django.contrib import admin
from django.db import transaction

from audit.services import audit_record

admin.site.site_header = "socialpolicy administration"
admin.site.site_title = "socialpolicy admin"
admin.site.index_title = "Records by policy section"


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'changed' if change else 'created'}_in_admin",
                obj=obj,
                details={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(actor=request.user, action=f"{obj._meta.model_name}.deleted_in_admin", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(actor=request.user, action=f"{obj._meta.model_name}.deleted_in_admin", obj=obj)
            super().delete_queryset(request, queryset)
