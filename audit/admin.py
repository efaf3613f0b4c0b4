from django.contrib import admin

from audit.models import AuditEvent


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
