from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView

from audit.services import audit_read
from core.dashboard import panels_for
from core.permissions import PermissionRequiredMixin, permission_required
from core.subject_access import export_json
from core.ui import SortableListMixin, paginate
from core.views import message_service_error
from people import sar, services
from people.forms import EmployeeFilterForm, OvertimeForm, RestBreakForm, SubjectAccessRequestForm, WithholdingForm
from people.models import (
    Notification,
    Organisation,
    PolicyAcknowledgement,
    PolicyVersion,
    RestBreak,
    SubjectAccessRequest,
    User,
)
from people.notifications import notification_mark_read
from people.selectors import (
    current_policy_version,
    employees_visible_to,
    organisation_acknowledgement_summary,
    team_with_acknowledgement,
)


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "people.view_dashboard"
    template_name = "people/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = panels_for(self.request)
        return context


class PolicyView(PermissionRequiredMixin, TemplateView):
    permission_required = "people.view_policy"
    template_name = "people/policy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = current_policy_version()
        context["acknowledgements"] = PolicyAcknowledgement.objects.filter(employee=self.request.user).select_related(
            "policy_version"
        )
        return context


@require_POST
@permission_required("people.view_policy")
def policy_acknowledge(request, pk: int):
    version = get_object_or_404(PolicyVersion, pk=pk)
    if version != current_policy_version():
        messages.error(request, "That version is no longer the current policy; please read the current one.")
        return redirect("people:policy")
    services.policy_acknowledge(actor=request.user, version=version)
    messages.success(request, f"Thank you: your acknowledgement of version {version.version} is recorded.")
    return redirect("people:dashboard")


class TeamView(PermissionRequiredMixin, ListView):
    permission_required = "people.view_team"
    template_name = "people/team_list.html"
    context_object_name = "team"

    def get_queryset(self):
        return team_with_acknowledgement(self.request.user)


class EmployeeListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "people.list_employees"
    template_name = "people/employee_list.html"
    context_object_name = "employees"
    sortable_fields = {
        "name": "last_name",
        "organisation": "organisation__name",
        "job": "job_title",
        "staff_number": "staff_number",
        "status": "employment_status",
    }
    default_sort = "name"

    def get_queryset(self):
        self.filter_form = EmployeeFilterForm(self.request.GET or None)
        qs = User.objects.select_related("organisation", "line_manager")
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["q"]:
                words = data["q"].split()
                for word in words:
                    qs = qs.filter(
                        Q(first_name__icontains=word)
                        | Q(last_name__icontains=word)
                        | Q(username__icontains=word)
                        | Q(staff_number__iexact=word)
                    )
            if data["organisation"]:
                qs = qs.filter(organisation=data["organisation"])
            if data["status"]:
                qs = qs.filter(employment_status=data["status"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class EmployeeDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "people.view_employee"
    template_name = "people/employee_detail.html"
    context_object_name = "employee"

    def get_queryset(self):
        return employees_visible_to(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if obj.pk != self.request.user.pk:
            audit_read(actor=self.request.user, obj=obj)
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee = self.object
        context["roles"] = employee.role_assignments.select_related("organisation")
        context["reports"] = employee.direct_reports.select_related("organisation")
        context["overtime"] = employee.overtime_periods.all()[:10]
        context["acknowledgements"] = employee.policy_acknowledgements.select_related("policy_version")
        context["can_manage"] = self.request.user.has_perm("people.manage_employee")
        return context


class OrganisationDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "people.open_organisation"
    model = Organisation
    template_name = "people/organisation_detail.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        context["rest_breaks"] = org.rest_breaks.all()
        context["aliases"] = org.aliases.all()
        context["summary"] = organisation_acknowledgement_summary([org.pk])[0]
        context["schools"] = org.schools.all()
        context["can_manage_breaks"] = self.request.user.has_perm("people.manage_rest_breaks", org)
        return context


class OrganisationPermissionMixin(PermissionRequiredMixin):
    def get_permission_object(self):
        return self.get_organisation()

    def get_organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"])
        return self._organisation


class RestBreakCreateView(OrganisationPermissionMixin, FormView):
    permission_required = "people.manage_rest_breaks"
    template_name = "people/restbreak_form.html"
    form_class = RestBreakForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.get_organisation()
        kwargs["instance"] = self.get_instance()
        return kwargs

    def get_instance(self):
        return RestBreak(organisation=self.get_organisation())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.get_organisation()
        return context

    def form_valid(self, form):
        try:
            services.rest_break_save(actor=self.request.user, rest_break=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved: {form.instance}.")
        return redirect(self.get_organisation())


class RestBreakUpdateView(RestBreakCreateView):
    def get_instance(self):
        return get_object_or_404(RestBreak, pk=self.kwargs["break_pk"], organisation=self.get_organisation())


class RestBreakDeleteView(OrganisationPermissionMixin, TemplateView):
    """GET asks for confirmation; POST deletes."""

    permission_required = "people.manage_rest_breaks"
    template_name = "people/restbreak_confirm_delete.html"

    def get_rest_break(self):
        return get_object_or_404(RestBreak, pk=self.kwargs["break_pk"], organisation=self.get_organisation())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rest_break"] = self.get_rest_break()
        context["organisation"] = self.get_organisation()
        return context

    def post(self, request, *args, **kwargs):
        rest_break = self.get_rest_break()
        services.rest_break_delete(actor=request.user, rest_break=rest_break)
        messages.success(request, f"Deleted: {rest_break}.")
        return redirect(self.get_organisation())


class OvertimeCreateView(PermissionRequiredMixin, FormView):
    permission_required = "people.record_overtime"
    template_name = "people/overtime_form.html"
    form_class = OvertimeForm

    def get_permission_object(self):
        return self.get_employee()

    def get_employee(self) -> User:
        if not hasattr(self, "_employee"):
            self._employee = get_object_or_404(User, pk=self.kwargs["pk"])
        return self._employee

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["employee"] = self.get_employee()
        return context

    def form_valid(self, form):
        employee = self.get_employee()
        try:
            services.overtime_record(actor=self.request.user, employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Overtime recorded for {employee}.")
        return redirect(reverse("people:employee_detail", args=[employee.pk]))


@permission_required("people.list_employees")
@require_GET
def organisation_overview(request):
    """Acknowledgement figures per organisation, for HR."""
    return render(request, "people/organisation_list.html", {"rows": organisation_acknowledgement_summary()})


class NotificationListView(PermissionRequiredMixin, ListView):
    permission_required = "people.view_dashboard"
    template_name = "people/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)


@require_POST
@permission_required("people.view_dashboard")
def notification_open(request, pk: int):
    """Mark one of your own notifications read and go to the page it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification_mark_read(actor=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("people:notifications")
    return redirect(target)


# --- Subject access ---------------------------------------------------------------------------------


class MyDataView(PermissionRequiredMixin, TemplateView):
    """Everything the app holds about the signed-in employee."""

    permission_required = "people.view_dashboard"
    template_name = "people/my_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["data"] = sar.subject_export(actor=self.request.user, employee=self.request.user)
        return context


def _json_download(data: dict, name: str) -> HttpResponse:
    response = HttpResponse(export_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("people.view_dashboard")
@require_GET
def my_data_export(request):
    data = sar.subject_export(actor=request.user, employee=request.user)
    return _json_download(data, f"my-data-{timezone.localdate():%Y-%m-%d}.json")


class SubjectAccessListView(PermissionRequiredMixin, SortableListMixin, FormView):
    permission_required = "people.manage_subject_access"
    template_name = "people/sar_list.html"
    form_class = SubjectAccessRequestForm
    sortable_fields = {
        "due": "due_on",
        "received": "received_on",
        "employee": "employee__last_name",
        "status": "status",
    }
    default_sort = "due"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = SubjectAccessRequest.objects.select_related("employee", "employee__organisation")
        status = self.request.GET.get("status", "open")
        if status in SubjectAccessRequest.Status.values:
            qs = qs.filter(status=status)
        context["status"] = status
        context["page_obj"] = paginate(self.request, self.sort_queryset(qs))
        context["requests"] = context["page_obj"].object_list
        context["current_sort"] = self.get_sort()
        return context

    def form_valid(self, form):
        try:
            created = sar.sar_log(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Logged; the answer is due by {created.due_on:%d/%m/%Y}.")
        return redirect(created)


class SubjectAccessDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "people.manage_subject_access"
    template_name = "people/sar_detail.html"
    context_object_name = "sar"

    def get_queryset(self):
        return SubjectAccessRequest.objects.select_related("employee", "logged_by", "completed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employee = self.object.employee
        context["data"] = sar.subject_export(actor=self.request.user, employee=employee)
        context["withholdings"] = employee.data_withholdings.select_related("recorded_by")
        context["withhold_form"] = kwargs.get("withhold_form") or WithholdingForm()
        return context


@permission_required("people.manage_subject_access")
@require_GET
def sar_export(request, pk: int):
    request_obj = get_object_or_404(SubjectAccessRequest.objects.select_related("employee"), pk=pk)
    data = sar.subject_export(actor=request.user, employee=request_obj.employee)
    return _json_download(data, f"subject-access-{request_obj.employee.get_username()}-{request_obj.pk}.json")


@permission_required("people.manage_subject_access")
@require_POST
def sar_complete(request, pk: int):
    request_obj = get_object_or_404(SubjectAccessRequest, pk=pk)
    try:
        sar.sar_complete(actor=request.user, sar=request_obj)
        messages.success(request, "Marked as answered.")
    except ValidationError as exc:
        message_service_error(request, exc)
    return redirect(request_obj)


@permission_required("people.manage_subject_access")
@require_POST
def sar_withhold(request, pk: int):
    request_obj = get_object_or_404(SubjectAccessRequest.objects.select_related("employee"), pk=pk)
    form = WithholdingForm(request.POST)
    if form.is_valid():
        try:
            sar.withholding_record(actor=request.user, employee=request_obj.employee, **form.cleaned_data)
            messages.success(request, "The exemption is recorded; that part is withheld from the employee's view.")
            return redirect(request_obj)
        except ValidationError as exc:
            form.add_error(None, exc)
    view = SubjectAccessDetailView()
    view.setup(request, pk=pk)
    view.object = request_obj
    return render(request, view.template_name, view.get_context_data(withhold_form=form), status=400)
