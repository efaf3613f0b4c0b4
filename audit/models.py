"""The append-only, hash-chained audit trail of every state change and sensitive read."""

import pgtrigger
from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing that happened. Rows are never changed: the database refuses UPDATE and DELETE."""

    class Kind(models.TextChoices):
        CHANGE = "change", "State change"
        READ = "read", "Read of sensitive data"
        ACCESS = "access", "Sign-in and access"

    occurred_at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=80, db_index=True)
    # No foreign-key constraints: the trail must outlive the rows it mentions and never be
    # rewritten by ON DELETE SET NULL.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor_label or 'system'}"
