"""The HR search: employees, incident reports and cases, limited to what the searcher may open."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, QuerySet

from cases.models import Case, IncidentReport
from cases.selectors import cases_visible_to
from people.models import User
from people.selectors import employees_visible_to


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w][:8]


def search_employees(user: User, text: str) -> QuerySet[User]:
    """Every word must match the first name, last name, user name or staff number."""
    qs = employees_visible_to(user)
    for word in _words(text):
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(staff_number__icontains=word)
        )
    return qs.order_by("last_name", "first_name", "pk")


def _text_match(fields: list[str], text: str) -> tuple[SearchVector, SearchQuery]:
    vector = SearchVector(*fields, config="english")
    return vector, SearchQuery(text, search_type="websearch", config="english")


def search_incident_reports(user: User, text: str) -> QuerySet[IncidentReport]:
    """By reference, or by words in what happened; never a report that names the searcher."""
    vector, query = _text_match(["description", "subject_description"], text)
    name = Q()
    for word in _words(text):
        name &= Q(subject__first_name__icontains=word) | Q(subject__last_name__icontains=word)
    return (
        IncidentReport.objects.annotate(document=vector)
        .filter(Q(reference__icontains=text) | Q(document=query) | Q(description__icontains=text) | name)
        .exclude(subject_id=user.pk)
        .exclude(reporter_id=user.pk)
        .select_related("subject__organisation", "case")
        .order_by("-reported_at", "-pk")
    )


def search_cases(user: User, text: str) -> QuerySet[Case]:
    """By reference, by the name of the person concerned, or by words in the summary or finding."""
    vector, query = _text_match(["summary", "finding"], text)
    name = Q()
    for word in _words(text):
        name &= Q(subject__first_name__icontains=word) | Q(subject__last_name__icontains=word)
    return (
        cases_visible_to(user)
        .annotate(document=vector)
        .filter(Q(reference__icontains=text) | Q(document=query) | Q(summary__icontains=text) | name)
        .order_by("-opened_at", "-pk")
    )
