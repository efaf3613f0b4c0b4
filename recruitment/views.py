from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from core.forms import apply_service_errors
from core.permissions import PermissionRequiredMixin, permission_required
from core.ui import SortableListMixin
from core.views import message_service_error
from recruitment import services
from recruitment.forms import (
    ApplicantForm,
    ApplicantStatusForm,
    CandidateSearchForm,
    SearchFilterForm,
    VacancyForm,
    VacancyStatusForm,
)
from recruitment.models import Applicant, CandidateSearch
from recruitment.selectors import searches_visible_to, vacancies_for, vacancy_get_for_user


class VacancyListView(PermissionRequiredMixin, SortableListMixin, ListView):
    permission_required = "recruitment.manage_vacancies"
    template_name = "recruitment/vacancy_list.html"
    context_object_name = "vacancies"
    sortable_fields = {
        "reference": "reference",
        "title": "title",
        "organisation": "organisation__name",
        "status": "status",
        "closing": "closing_date",
    }
    default_sort = "-closing"

    def get_queryset(self):
        return self.sort_queryset(vacancies_for(self.request.user))


class VacancyCreateView(PermissionRequiredMixin, FormView):
    permission_required = "recruitment.manage_vacancies"
    template_name = "recruitment/vacancy_form.html"
    form_class = VacancyForm

    def form_valid(self, form):
        try:
            vacancy = services.vacancy_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Vacancy {vacancy} created; add the applicants in selection.")
        return redirect(vacancy)


class VacancyDetailView(PermissionRequiredMixin, FormView):
    """A vacancy with its applicants; the form adds an applicant."""

    permission_required = "recruitment.manage_vacancies"
    template_name = "recruitment/vacancy_detail.html"
    form_class = ApplicantForm

    def get_vacancy(self):
        if not hasattr(self, "_vacancy"):
            self._vacancy = vacancy_get_for_user(self.request.user, self.kwargs["pk"])
        return self._vacancy

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy = self.get_vacancy()
        context["vacancy"] = vacancy
        context["applicants"] = vacancy.applicants.all()
        context["status_choices"] = Applicant.Status.choices
        context["vacancy_status_form"] = VacancyStatusForm(initial={"status": vacancy.status})
        return context

    def form_valid(self, form):
        vacancy = self.get_vacancy()
        try:
            applicant = services.applicant_add(actor=self.request.user, vacancy=vacancy, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{applicant} added to {vacancy}.")
        return redirect(vacancy)


@require_POST
@permission_required("recruitment.manage_vacancies")
def vacancy_status(request, pk: int):
    vacancy = vacancy_get_for_user(request.user, pk)
    form = VacancyStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a listed status.")
        return redirect(vacancy)
    services.vacancy_set_status(actor=request.user, vacancy=vacancy, status=form.cleaned_data["status"])
    messages.success(request, f"{vacancy}: {vacancy.__class__.Status(form.cleaned_data['status']).label}.")
    return redirect(vacancy)


@require_POST
@permission_required("recruitment.manage_vacancies")
def applicant_status(request, pk: int):
    applicant = get_object_or_404(Applicant.objects.select_related("vacancy"), pk=pk)
    form = ApplicantStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a listed status.")
        return redirect(applicant.vacancy)
    try:
        applicant = services.applicant_set_status(
            actor=request.user, applicant=applicant, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect(applicant.vacancy)
    messages.success(request, f"{applicant}: {applicant.get_status_display()}.")
    return redirect(applicant.vacancy)


class SearchListView(PermissionRequiredMixin, SortableListMixin, ListView):
    """Every social media search on a person, allowed or refused, for HR and auditors (clause 6.1)."""

    permission_required = "recruitment.view_search_log"
    template_name = "recruitment/candidatesearch_list.html"
    context_object_name = "searches"
    sortable_fields = {
        "when": "searched_at",
        "who": "searched_by__last_name",
        "subject": "subject_name",
        "platform": "platform",
        "outcome": "outcome",
    }
    default_sort = "-when"

    def get_queryset(self):
        self.filter_form = SearchFilterForm(self.request.GET or None)
        qs = searches_visible_to(self.request.user)
        if self.filter_form.is_valid():
            f = self.filter_form.cleaned_data
            for word in f["q"].split():
                qs = qs.filter(
                    Q(subject_name__icontains=word)
                    | Q(searched_by__first_name__icontains=word)
                    | Q(searched_by__last_name__icontains=word)
                )
            if f["outcome"]:
                qs = qs.filter(outcome=f["outcome"])
            if f["platform"]:
                qs = qs.filter(platform=f["platform"])
        return self.sort_queryset(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["can_log"] = self.request.user.has_perm("recruitment.log_search")
        return context


class SearchCreateView(PermissionRequiredMixin, FormView):
    permission_required = "recruitment.log_search"
    template_name = "recruitment/candidatesearch_form.html"
    form_class = CandidateSearchForm

    def form_valid(self, form):
        try:
            search = services.candidate_search_log(actor=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        if search.outcome == CandidateSearch.Outcome.REFUSED:
            return self.render_to_response(self.get_context_data(form=CandidateSearchForm(), refused=search))
        messages.success(
            self.request,
            f"Search of {search.subject_name} on {search.get_platform_display()} logged: you may go ahead.",
        )
        return redirect("recruitment:search_list")
