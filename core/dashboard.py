"""The registry behind the role-aware navigation and dashboard.

Each app declares, in its own `dashboard.py`, the menu entries it offers and the
panels it adds to people's dashboards; `people` autodiscovers those modules.
A menu entry is shown only to users who hold its permission, and a panel
function returns None for users it does not concern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    order: int = 100
    section: str = ""


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict
    order: int = 100
    width: int = 6  # Bootstrap columns on a large screen


PanelFunction = Callable[[HttpRequest], Panel | None]

_nav: list[NavEntry] = []
_panels: list[tuple[int, PanelFunction]] = []


def nav_entry(label: str, url_name: str, permission: str, *, order: int = 100, section: str = "") -> None:
    entry = NavEntry(label, url_name, permission, order, section)
    if entry not in _nav:
        _nav.append(entry)


def panel(order: int = 100) -> Callable[[PanelFunction], PanelFunction]:
    def register(fn: PanelFunction) -> PanelFunction:
        if all(existing is not fn for _, existing in _panels):
            _panels.append((order, fn))
        return fn

    return register


def nav_for(user) -> list[NavEntry]:
    return [e for e in sorted(_nav, key=lambda e: e.order) if user.has_perm(e.permission)]


@dataclass
class NavGroup:
    label: str
    entries: list[NavEntry]

    @property
    def is_menu(self) -> bool:
        return bool(self.label) and len(self.entries) > 1


def nav_groups_for(user) -> list[NavGroup]:
    """The user's entries, a section with two or more entries becoming one menu where it first appears."""
    groups: list[NavGroup] = []
    by_section: dict[str, NavGroup] = {}
    for entry in nav_for(user):
        if entry.section and entry.section in by_section:
            by_section[entry.section].entries.append(entry)
            continue
        group = NavGroup(entry.section, [entry])
        groups.append(group)
        if entry.section:
            by_section[entry.section] = group
    return groups


def panels_for(request: HttpRequest) -> list[Panel]:
    panels = []
    for _order, fn in sorted(_panels, key=lambda item: item[0]):
        result = fn(request)
        if result is not None:
            panels.append(result)
    return panels


# Demo data: each app may add its own demo records after the people are seeded, by
# registering a function(users=..., schools=..., council=..., rng=...) here.
_seed_hooks: list[Callable] = []


def seed_hook(fn: Callable) -> Callable:
    if fn not in _seed_hooks:
        _seed_hooks.append(fn)
    return fn


def seed_hooks() -> list[Callable]:
    return list(_seed_hooks)


# "Waiting for you": each app registers small functions that say what is waiting for a person,
# and one cross-app panel lists them. A function takes the user and returns a WaitingItem, a list
# of them, or None; it should cost at most one or two queries, whatever the size of the data.
@dataclass(frozen=True)
class WaitingItem:
    label: str
    count: int
    url: str
    detail: str = ""  # e.g. the next deadline
    urgent: bool = False


WaitingFunction = Callable[..., "WaitingItem | list[WaitingItem] | None"]
_waiting: list[tuple[int, WaitingFunction]] = []


def waiting_item(order: int = 100) -> Callable[[WaitingFunction], WaitingFunction]:
    def register(fn: WaitingFunction) -> WaitingFunction:
        if all(existing is not fn for _, existing in _waiting):
            _waiting.append((order, fn))
        return fn

    return register


def waiting_for(user) -> list[WaitingItem]:
    """Everything the apps say is waiting for the user, in registration order, leaving out empty counts."""
    items: list[WaitingItem] = []
    for _order, fn in sorted(_waiting, key=lambda item: item[0]):
        result = fn(user)
        for item in result if isinstance(result, list) else [result]:
            if item is not None and item.count > 0:
                items.append(item)
    return items
