"""The retention page (clause 4.2): what is kept and for how long, the purge's receipts, and holds."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView

from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.views import message_service_error
from monitoring import retention
from monitoring.forms_retention import HoldForm
from monitoring.models import PurgeReceipt, RetentionHold
from operations.backups import backup_summary

RECEIPTS_SHOWN = 10


class RetentionView(PermissionRequiredMixin, TemplateView):
    """HR see, per kind, the limit, the oldest item kept now, the last receipts and the next run."""

    permission_required = "monitoring.see_retention"
    template_name = "monitoring/retention.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statuses = retention.retention_status()
        active = {h.pk for h in retention.active_holds()}
        holds = list(RetentionHold.objects.select_related("case", "employee", "created_by")[:50])
        for hold in holds:
            hold.in_force = hold.pk in active
        context.update(
            statuses=statuses,
            overdue=[s for s in statuses if s.overdue],
            receipts=list(PurgeReceipt.objects.all()[:RECEIPTS_SHOWN]),
            next_run=retention.next_run(),
            holds=holds,
            can_hold=self.request.user.has_perm("monitoring.hold_monitoring_data"),
            backups=backup_summary(),
        )
        return context


class ReceiptDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "monitoring.see_retention"
    template_name = "monitoring/purgereceipt_detail.html"
    context_object_name = "receipt"
    model = PurgeReceipt

    def get_permission_object(self):
        return None  # receipts are council-wide, like the permission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kinds = self.object.kinds
        context["kinds"] = [
            (kind, {**kinds[kind.key], "cutoff": dt.datetime.fromisoformat(kinds[kind.key]["cutoff"])})
            for kind in retention.INVENTORY
            if kind.key in kinds
        ]
        context["holds"] = [
            {**h, **{key: dt.date.fromisoformat(h[key]) for key in ("from", "to", "ends_on")}}
            for h in self.object.holds
        ]
        return context


class HoldCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.hold_monitoring_data"
    template_name = "monitoring/retentionhold_form.html"
    form_class = HoldForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            hold = retention.hold_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Held until {hold.ends_on:%d/%m/%Y}, or until case {hold.case} closes.")
        return redirect("monitoring:retention")


@require_POST
@permission_required("monitoring.hold_monitoring_data")
def hold_release(request, pk: int):
    hold = get_object_or_404(RetentionHold, pk=pk)
    try:
        retention.hold_release(actor=request.user, hold=hold)
    except ValidationError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, "The hold is released; the next purge removes what is past its limit.")
    return redirect("monitoring:retention")
