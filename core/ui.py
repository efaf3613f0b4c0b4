"""Small building blocks every list page shares: sorting by whitelisted columns and pagination."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest

from core.keyset import SortKey, keyset_page


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


class KeysetPaginationMixin:
    """A ListView paged by keyset (core/keyset.py) rather than by page number; with SortableListMixin.

    `keyset_sorts` gives, for each public sort name, the sort keys of the ascending order. The context has
    `page_obj` (a KeysetPage: its rows, and cursors for the next and previous links) and `paginator`, used
    only for the number of rows (`paginator_class`, e.g. an estimating one)."""

    keyset_sorts: dict[str, Callable[[bool], list[SortKey]]] = {}
    paginate_by = 25

    def paginate_queryset(self, queryset, page_size):
        sort = self.get_sort()
        keys = self.keyset_sorts[sort.lstrip("-")](sort.startswith("-"))
        page = keyset_page(queryset, keys, self.request.GET, page_size)
        paginator = self.get_paginator(queryset, page_size)
        return paginator, page, page.object_list, page.has_next or page.has_previous


class WindowCountPaginator(Paginator):
    """A paginator whose page query also brings the number of rows (`COUNT(*) OVER ()`, as `window_total`),
    so a list whose rows are costly to find (an aggregate) is not worked out twice, once to count it.

    Only a page past the end, which has no row to carry the number, is counted on its own."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # its own error for a page that is not a number
        if number < 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(window_total=Window(Count("*")))[bottom : bottom + self.per_page])
        if not rows:
            return super().page(number)
        total = rows[0]["window_total"] if isinstance(rows[0], dict) else rows[0].window_total
        self.__dict__["count"] = total  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)


def paginate(request: HttpRequest, items, per_page: int = 25):
    return Paginator(items, per_page).get_page(request.GET.get("page"))
