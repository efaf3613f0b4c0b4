"""The system administrator's view of clause 3 records; workflow states change only through the services."""

from django.contrib import admin

from audit.admin import AuditedModelAdmin
from publishing.models import (
    AdviceMessage,
    AdviceThread,
    Campaign,
    ContentCheck,
    Contributor,
    OfficialAccount,
    Post,
    PostMedia,
    TrainingRecord,
)


class ContributorInline(admin.TabularInline):
    model = Contributor
    extra = 0
    raw_id_fields = ("employee", "added_by")


@admin.register(OfficialAccount)
class OfficialAccountAdmin(AuditedModelAdmin):
    list_display = ("handle", "platform", "school", "owner", "status")
    list_filter = ("platform", "status", "school")
    search_fields = ("handle", "url")
    raw_id_fields = ("owner",)
    inlines = [ContributorInline]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(AuditedModelAdmin):
    list_display = ("employee", "trained_on", "trained_by")
    raw_id_fields = ("employee", "trained_by")


@admin.register(Post)
class PostAdmin(AuditedModelAdmin):
    list_display = ("__str__", "author", "state", "checker", "published_at")
    list_filter = ("state",)
    readonly_fields = ("state", "check_round", "prescreen_warnings", "submitted_at")
    raw_id_fields = ("account", "author", "checker", "campaign")


@admin.register(PostMedia)
class PostMediaAdmin(AuditedModelAdmin):
    list_display = ("original_name", "post", "content_type", "source")
    raw_id_fields = ("post", "uploaded_by")


@admin.register(ContentCheck)
class ContentCheckAdmin(AuditedModelAdmin):
    list_display = ("post", "round", "checker", "decision", "decided_at")
    raw_id_fields = ("post", "checker")


@admin.register(Campaign)
class CampaignAdmin(AuditedModelAdmin):
    list_display = ("title", "school", "proposer", "state", "starts_on", "ends_on")
    list_filter = ("state", "school")
    readonly_fields = ("state",)
    raw_id_fields = ("proposer", "endorsed_by", "decided_by", "ended_by")
    filter_horizontal = ("accounts",)


@admin.register(AdviceThread)
class AdviceThreadAdmin(AuditedModelAdmin):
    list_display = ("post", "adviser", "created_at")
    raw_id_fields = ("post", "adviser")


admin.site.register(AdviceMessage, AuditedModelAdmin)
