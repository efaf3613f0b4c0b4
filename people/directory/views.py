"""The HR pages of the staff directory: upload, preview, apply (Head of HR and the system administrator)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin
from core.ui import paginate
from people.directory import employment, services
from people.directory.forms import (
    LeaverForm,
    LineManagerForm,
    ReasonForm,
    RoleGrantForm,
    StaffColumnMappingForm,
    StaffImportForm,
)
from people.directory.plan import FIELD_LABELS
from people.directory.reader import COLUMNS
from people.models import Role, RoleAssignment, StaffColumnMapping, StaffImport, User


def staff_import_get(pk: int) -> StaffImport:
    """The import record, without the file it keeps (only applying reads that)."""
    return get_object_or_404(StaffImport.objects.defer("content").select_related("uploaded_by", "mapping"), pk=pk)


class StaffImportView(PermissionRequiredMixin, FormView):
    """Upload a directory file; the next page previews it."""

    permission_required = "people.import_staff"
    template_name = "people/staffimport_form.html"
    form_class = StaffImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        imports = StaffImport.objects.defer("content").select_related("uploaded_by", "mapping")
        context["page_obj"] = paginate(self.request, imports, per_page=10)
        context["mappings"] = StaffColumnMapping.objects.all()
        context["columns"] = COLUMNS
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        staff_import, _ = services.staff_import_upload(
            actor=self.request.user,
            content=upload.read(),
            file_name=upload.name,
            partial=form.cleaned_data["partial"],
            mapping=form.cleaned_data["mapping"],
        )
        # A file with errors is still a received upload: its page lists the errors beside the rows.
        return redirect(staff_import)


class StaffImportDetailView(PermissionRequiredMixin, TemplateView):
    """The preview (what applying would do, or every error), and after applying, the leavers' open work."""

    permission_required = "people.import_staff"
    template_name = "people/staffimport_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff_import = staff_import_get(self.kwargs["pk"])
        summary = staff_import.summary or {}
        context["staff_import"] = staff_import
        context["summary"] = summary
        context["counts"] = summary.get("counts", {})
        context["errors_page"] = paginate(self.request, summary.get("errors", []), per_page=50)
        context["changes"] = [
            {**change, "fields": [(FIELD_LABELS.get(k, k), old, new) for k, (old, new) in change["fields"].items()]}
            for change in summary.get("changes", [])
        ]
        if staff_import.status == StaffImport.Status.APPLIED:
            context["leavers"] = services.leavers_with_open_items(staff_import)
        return context


class StaffImportApplyView(PermissionRequiredMixin, TemplateView):
    """GET asks for confirmation (applying cannot be undone by a button); POST applies."""

    permission_required = "people.import_staff"
    template_name = "people/staffimport_apply.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_import"] = staff_import_get(self.kwargs["pk"])
        context["counts"] = context["staff_import"].summary.get("counts", {})
        return context

    def post(self, request, *args, **kwargs):
        staff_import = get_object_or_404(StaffImport, pk=self.kwargs["pk"])
        if staff_import.status != StaffImport.Status.PREVIEWED:
            messages.error(request, "This file has already been applied, or has errors; upload it again to start over.")
            return redirect(staff_import)
        result = services.staff_import_apply(actor=request.user, staff_import=staff_import)
        if not result.ok:
            messages.error(request, "The directory changed since the preview and the file no longer fits it.")
        elif not result.applied:
            messages.info(request, "Nothing to change: the directory is already in step with this file.")
        else:
            counts = result.plan.counts()
            messages.success(
                request,
                f"Applied: {counts['create']} added, {counts['change']} changed, {counts['leave']} marked as leavers.",
            )
        return redirect(staff_import)


class StaffColumnMappingCreateView(PermissionRequiredMixin, FormView):
    permission_required = "people.import_staff"
    template_name = "people/staffcolumnmapping_form.html"
    form_class = StaffColumnMappingForm

    def form_valid(self, form):
        mapping = StaffColumnMapping(name=form.cleaned_data["name"], columns=form.columns())
        services.staff_column_mapping_save(actor=self.request.user, mapping=mapping)
        messages.success(self.request, f"Saved the column names of {mapping}. Choose it when you upload its export.")
        return redirect("people:staff_import")


# --- managing one employee (Head of HR, system administrator) -------------------------------------------


class EmployeeManageMixin(PermissionRequiredMixin):
    """A form about one employee, with its errors beside the fields and the service's refusals on top."""

    permission_required = "people.manage_employee"
    title = ""

    def get_employee(self) -> User:
        if not hasattr(self, "_employee"):
            self._employee = get_object_or_404(
                User.objects.select_related("organisation", "line_manager"), pk=self.kwargs["pk"]
            )
        return self._employee

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["employee"] = self.get_employee()
        context["title"] = self.title
        return context

    def form_valid(self, form):
        try:
            message = self.act(form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("people:employee_detail", pk=self.get_employee().pk)


class RoleGrantView(EmployeeManageMixin, FormView):
    template_name = "people/employee_manage_form.html"
    form_class = RoleGrantForm
    title = "Give a role"

    def get_initial(self):
        return {"organisation": self.get_employee().organisation}

    def act(self, form):
        data = form.cleaned_data
        employment.role_assignment_grant(
            actor=self.request.user,
            employee=self.get_employee(),
            role=data["role"],
            organisation=data["organisation"],
            reason=data["reason"],
        )
        return f"{self.get_employee()} is now {Role(data['role']).label} of {data['organisation']}."


class RoleRemoveView(EmployeeManageMixin, FormView):
    template_name = "people/employee_manage_form.html"
    form_class = ReasonForm
    title = "Remove a role"

    def get_assignment(self) -> RoleAssignment:
        return get_object_or_404(
            RoleAssignment.objects.select_related("organisation", "user"),
            pk=self.kwargs["role_pk"],
            user=self.get_employee(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = f"Remove the role {self.get_assignment()} from {self.get_employee()}?"
        context["danger"] = True
        return context

    def act(self, form):
        assignment = self.get_assignment()
        employment.role_assignment_remove(
            actor=self.request.user, assignment=assignment, reason=form.cleaned_data["reason"]
        )
        return f"Removed: {assignment}."


class LineManagerChangeView(EmployeeManageMixin, FormView):
    template_name = "people/employee_manage_form.html"
    form_class = LineManagerForm
    title = "Change the line manager"

    def act(self, form):
        manager = form.cleaned_data["line_manager_number"]
        employment.employee_line_manager_change(
            actor=self.request.user,
            employee=self.get_employee(),
            line_manager=manager,
            reason=form.cleaned_data["reason"],
        )
        return f"{self.get_employee()}'s line manager is now {manager or 'nobody'}."


class EmployeeLeaveView(EmployeeManageMixin, FormView):
    """A confirmation page: what they leave open, then the leave date and reason."""

    template_name = "people/employee_leave.html"
    form_class = LeaverForm
    title = "Mark as a leaver"

    def get_initial(self):
        from django.utils import timezone

        return {"leave_date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        from people.directory.handover import open_items_for

        context = super().get_context_data(**kwargs)
        context["items"] = open_items_for([self.get_employee().pk]).get(self.get_employee().pk, [])
        return context

    def act(self, form):
        employment.employee_leave(
            actor=self.request.user,
            employee=self.get_employee(),
            leave_date=form.cleaned_data["leave_date"],
            reason=form.cleaned_data["reason"],
        )
        return f"{self.get_employee()} is recorded as a leaver and can no longer sign in; HR has been told."
