from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from audit.services import audit_read
from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import SortableListMixin
from core.views import UploadLimitMixin, message_service_error
from disclosures import services
from disclosures.forms import (
    DisclaimerWordingForm,
    DisclosureFilterForm,
    DisclosureForm,
    FollowUpForm,
    RestrictedPostForm,
    SelfReportForm,
)
from disclosures.models import DisclaimerWording, PersonalAccountDisclosure
from disclosures.selectors import (
    current_restriction,
    disclosure_get_for_user,
    disclosures_visible_to,
    last_reconfirmation,
    reconfirmation_due,
    restricted_post_holders,
    restriction_notice_due,
)
from people.models import User


class MyAccountsView(PermissionRequiredMixin, ListView):
    """The employee's own declared accounts, the 5.6 notice if it concerns them, and the yearly confirmation."""

    permission_required = "disclosures.declare_account"
    template_name = "disclosures/disclosure_mine.html"
    context_object_name = "disclosures"

    def get_queryset(self):
        return PersonalAccountDisclosure.objects.filter(employee=self.request.user).order_by("platform", "handle")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["restriction_due"] = restriction_notice_due(user)
        context["restriction"] = current_restriction(user) if user.politically_restricted else None
        context["reconfirmation_due"] = reconfirmation_due(user)
        context["last_reconfirmation"] = last_reconfirmation(user)
        return context


class DisclosureFormMixin:
    form_class = DisclosureForm
    template_name = "disclosures/disclosure_form.html"

    def get_employee(self) -> User:
        return self.request.user

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["employee"] = self.get_employee()
        return kwargs


class DisclosureCreateView(PermissionRequiredMixin, DisclosureFormMixin, FormView):
    permission_required = "disclosures.declare_account"

    def form_valid(self, form):
        try:
            disclosure = services.disclosure_declare(actor=self.request.user, **form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        _tell_outcome(self.request, disclosure)
        return redirect(disclosure)


def _tell_outcome(request, disclosure: PersonalAccountDisclosure) -> None:
    if disclosure.is_compliant:
        messages.success(request, f"Thank you. Your {disclosure} account keeps the policy.")
    else:
        messages.warning(request, f"Your {disclosure} account needs changes: see below what to change.")


class DisclosureDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "disclosures.open_account"
    template_name = "disclosures/disclosure_detail.html"
    context_object_name = "disclosure"

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = disclosure_get_for_user(self.request.user, self.kwargs["pk"])
            if self._object.employee_id != self.request.user.pk:
                audit_read(actor=self.request.user, obj=self._object)
        return self._object

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_ups"] = self.object.follow_ups.select_related("recorded_by")
        context["is_owner"] = self.object.employee_id == self.request.user.pk
        if self.request.user.has_perm("disclosures.follow_up_account", self.object):
            context["follow_up_form"] = kwargs.get("follow_up_form") or FollowUpForm()
        return context


class DisclosureUpdateView(PermissionRequiredMixin, DisclosureFormMixin, FormView):
    permission_required = "disclosures.edit_account"

    def get_disclosure(self) -> PersonalAccountDisclosure:
        if not hasattr(self, "_disclosure"):
            self._disclosure = disclosure_get_for_user(self.request.user, self.kwargs["pk"])
        return self._disclosure

    def get_permission_object(self):
        return self.get_disclosure()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_disclosure()
        kwargs["initial"] = {"privacy_settings_checked": False}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["disclosure"] = self.get_disclosure()
        return context

    def form_valid(self, form):
        try:
            disclosure = services.disclosure_update(
                actor=self.request.user, disclosure=self.get_disclosure(), **form.service_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        _tell_outcome(self.request, disclosure)
        return redirect(disclosure)


@require_POST
@permission_required("disclosures.review_accounts")
def disclosure_follow_up(request, pk: int):
    disclosure = disclosure_get_for_user(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_follow_up(actor=request.user, disclosure=disclosure, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if form.errors:
        view = DisclosureDetailView(request=request, kwargs={"pk": pk}, args=())
        view.object = view.get_object()
        return view.render_to_response(view.get_context_data(follow_up_form=form), status=400)
    messages.success(request, f"Follow-up recorded; {disclosure.employee} has been told.")
    return redirect(disclosure)


@require_POST
@permission_required("disclosures.reconfirm_accounts")
def disclosures_reconfirm(request):
    confirmation = services.disclosures_reconfirm(actor=request.user)
    count = confirmation.accounts
    messages.success(
        request,
        f"Thank you: you confirmed that your {count} declared account{'s are' if count != 1 else ' is'} "
        "complete and up to date.",
    )
    return redirect("disclosures:mine")


class ReviewListView(PermissionRequiredMixin, SortableListMixin, ListView):
    """HR's list of declared accounts, by default those that need changes."""

    permission_required = "disclosures.review_accounts"
    template_name = "disclosures/disclosure_review.html"
    context_object_name = "disclosures"
    sortable_fields = {
        "employee": "employee__last_name",
        "organisation": "employee__organisation__name",
        "platform": "platform",
        "outcome": "outcome",
        "checked": "checked_at",
    }
    default_sort = "-checked"

    def get_queryset(self):
        data = self.request.GET.copy()
        if "outcome" not in data:
            data["outcome"] = PersonalAccountDisclosure.Outcome.NEEDS_CHANGES
        self.filter_form = DisclosureFilterForm(data)
        qs = disclosures_visible_to(self.request.user).annotate(follow_up_count=Count("follow_ups"))
        if self.filter_form.is_valid():
            f = self.filter_form.cleaned_data
            for word in f["q"].split():
                qs = qs.filter(
                    Q(employee__first_name__icontains=word)
                    | Q(employee__last_name__icontains=word)
                    | Q(handle__icontains=word)
                    | Q(display_name__icontains=word)
                )
            if f["outcome"]:
                qs = qs.filter(outcome=f["outcome"])
            if f["organisation"]:
                qs = qs.filter(employee__organisation=f["organisation"])
            if f["political"]:
                qs = qs.filter(political_flagged_at__isnull=False)
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class WordingListView(PermissionRequiredMixin, ListView):
    permission_required = "disclosures.manage_wordings"
    template_name = "disclosures/disclaimerwording_list.html"
    context_object_name = "wordings"
    paginate_by = 50

    def get_queryset(self):
        return DisclaimerWording.objects.select_related("updated_by").order_by("element", "pattern")


class WordingCreateView(PermissionRequiredMixin, FormView):
    permission_required = "disclosures.manage_wordings"
    template_name = "disclosures/disclaimerwording_form.html"
    form_class = DisclaimerWordingForm

    def get_instance(self) -> DisclaimerWording:
        return DisclaimerWording()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_instance()
        return kwargs

    def form_valid(self, form):
        try:
            services.disclaimer_wording_save(actor=self.request.user, wording=form.instance)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved the wording “{form.instance.pattern}”.")
        return redirect("disclosures:wording_list")


class WordingUpdateView(WordingCreateView):
    def get_instance(self) -> DisclaimerWording:
        return get_object_or_404(DisclaimerWording, pk=self.kwargs["pk"])


class RestrictedPostListView(PermissionRequiredMixin, FormView):
    """HR's list of politically restricted posts (5.6), and marking another one."""

    permission_required = "disclosures.manage_restricted_posts"
    template_name = "disclosures/restricted_posts.html"
    form_class = RestrictedPostForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        holders = list(restricted_post_holders())
        for holder in holders:
            records = [r for r in holder.restricted_post_records.all() if r.lifted_at is None]
            holder.current_record = records[0] if records else None
        context["holders"] = holders
        context["flagged"] = (
            PersonalAccountDisclosure.objects.filter(political_flagged_at__isnull=False)
            .select_related("employee")
            .order_by("-political_flagged_at")[:20]
        )
        return context

    def form_valid(self, form):
        employee = form.cleaned_data["employee"]
        try:
            services.restricted_post_mark(
                actor=self.request.user, employee=employee, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{employee}'s post is now politically restricted; they have been told.")
        return redirect("disclosures:restricted_posts")


@require_POST
@permission_required("disclosures.manage_restricted_posts")
def restricted_post_lift(request, pk: int):
    employee = get_object_or_404(User, pk=pk)
    try:
        services.restricted_post_lift(actor=request.user, employee=employee)
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect("disclosures:restricted_posts")
    messages.success(request, f"{employee}'s post is no longer politically restricted; they have been told.")
    return redirect("disclosures:restricted_posts")


@require_POST
@permission_required("disclosures.acknowledge_restriction")
def restricted_post_acknowledge(request):
    services.restricted_post_acknowledge(actor=request.user)
    messages.success(request, "Thank you: your acknowledgement of the clause 5.6 notice is recorded.")
    return redirect("disclosures:mine")


class SelfReportView(UploadLimitMixin, PermissionRequiredMixin, FormView):
    """Clause 5.5: an employee discloses a post of their own; it becomes a self-reported incident report."""

    permission_required = "disclosures.declare_account"
    template_name = "disclosures/self_report_form.html"
    form_class = SelfReportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        from cases.services import incident_report_create

        data = form.cleaned_data
        try:
            report = incident_report_create(
                reporter=self.request.user,
                subject=self.request.user,
                self_reported=True,
                capacity=data["capacity"],
                platform=data["platform"],
                link=data["link"],
                occurred_at=data["occurred_at"],
                description=data["description"],
                categories=data["categories"],
                files=data["files"],
                submission_token=data["submission_token"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "duplicate":
                messages.info(self.request, "Your self-report was already received; it was not sent twice.")
                return redirect("cases:mine")
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Thank you for telling us. Your self-report {report.reference} is with HR.")
        return redirect("cases:report_status", pk=report.pk)
