"""What the app holds about a person, gathered from every app for a subject access request (UK GDPR art. 15).

Each app declares, in its `subject_access.py`, one or more sections:

    @subject_data("disclosures", "Personal accounts you declared (clause 5)")
    def declared_accounts(employee) -> list[dict]:
        return [{"platform": ..., "handle": ...} for ...]

A section returns plain, JSON-ready dicts about the employee only — never about anyone else, and never
what would identify a reporter or reveal internal notes. HR may withhold a whole section for a person
under a recorded exemption (e.g. an open investigation); the export then says that something is
withheld and why, and nothing more.

A section that keeps some of its items back by a standing rule (for example, records of an investigation
that is still open) returns `PartlyWithheld(items, reason)`: the export shows the items it may and states the
reason, again without saying which items, or how many, are kept back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    collect: Callable
    order: int


@dataclass(frozen=True)
class PartlyWithheld:
    items: list[dict]
    reason: str


_sections: dict[str, Section] = {}


def subject_data(key: str, title: str, *, order: int = 100) -> Callable:
    def register(fn: Callable) -> Callable:
        _sections[key] = Section(key, title, fn, order)
        return fn

    return register


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def section_choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in sections()]


def build_export(employee, *, withheld: dict[str, str] | None = None) -> dict:
    """Everything held about the employee, section by section, minus withheld sections."""
    withheld = withheld or {}
    result = {
        "employee": {"name": str(employee), "username": employee.get_username(), "staff_number": employee.staff_number},
        "sections": [],
    }
    for section in sections():
        if section.key in withheld:
            result["sections"].append(
                {
                    "key": section.key,
                    "title": section.title,
                    "withheld": True,
                    "partly_withheld": False,
                    "reason": withheld[section.key],
                    "items": [],
                }
            )
            continue
        collected = section.collect(employee)
        partly = isinstance(collected, PartlyWithheld)
        entry = {
            "key": section.key,
            "title": section.title,
            "withheld": False,
            "partly_withheld": partly,
            "items": list(collected.items if partly else collected),
        }
        if partly:
            entry["reason"] = collected.reason
        result["sections"].append(entry)
    return result


def export_json(data: dict) -> str:
    import json

    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
