import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views.generic import ListView

from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from audit.services import audit_chain_verify, audit_record
from core.permissions import PermissionRequiredMixin, permission_required
from core.views import FilteredListMixin


class AuditTrailView(PermissionRequiredMixin, FilteredListMixin, ListView):
    """The trail, newest first, paginated by id so that deep pages stay cheap."""

    permission_required = "audit.view_trail"
    filter_form_class = AuditFilterForm
    template_name = "audit/auditevent_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        qs = AuditEvent.objects.order_by("-id")
        if data := self.filters():
            if data["actor"]:
                qs = qs.filter(actor_label__iexact=data["actor"])
            if data["action"]:
                qs = qs.filter(action__icontains=data["action"])
            if data["kind"]:
                qs = qs.filter(kind=data["kind"])
            if data["object_type"]:
                qs = qs.filter(object_type=data["object_type"].lower())
            if data["object_id"]:
                qs = qs.filter(object_id=data["object_id"])
            tz = timezone.get_current_timezone()
            if data["date_from"]:
                qs = qs.filter(occurred_at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
            if data["date_to"]:
                qs = qs.filter(
                    occurred_at__lt=dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tz)
                )
        return qs


@permission_required("audit.view_trail")
def audit_verify(request):
    """Walk the chain now and show the result."""
    report = audit_chain_verify()
    audit_record(
        actor=request.user,
        action="audit.verified",
        kind=AuditEvent.Kind.READ,
        details={"checked": report.checked, "broken_at": report.broken_at},
    )
    return render(request, "audit/audit_verify.html", {"report": report})


def permission_denied(request, exception=None):
    """The 403 page; every refusal is itself recorded on the trail."""
    user = getattr(request, "user", None)
    audit_record(
        actor=user,
        action="access.denied",
        kind=AuditEvent.Kind.ACCESS,
        details={"path": request.path[:300], "method": request.method},
    )
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    """The 404 page. Object pages answer 404 to people who may not see the object (the selectors hide it),
    so for a signed-in user a 404 is a refused look-up too: it is recorded, which shows id-guessing."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        audit_record(
            actor=user,
            action="access.not_found",
            kind=AuditEvent.Kind.ACCESS,
            details={"path": request.path[:300], "method": request.method},
        )
    return render(request, "404.html", status=404)
