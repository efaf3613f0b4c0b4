"""What a leaver leaves open, for HR to hand to someone else.

Each app lists its own kinds of open item in a `handover.py` module (found when the people app starts):

    @open_items("Posts awaiting their check")
    def posts_to_check(user_ids) -> dict[int, list[OpenItem]]: ...

A collector answers for many people in one query, so listing the open items of a hundred leavers costs one
query per kind, not per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class OpenItem:
    kind: str
    description: str
    url: str = ""


_collectors: list[tuple[str, Callable]] = []


def open_items(kind: str) -> Callable:
    def register(fn: Callable) -> Callable:
        _collectors.append((kind, fn))
        return fn

    return register


def open_items_for(user_ids: Iterable[int]) -> dict[int, list[OpenItem]]:
    """Every open item of each person, by person; people with none are left out."""
    ids = list(user_ids)
    found: dict[int, list[OpenItem]] = {}
    if not ids:
        return found
    for _, collect in _collectors:
        for user_id, items in collect(ids).items():
            found.setdefault(user_id, []).extend(items)
    return found


@open_items("Direct reports")
def direct_reports(user_ids) -> dict[int, list[OpenItem]]:
    from people.models import User

    found: dict[int, list[OpenItem]] = {}
    reports = User.objects.active().filter(line_manager_id__in=user_ids).order_by("last_name", "first_name")
    for pk, manager_id, first, last in reports.values_list("pk", "line_manager_id", "first_name", "last_name"):
        found.setdefault(manager_id, []).append(
            OpenItem(
                "Direct report",
                f"{first} {last} needs a new line manager.",
                reverse("people:employee_detail", args=[pk]),
            )
        )
    return found
