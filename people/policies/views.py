"""Publishing a policy version (Head of HR) and the acknowledgement report (HR)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView

from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import paginate
from people import services
from people.models import Organisation, PolicyVersion
from people.policies import acknowledgement_csv, staff_with_acknowledgement
from people.policies.forms import PolicyVersionForm
from people.selectors import current_policy_version, organisation_acknowledgement_summary


class PolicyPublishView(PermissionRequiredMixin, FormView):
    permission_required = "people.publish_policy"
    template_name = "people/policyversion_form.html"
    form_class = PolicyVersionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = PolicyVersion.objects.select_related("published_by")[:20]
        return context

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            version = services.policy_version_publish(actor=self.request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Published {version}. From {version.effective_from:%d/%m/%Y} staff are asked to acknowledge it.",
        )
        return redirect("people:policy_acknowledgements")


class AcknowledgementReportView(PermissionRequiredMixin, TemplateView):
    """Acknowledgement of the current version per organisation; each number opens the names behind it."""

    permission_required = "people.list_employees"
    template_name = "people/policy_acknowledgements.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = current_policy_version()
        context["rows"] = organisation_acknowledgement_summary() if context["version"] else []
        return context


class AcknowledgementNamesView(PermissionRequiredMixin, TemplateView):
    permission_required = "people.list_employees"
    template_name = "people/policy_acknowledgement_names.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"])
        version = current_policy_version()
        show = self.request.GET.get("show", "outstanding")
        show = show if show in {"outstanding", "acknowledged", "all"} else "outstanding"
        people = staff_with_acknowledgement(version, [organisation.pk]) if version else []
        if version and show != "all":
            people = people.filter(acknowledged=show == "acknowledged")
        context.update(
            organisation=organisation, version=version, show=show, page_obj=paginate(self.request, people, 50)
        )
        return context


@permission_required("people.list_employees")
@require_GET
def acknowledgement_download(request):
    version = current_policy_version()
    if version is None:
        messages.info(request, "No version of the policy is in force yet, so there is nothing to download.")
        return redirect("people:policy_acknowledgements")
    response = HttpResponse(acknowledgement_csv(version), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="policy-{version.version}-acknowledgements.csv"'
    return response
