"""Small building blocks every list page shares: sorting by whitelisted columns and pagination."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


class SortableListMixin:
    """Sort a ListView by `?sort=field` or `?sort=-field`, only among `sortable_fields`."""

    sortable_fields: dict[str, str] = {}  # public name -> ORM expression
    default_sort: str = ""
    paginate_by = 25

    def get_sort(self) -> str:
        requested = self.request.GET.get("sort", self.default_sort)
        name = requested.lstrip("-")
        return requested if name in self.sortable_fields else self.default_sort

    def sort_queryset(self, qs: QuerySet) -> QuerySet:
        sort = self.get_sort()
        if not sort:
            return qs
        descending = sort.startswith("-")
        field = self.sortable_fields[sort.lstrip("-")]
        return qs.order_by(f"{'-' if descending else ''}{field}", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current_sort"] = self.get_sort()
        return context


def paginate(request: HttpRequest, items, per_page: int = 25):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def apply_service_errors(form, exc) -> None:
    """Put a service's ValidationError beside the fields it names, or at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
