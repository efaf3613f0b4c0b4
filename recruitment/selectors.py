"""Queries for recruitment: applicants in selection and the search log (clause 6.1)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from people.models import User
from recruitment.matching import same_email, same_person_name
from recruitment.models import Applicant, CandidateSearch, Vacancy


def vacancies_for(user: User) -> QuerySet[Vacancy]:
    if not user.has_perm("recruitment.manage_vacancies"):
        return Vacancy.objects.none()
    return Vacancy.objects.select_related("organisation").annotate(
        in_selection=Count("applicants", filter=Q(applicants__status__in=Applicant.IN_SELECTION)),
        applicant_count=Count("applicants"),
    )


def vacancy_get_for_user(user: User, pk: int) -> Vacancy:
    try:
        return vacancies_for(user).get(pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404("No such vacancy.") from exc


def applicants_in_selection() -> QuerySet[Applicant]:
    return Applicant.objects.filter(
        status__in=Applicant.IN_SELECTION, vacancy__status=Vacancy.Status.OPEN
    ).select_related("vacancy")


def applicant_matching(*, name: str, email: str) -> Applicant | None:
    """The applicant in an active selection whom the person looks like: same email, or same name
    allowing for case, accents and middle names (clause 6.1)."""
    candidates = list(applicants_in_selection().order_by("pk"))
    for applicant in candidates:
        if email and same_email(email, applicant.email):
            return applicant
    for applicant in candidates:
        if same_person_name(name, applicant.full_name):
            return applicant
    return None


def searches_visible_to(user: User) -> QuerySet[CandidateSearch]:
    if not user.has_perm("recruitment.view_search_log"):
        return CandidateSearch.objects.none()
    return CandidateSearch.objects.select_related("searched_by", "matched_applicant", "matched_applicant__vacancy")
