"""The HR pages of the staff directory: upload, preview, apply (Head of HR and the system administrator)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from people.directory import services
from people.directory.forms import StaffColumnMappingForm, StaffImportForm
from people.directory.plan import FIELD_LABELS
from people.directory.reader import COLUMNS
from people.models import StaffColumnMapping, StaffImport
from socialpolicy.permissions import PermissionRequiredMixin
from socialpolicy.ui import paginate


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
        staff_import, result = services.staff_import_upload(
            actor=self.request.user,
            content=upload.read(),
            file_name=upload.name,
            partial=form.cleaned_data["partial"],
            mapping=form.cleaned_data["mapping"],
        )
        if not result.ok:
            messages.error(self.request, "The file has errors, so nothing can be applied yet: see the table below.")
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
