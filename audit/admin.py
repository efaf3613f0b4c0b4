from django.contrib import admin
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only in the database too."""

    list_display = ("id", "occurred_at", "kind", "action", "actor_label", "object_type", "object_id", "ip_address")
    list_filter = ("kind", "occurred_at")
    search_fields = ("action", "actor_label", "object_repr", "object_id")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audit.view_trail") or request.user.is_superuser


# The shared admin base of every app: each save and delete goes on the audit trail like any other change.
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
