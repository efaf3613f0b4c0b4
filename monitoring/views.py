import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView

from audit.services import audit_read
from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import SortableListMixin, WindowCountPaginator
from core.views import message_service_error
from monitoring import blocklist, services
from monitoring.analysis import analyse_employee, excessive_threshold
from monitoring.forms import (
    AddressRangeForm,
    CheckFilterForm,
    CheckRequestForm,
    CompleteForm,
    CsvMappingForm,
    DecisionForm,
    IdentityForm,
    ImportForm,
    LiftForm,
    OverviewFilterForm,
    PeriodForm,
    SiteForm,
    WithdrawalForm,
)
from monitoring.models import (
    AccessWithdrawal,
    AddressRange,
    CsvMapping,
    IdentityKind,
    MonitoringCheck,
    NetworkIdentity,
    Site,
    UsageImport,
)
from monitoring.retention import retention_periods
from monitoring.selectors import (
    check_get_for_user,
    checks_visible_to,
    employee_for_usage,
    overview_employees,
    unmatched_identities,
    unmatched_identity_count,
    usage_days_of,
    usage_overview,
    withdrawals_applying_to,
)


def _chart_data(days) -> dict:
    return {
        "labels": [d.day.strftime("%d/%m") for d in days],
        "in_breaks": [d.in_breaks for d in days],
        "outside_breaks": [d.outside_breaks for d in days],
        "overtime": [d.overtime for d in days],
        "outside_hours": [d.outside_hours for d in days],
        "threshold": excessive_threshold(),
    }


def _usage_context(employee, start: dt.date, end: dt.date) -> dict:
    analysed = list(analyse_employee(employee, start, end).values())
    sites = dict(Site.objects.values_list("id", "name"))
    site_totals: dict[str, int] = {}
    for day in analysed:
        for site_id, minutes in day.sites.items():
            site_totals[sites.get(site_id, "?")] = site_totals.get(sites.get(site_id, "?"), 0) + minutes
    totals = {
        "in_breaks": sum(d.in_breaks for d in analysed),
        "outside_breaks": sum(d.outside_breaks for d in analysed),
        "overtime": sum(d.overtime for d in analysed),
        "outside_hours": sum(d.outside_hours for d in analysed),
    }
    return {
        "days": analysed,
        "chart": _chart_data(analysed),
        "site_totals": sorted(site_totals.items(), key=lambda item: -item[1]),
        "totals": totals,
        "threshold": excessive_threshold(),
        "period_start": start,
        "period_end": end,
    }


# --- overview and one employee's usage ------------------------------------------------------------------


class OverviewView(PermissionRequiredMixin, SortableListMixin, ListView):
    """HR's overview: who used social media when, and where a person might want to look (never a finding)."""

    permission_required = "monitoring.run_monitoring"
    paginator_class = WindowCountPaginator  # the totals are worked out once, for the page and its count
    template_name = "monitoring/usage_overview.html"
    context_object_name = "rows"
    sortable_fields = {
        "name": "employee__last_name",
        "organisation": "employee__organisation__name",
        "outside": "outside_breaks",
        "breaks": "in_breaks",
        "flagged": "flagged_days",
    }
    default_sort = "-outside"

    def get_queryset(self):
        self.filter_form = OverviewFilterForm(self.request.GET or None)
        days = 14
        employees = Q()
        flagged = False
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            days = data["days"] or 14
            flagged = data["flagged"]
            for word in data["q"].split():
                employees &= Q(employee__first_name__icontains=word) | Q(employee__last_name__icontains=word)
            if data["organisation"]:
                employees &= Q(employee__organisation=data["organisation"])
        self.last_day = timezone.localdate()
        self.first_day = self.last_day - dt.timedelta(days=days - 1)
        qs = usage_overview(first_day=self.first_day, last_day=self.last_day, employees=employees or None)
        if flagged:
            qs = qs.filter(flagged_days__gt=0)
        return self.sort_queryset(qs)

    def sort_queryset(self, qs):
        sort = self.get_sort()
        field = self.sortable_fields[sort.lstrip("-")]
        ordering = F(field).desc(nulls_last=True) if sort.startswith("-") else F(field).asc(nulls_last=True)
        return qs.order_by(ordering, "employee_id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = overview_employees(list(context["page_obj"].object_list))
        context.update(
            filter_form=self.filter_form,
            first_day=self.first_day,
            last_day=self.last_day,
            threshold=excessive_threshold(),
            unmatched_count=unmatched_identity_count(limit=100),
        )
        services.usage_read_record(
            actor=self.request.user,
            employee=None,
            what="overview",
            details={"from": self.first_day, "to": self.last_day, "rows": context["paginator"].count},
        )
        return context


class EmployeeUsageView(PermissionRequiredMixin, TemplateView):
    permission_required = "monitoring.read_usage_of"
    template_name = "monitoring/employee_usage.html"

    def get_permission_object(self):
        return self.get_employee()

    def get_employee(self):
        if not hasattr(self, "_employee"):
            self._employee = employee_for_usage(self.request.user, self.kwargs["pk"])
        return self._employee

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee = self.get_employee()
        period_form = PeriodForm(self.request.GET or None)
        start, end = period_form.period()
        context.update(_usage_context(employee, start, end))
        context.update(
            employee=employee,
            period_form=period_form,
            checks=MonitoringCheck.objects.filter(employee=employee).select_related("requested_by")[:10],
            withdrawals=AccessWithdrawal.objects.filter(employee=employee).select_related("site")[:10],
            identities=employee.network_identities.all(),
        )
        services.usage_read_record(
            actor=self.request.user, employee=employee, what="usage", details={"from": start, "to": end}
        )
        return context


# --- catalogue ------------------------------------------------------------------------------------------


class SiteListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/site_list.html"
    context_object_name = "sites"
    sortable_fields = {"name": "name", "category": "category", "active": "is_active"}
    default_sort = "name"
    paginate_by = 50

    def get_queryset(self):
        return self.sort_queryset(Site.objects.all())


class SiteCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/site_form.html"
    form_class = SiteForm

    def get_instance(self):
        return Site()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_instance()
        return kwargs

    def form_valid(self, form):
        site = form.instance
        site.domains = form.cleaned_data["domains_text"]
        try:
            services.site_save(actor=self.request.user, site=site)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "domains" in exc.error_dict:
                form.add_error("domains_text", exc.error_dict.pop("domains"))
            if not hasattr(exc, "error_dict") or exc.error_dict:
                apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {site}.")
        return redirect("monitoring:site_list")


class SiteUpdateView(SiteCreateView):
    def get_instance(self):
        return get_object_or_404(Site, pk=self.kwargs["pk"])


# --- identities, address ranges, CSV mappings ---------------------------------------------------------


class IdentityListView(PermissionRequiredMixin, ListView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/identity_list.html"
    context_object_name = "identities"
    paginate_by = 50

    def get_queryset(self):
        qs = NetworkIdentity.objects.select_related("employee__organisation")
        q = self.request.GET.get("q", "").strip()[:100]
        if q:
            qs = qs.filter(Q(value__icontains=q) | Q(employee__last_name__icontains=q))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unmatched"] = unmatched_identities()
        context["address_ranges"] = AddressRange.objects.select_related("organisation")
        context["mappings"] = CsvMapping.objects.all()
        services.usage_read_record(actor=self.request.user, employee=None, what="identities")
        return context


class IdentityCreateView(PermissionRequiredMixin, FormView):
    """Also resolves an unmatched identity: ?kind=username&value=jdoe fills the form in."""

    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/identity_form.html"
    form_class = IdentityForm

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind", "")
        if kind in IdentityKind.values:
            initial["kind"] = kind
        initial["value"] = self.request.GET.get("value", "")[:255]
        try:
            first_seen = dt.date.fromisoformat(self.request.GET.get("from", ""))
        except ValueError:
            first_seen = None
        if first_seen is not None:
            initial["valid_from"] = dt.datetime.combine(first_seen, dt.time.min, timezone.get_current_timezone())
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            identity, moved = services.identity_assign(
                actor=self.request.user,
                kind=data["kind"],
                value=data["value"],
                employee=data["employee"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{identity.value} now belongs to {identity.employee}; {moved} records moved.")
        return redirect("monitoring:identity_list")


class AddressRangeCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/simple_form.html"
    form_class = AddressRangeForm
    extra_context = {"title": "Add an address range", "intro": "Tells school devices (2.1) from own devices (2.2)."}

    def form_valid(self, form):
        try:
            services.address_range_save(actor=self.request.user, address_range=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {form.instance}.")
        return redirect("monitoring:identity_list")


class CsvMappingCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/simple_form.html"
    form_class = CsvMappingForm
    extra_context = {
        "title": "Add a CSV column mapping",
        "intro": "Name the columns of one filter's CSV export as they appear in its header line.",
    }

    def form_valid(self, form):
        try:
            services.csv_mapping_save(actor=self.request.user, mapping=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved the mapping {form.instance}.")
        return redirect("monitoring:import_create")


# --- imports --------------------------------------------------------------------------------------------


class ImportListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/usageimport_list.html"
    context_object_name = "imports"
    sortable_fields = {"created": "created_at", "file": "file_name", "status": "status", "kept": "lines_kept"}
    default_sort = "-created"

    def get_queryset(self):
        return self.sort_queryset(UsageImport.objects.select_related("imported_by", "mapping"))


class ImportCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/usageimport_form.html"
    form_class = ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = services.usage_import_run(
                actor=self.request.user,
                stream=upload,
                file_name=upload.name,
                file_size=upload.size,
                format=form.cleaned_data["format"],
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        if result.status == UsageImport.Status.DONE:
            messages.success(self.request, f"Imported {result.file_name}: {result.lines_kept} lines kept.")
        else:
            messages.error(self.request, f"{result.file_name} was not imported: {result.failure}")
        return redirect(result)


class ImportDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/usageimport_detail.html"
    context_object_name = "report"
    model = UsageImport

    def get_permission_object(self):
        return None  # a council-wide permission; fetching the object here would record the read twice

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        audit_read(actor=self.request.user, obj=obj)
        return obj


# --- monitoring checks ----------------------------------------------------------------------------------


class CheckListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "monitoring.start_check"
    template_name = "monitoring/monitoringcheck_list.html"
    context_object_name = "checks"
    sortable_fields = {"created": "created_at", "employee": "employee__last_name", "status": "status"}
    default_sort = "-created"

    def get_queryset(self):
        self.filter_form = CheckFilterForm(self.request.GET or None)
        qs = checks_visible_to(self.request.user)
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["status"]:
            qs = qs.filter(status=self.filter_form.cleaned_data["status"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class CheckCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.start_check"
    template_name = "monitoring/monitoringcheck_form.html"
    form_class = CheckRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["actor"] = self.request.user
        return kwargs

    def get_initial(self):
        today = timezone.localdate()
        initial = {"period_start": today - dt.timedelta(days=13), "period_end": today}
        employee = self.request.GET.get("employee", "")
        if employee.isdigit():
            initial["employee"] = int(employee)
        return initial

    def form_valid(self, form):
        try:
            check = services.check_request(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Your request has gone to HR, who will decide whether it meets clause 4.1.")
        return redirect(check)


class CheckMixin:
    """The check of the URL, looked up once per request among those the user may see; the permission is
    checked against it."""

    def get_permission_object(self):
        return self.get_check()

    def get_check(self):
        if not hasattr(self, "_check"):
            self._check = check_get_for_user(self.request.user, self.kwargs["pk"])
        return self._check


class CheckDetailView(CheckMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "monitoring.open_check"
    template_name = "monitoring/monitoringcheck_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = self.get_check()
        user = self.request.user
        context["check"] = check
        context["can_decide"] = check.status == "requested" and user.has_perm("monitoring.decide_check", check)
        context["can_complete"] = check.status == "approved" and user.has_perm("monitoring.complete_check", check)
        context["decision_form"] = DecisionForm()
        context["can_tell"] = (
            check.status == "complete"
            and check.employee_told_at is None
            and user.has_perm("monitoring.complete_check", check)
        )
        context["can_raise"] = (
            check.status == "complete"
            and not check.case_reference
            and user.has_perm("monitoring.complete_check", check)
        )
        audit_read(actor=user, obj=check)
        # Usage itself is for HR only, and only once the check is approved (4.1).
        if check.status in ("approved", "complete") and user.has_perm("monitoring.read_usage_of", check.employee):
            context.update(_usage_context(check.employee, check.period_start, check.period_end))
            context["show_usage"] = True
            services.usage_read_record(
                actor=user,
                employee=check.employee,
                what="usage",
                details={"check": check.pk, "from": check.period_start, "to": check.period_end},
            )
        return context


def _decision(request, pk: int, approve: bool):
    check = check_get_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not request.user.has_perm("monitoring.decide_check", check):
        raise Http404
    if form.is_valid():
        try:
            if approve:
                services.check_approve(actor=request.user, check=check, note=form.cleaned_data["note"])
                messages.success(request, "Check approved.")
            else:
                services.check_decline(actor=request.user, check=check, note=form.cleaned_data["note"])
                messages.success(request, "Check declined; the requester has been told.")
        except ValidationError as exc:
            message_service_error(request, exc)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(check)


@require_POST
@permission_required("monitoring.run_monitoring")
def check_approve(request, pk: int):
    return _decision(request, pk, approve=True)


@require_POST
@permission_required("monitoring.run_monitoring")
def check_decline(request, pk: int):
    return _decision(request, pk, approve=False)


@require_POST
@permission_required("monitoring.run_monitoring")
def check_tell_employee(request, pk: int):
    check = check_get_for_user(request.user, pk)
    if not request.user.has_perm("monitoring.complete_check", check):
        raise Http404
    try:
        services.check_tell_employee(actor=request.user, check=check)
        messages.success(request, f"{check.employee} has been told about the check.")
    except ValidationError as exc:
        message_service_error(request, exc)
    return redirect(check)


class CheckCompleteView(CheckMixin, PermissionRequiredMixin, FormView):
    permission_required = "monitoring.complete_check"
    template_name = "monitoring/monitoringcheck_complete.html"
    form_class = CompleteForm

    def dispatch(self, request, *args, **kwargs):
        check = self.get_check() if request.user.is_authenticated else None
        allowed = check is not None and request.user.has_perm("monitoring.complete_check", check)
        if allowed and check.status != MonitoringCheck.Status.APPROVED:
            messages.info(request, "Findings can be recorded only once the check is approved, and only once.")
            return redirect(self.get_check())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["check"] = self.get_check()
        return context

    def form_valid(self, form):
        check = self.get_check()
        try:
            services.check_complete(actor=self.request.user, check=check, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Findings recorded; the check is complete.")
        return redirect(check)


# --- access withdrawals ---------------------------------------------------------------------------------


class WithdrawalListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/accesswithdrawal_list.html"
    context_object_name = "withdrawals"
    sortable_fields = {"review": "review_date", "site": "site__name", "status": "status", "created": "created_at"}
    default_sort = "review"

    def get_queryset(self):
        qs = AccessWithdrawal.objects.select_related("site", "employee", "organisation", "withdrawn_by")
        if self.request.GET.get("status") in AccessWithdrawal.Status.values:
            qs = qs.filter(status=self.request.GET["status"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class WithdrawalCreateView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/accesswithdrawal_form.html"
    form_class = WithdrawalForm

    def get_initial(self):
        initial = {"review_date": timezone.localdate() + dt.timedelta(days=90)}
        for key in ("employee", "site"):
            value = self.request.GET.get(key, "")
            if value.isdigit():
                initial[key] = int(value)
        return initial

    def form_valid(self, form):
        try:
            withdrawal = services.withdrawal_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Access withdrawn: {withdrawal}.")
        return redirect("monitoring:withdrawal_list")


class WithdrawalLiftView(PermissionRequiredMixin, FormView):
    permission_required = "monitoring.run_monitoring"
    template_name = "monitoring/accesswithdrawal_lift.html"
    form_class = LiftForm

    def get_withdrawal(self):
        return get_object_or_404(
            AccessWithdrawal.objects.select_related("site", "employee", "organisation"),
            pk=self.kwargs["pk"],
            status=AccessWithdrawal.Status.ACTIVE,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["withdrawal"] = self.get_withdrawal()
        return context

    def form_valid(self, form):
        withdrawal = self.get_withdrawal()
        try:
            services.withdrawal_lift(actor=self.request.user, withdrawal=withdrawal, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Lifted: {withdrawal}.")
        return redirect("monitoring:withdrawal_list")


@permission_required("monitoring.run_monitoring")
@require_GET
def blocklist_export(request, kind: str):
    """The active withdrawals as a block list for the network team: CSV, a Squid ACL file or FortiGate CLI."""
    if kind not in blocklist.FORMATS:
        raise Http404
    content_type, extension, render = blocklist.FORMATS[kind]
    body = render(blocklist.active_entries())
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="withdrawn-sites-{stamp}.{extension}"'
    return response


# --- what an employee sees about themselves -------------------------------------------------------------


class MyMonitoringView(PermissionRequiredMixin, TemplateView):
    """Your own data: the usage held about you, withdrawals that apply to you, checks you have been told of."""

    permission_required = "monitoring.see_own_monitoring"
    template_name = "monitoring/my_monitoring.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context["usage_days"] = usage_days_of(user, today - dt.timedelta(days=365), today).order_by("-day")[:60]
        context["withdrawals"] = withdrawals_applying_to(user)
        context["checks"] = MonitoringCheck.objects.filter(employee=user, employee_told_at__isnull=False)
        context["retention_periods"] = retention_periods()
        services.usage_read_record(actor=user, employee=user, what="own_data")
        return context


@require_POST
@permission_required("monitoring.run_monitoring")
def check_raise_concern(request, pk: int):
    """Send a completed check's findings to HR's triage queue as an incident report."""
    check = check_get_for_user(request.user, pk)
    if not request.user.has_perm("monitoring.complete_check", check):
        raise Http404
    try:
        report = services.check_raise_concern(actor=request.user, check=check)
        messages.success(request, f"The findings are now report {report.reference} in the triage queue.")
    except ValidationError as exc:
        message_service_error(request, exc)
    return redirect(check)
