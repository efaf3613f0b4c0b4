"""Pages for covert surveillance (7.2). Thin: forms validate, services decide, selectors fetch (or 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from audit.services import audit_read
from cases import selectors
from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import SortableListMixin
from core.views import (
    FilteredListMixin,
    ObjectPermissionMixin,
    ServiceActionView,
    UploadLimitMixin,
    message_service_error,
)
from surveillance import selectors as ss
from surveillance import services as service
from surveillance.forms import (
    CloseForm,
    DecisionForm,
    ObservationForm,
    RegisterFilterForm,
    SurveillanceRequestForm,
)

REQUEST_FIELDS = list(SurveillanceRequestForm.base_fields)


class RegisterView(PermissionRequiredMixin, FilteredListMixin, SortableListMixin, ListView):
    """Every request the user may see, with its state today."""

    permission_required = "surveillance.surveillance_register"
    filter_form_class = RegisterFilterForm
    template_name = "surveillance/request_list.html"
    context_object_name = "requests"
    sortable_fields = {
        "reference": "reference",
        "case": "case__reference",
        "subject": "case__subject__last_name",
        "phase": "phase",
        "requested": "requested_at",
        "starts": "starts_on",
        "ends": "ends_on",
        "review": "review_on",
    }
    default_sort = "-requested"

    def get_queryset(self):
        qs = ss.surveillance_visible_to(self.request.user)
        if data := self.filters():
            if data["phase"]:
                qs = qs.filter(phase=data["phase"])
            if data["year"]:
                qs = qs.filter(requested_at__year=data["year"])
            for word in data["q"].split():
                qs = qs.filter(
                    Q(reference__icontains=word)
                    | Q(case__reference__icontains=word)
                    | Q(case__subject__first_name__icontains=word)
                    | Q(case__subject__last_name__icontains=word)
                )
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "can_oversee": self.request.user.has_perm("surveillance.surveillance_oversight"),
        }


class OversightView(PermissionRequiredMixin, TemplateView):
    """The Head of HR and OD's oversight: decisions waiting, reviews and ends coming, figures by year."""

    permission_required = "surveillance.surveillance_oversight"
    template_name = "surveillance/oversight.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "awaiting": list(ss.awaiting_decision(user)),
            "running": list(ss.surveillance_visible_to(user).running().order_by("ends_on", "pk")),
            **ss.upcoming(user),
            "figures": ss.yearly_figures(user),
            "today": timezone.localdate(),
        }


class RequestCreateView(ObjectPermissionMixin, FormView):
    permission_required = "surveillance.request_surveillance"
    template_name = "surveillance/request_form.html"
    form_class = SurveillanceRequestForm

    def load_object(self):
        return selectors.case_get_for_user(self.request.user, self.kwargs["pk"], "cases.view_case")

    def get_initial(self):
        return {"may_be_criminal": "no"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "case": self.get_permission_object(), "editing": None}

    def form_valid(self, form):
        try:
            request = service.surveillance_request_create(
                actor=self.request.user, case=self.get_permission_object(), **form.cleaned_data
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "duplicate":
                messages.info(self.request, exc.messages[0])
                return redirect("surveillance:list")
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{request.reference} sent to the Head of HR and OD for a decision.")
        return redirect(request)


class RequestObjectMixin(ObjectPermissionMixin):
    permission_required = "surveillance.view_surveillance"

    def load_object(self):
        return ss.surveillance_get_for_user(self.request.user, self.kwargs["pk"])

    @property
    def surveillance(self):
        return self.get_permission_object()

    def get(self, request, *args, **kwargs):
        # Every page that shows a request's content is a read of it, and goes on the audit trail, named as
        # before the app had its own namespace ("surveillance_decide"), so the trail reads the same throughout.
        page = request.resolver_match.view_name.replace(":", "_")
        audit_read(actor=request.user, obj=self.surveillance, details={"page": page})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sr": self.surveillance, "case": self.surveillance.case}


class RequestDetailView(RequestObjectMixin, TemplateView):
    template_name = "surveillance/request_detail.html"

    def get_context_data(self, **kwargs):
        user, sr = self.request.user, self.surveillance
        phase = sr.phase()
        return {
            **super().get_context_data(**kwargs),
            "decisions": sr.decisions.select_related("decided_by"),
            "observations": sr.observations.select_related("recorded_by"),
            "phase": phase,
            "can_edit": sr.status in sr.EDITABLE
            and phase != "expired"
            and user.has_perm("surveillance.edit_surveillance", sr),
            "can_decide": sr.status == sr.Status.REQUESTED and user.has_perm("surveillance.decide_surveillance", sr),
            "can_observe": sr.window_open() and user.has_perm("surveillance.run_surveillance", sr),
            "can_close": phase in ("approved", "active") and user.has_perm("surveillance.run_surveillance", sr),
            "hash_intact": sr.content_hash == sr.compute_content_hash(),
        }


class RequestEditView(RequestObjectMixin, FormView):
    permission_required = "surveillance.edit_surveillance"
    template_name = "surveillance/request_form.html"
    form_class = SurveillanceRequestForm

    def get_initial(self):
        sr = self.surveillance
        initial = {name: getattr(sr, name) for name in REQUEST_FIELDS if name != "may_be_criminal"}
        return {**initial, "may_be_criminal": "no"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "editing": self.surveillance}

    def form_valid(self, form):
        sr = self.surveillance
        was_approved = sr.status == sr.Status.APPROVED
        try:
            updated = service.surveillance_request_update(actor=self.request.user, request=sr, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                message_service_error(self.request, exc, level=messages.WARNING)
                return redirect(sr)
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        if updated.version == sr.version:
            messages.info(self.request, "Nothing changed.")
        elif was_approved:
            messages.warning(
                self.request,
                "Saved. The approval no longer applies: nothing may be recorded until it is approved again.",
            )
        else:
            messages.success(self.request, "Saved and sent to the Head of HR and OD for a decision.")
        return redirect(updated)


class RequestActionView(RequestObjectMixin, ServiceActionView):
    """A form page that performs one service on a request; errors appear beside the fields, and a refusal
    about the request's state (decided meanwhile, window closed) is said on the request page."""

    template_name = "surveillance/action_form.html"
    state_errors_as_message = True

    def action_object(self):
        return self.surveillance


class DecideView(RequestActionView):
    permission_required = "surveillance.decide_surveillance"
    form_class = DecisionForm
    title = "Decide on covert surveillance"
    intro = (
        "Clause 7.2: surveillance of an employee's social media may happen only after the Head of HR and "
        "Organisational Development approves it. You approve exactly the version shown here; any later change "
        "needs your approval again."
    )
    button = "Record decision"

    def get_initial(self):
        return {"version": self.surveillance.version}

    def perform(self, data):
        made = service.surveillance_request_decide(
            actor=self.request.user,
            request=self.surveillance,
            decision=data["decision"],
            reasons=data["reasons"],
            version=data["version"],
        )
        return f"Decision recorded: {made.get_decision_display().lower()}. The requester has been told."


class ObserveView(UploadLimitMixin, RequestActionView):
    permission_required = "surveillance.run_surveillance"
    form_class = ObservationForm
    title = "Record an observation"
    intro = "Public content only, inside the approved window and scope. A screenshot's SHA-256 is kept at upload."
    button = "Record observation"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.surveillance}

    def get(self, request, *args, **kwargs):
        sr = self.surveillance
        if not sr.window_open():
            messages.error(
                request, f"{sr.reference} is {sr.get_phase_display().lower()}: observations cannot be recorded now."
            )
            return redirect(sr)
        return super().get(request, *args, **kwargs)

    def perform(self, data):
        service.surveillance_observation_record(
            actor=self.request.user,
            request=self.surveillance,
            observed_at=data["observed_at"],
            platform=data["platform"],
            what_was_seen=data["what_was_seen"],
            link=data["link"],
            screenshot=data["screenshot"],
        )
        return "Observation recorded."


class CloseView(RequestActionView):
    permission_required = "surveillance.run_surveillance"
    form_class = CloseForm
    title = "Stop surveillance early"
    intro = "Completing or revoking ends the approval now; nothing more may be recorded under it."
    button = "Stop surveillance"

    def perform(self, data):
        sr = service.surveillance_request_close(
            actor=self.request.user, request=self.surveillance, outcome=data["outcome"], summary=data["summary"]
        )
        return f"{sr.reference} {sr.get_status_display().lower()}."


class ObservationDetailView(ObjectPermissionMixin, TemplateView):
    permission_required = "surveillance.view_surveillance"
    template_name = "surveillance/observation_detail.html"

    def load_object(self):
        self.observation = ss.observation_get_for_user(self.request.user, self.kwargs["pk"])
        return self.observation.request

    def get_context_data(self, **kwargs):
        observation = self.observation
        audit_read(actor=self.request.user, obj=observation, details={"request": observation.request.reference})
        return {
            **super().get_context_data(**kwargs),
            "observation": observation,
            "sr": observation.request,
            "case": observation.request.case,
        }


@permission_required("surveillance.surveillance_register")
def screenshot_download(request, pk: int):
    observation = ss.observation_get_for_user(request.user, pk)  # 404 first: refusals reveal nothing
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if not observation.screenshot:
        raise Http404("No screenshot.")
    service.surveillance_screenshot_record_download(actor=request.user, observation=observation)
    response = FileResponse(
        observation.screenshot.open("rb"),
        as_attachment=True,
        filename=observation.screenshot_name,
        content_type=observation.screenshot_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
