"""Letters of the disciplinary process, made as PDFs on the server (WeasyPrint) from wording the Head of HR edits.

The editable wording is a Django template restricted to merge fields: `{{ employee_name }}` and the others in
MERGE_FIELDS, nothing else (no tags, filters, comments or attribute look-ups), rendered with autoescaping from a
context of plain strings. The letterhead is the school's or council's name and address, never the product's."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, linebreaks

from cases.models import Case, LetterKind, LetterTemplate

MERGE_FIELDS = {
    "employee_name": "The employee's full name",
    "employee_job_title": "The employee's job title",
    "organisation_name": "The school or council employing them",
    "case_reference": "The case reference",
    "letter_date": "Today's date",
    "allegations": "The allegation as recorded on the case",
    "clauses": "The policy clauses concerned (the outcome's, or those of the reported categories)",
    "evidence_list": "The evidence files on the case, one per line",
    "hearing_date": "The hearing's date and time",
    "hearing_panel": "Who sits on the hearing panel",
    "companion_rights": "The right to be accompanied, in a sentence",
    "suspension_start": "The first day of a precautionary suspension",
    "suspension_review": "The date the suspension is reviewed",
    "suspension_reason": "Why the employee is suspended",
    "outcome": "The outcome decided",
    "outcome_reasons": "The reasons for the outcome",
    "warning_expiry": "When a warning expires",
    "appeal_deadline": "The last day to appeal",
    "appeal_decision": "The appeal decision",
    "appeal_reasons": "The reasons for the appeal decision",
    "signatory": "Who signs the letter, and their job title",
}

COMPANION_RIGHTS = (
    "You have the right to be accompanied by a work colleague or a trade union representative. If your companion "
    "cannot attend, you may propose another time within five working days."
)

DEFAULTS: dict[str, tuple[str, str]] = {
    LetterKind.SUSPENSION: (
        "Precautionary suspension",
        "I am writing to confirm that you are suspended on full pay from {{ suspension_start }} while an allegation "
        "is investigated.\n\nThe allegation is: {{ allegations }}\n\nThe reason for the suspension is: "
        "{{ suspension_reason }}\n\nSuspension is not a disciplinary sanction and does not mean that any decision "
        "has been made. It will be reviewed on {{ suspension_review }}.",
    ),
    LetterKind.HEARING_INVITATION: (
        "Invitation to a disciplinary hearing",
        "I am writing to invite you to a disciplinary hearing on {{ hearing_date }}, before {{ hearing_panel }}.\n\n"
        "The allegation is: {{ allegations }}\n\nThe clauses of the social media policy concerned are: "
        "{{ clauses }}\n\nThe evidence that will be considered is enclosed:\n{{ evidence_list }}\n\n"
        "{{ companion_rights }}\n\nPossible outcomes range from no action, through a first or final written "
        "warning, to dismissal; a serious breach may be treated as gross misconduct and lead to summary dismissal "
        "(clause 7.3).",
    ),
    LetterKind.OUTCOME: (
        "Outcome of the disciplinary hearing",
        "I am writing to confirm the outcome of the disciplinary hearing held on {{ hearing_date }}.\n\n"
        "The outcome is: {{ outcome }}\n\nClauses breached: {{ clauses }}\n\nReasons: {{ outcome_reasons }}\n\n"
        "{{ warning_expiry }}\n\nYou may appeal against this decision by {{ appeal_deadline }}, setting out your "
        "grounds in writing to HR. Your appeal will be heard by someone who has not been involved in the case.",
    ),
    LetterKind.APPEAL_OUTCOME: (
        "Outcome of your appeal",
        "I am writing to confirm the outcome of your appeal against the disciplinary decision of "
        "{{ hearing_date }}.\n\nThe decision is: {{ appeal_decision }}\n\nReasons: {{ appeal_reasons }}\n\n"
        "This decision is final.",
    ),
}

_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_ANY_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]|[}%#]\}")
_ENGINE = Engine(autoescape=True, string_if_invalid="")


def check_wording(text: str) -> None:
    """Refuse anything but known merge fields: no tags, filters, comments or look-ups into objects."""
    leftover = _FIELD.sub("", text)
    if _ANY_TEMPLATE_SYNTAX.search(leftover):
        raise ValidationError("Only merge fields written like {{ employee_name }} may be used, nothing else in braces.")
    unknown = sorted({name for name in _FIELD.findall(text) if name not in MERGE_FIELDS})
    if unknown:
        raise ValidationError(f"Unknown merge fields: {', '.join(unknown)}. Use the fields listed beside the text.")


def wording(kind: str) -> tuple[str, str]:
    """The heading and text for a kind of letter: the Head of HR's, or the built-in one."""
    template = LetterTemplate.objects.filter(kind=kind).first()
    return (template.title, template.body) if template else DEFAULTS[kind]


def _date(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


def merge_fields(case: Case, signatory=None) -> dict[str, str]:
    """The merge fields' values for a case, as plain strings."""
    from cases.models import CATEGORY_CLAUSES, Clause

    employee = case.subject
    outcome = getattr(case, "outcome", None)
    appeal = getattr(case, "appeal", None)
    if outcome is not None and outcome.clauses_breached:
        clauses = [Clause(c).label for c in outcome.clauses_breached if c in Clause.values]
    else:
        numbers = {c for r in case.reports.all() for cat in r.categories for c in CATEGORY_CLAUSES.get(cat, [])}
        clauses = [Clause(n).label for n in sorted(numbers) if n in Clause.values]
    evidence = [e.original_name for e in case.evidence.all()] + [
        e.original_name for r in case.reports.all() for e in r.evidence.all()
    ]
    signer = signatory or (outcome.decided_by if outcome else case.opened_by)
    return {
        "employee_name": employee.get_full_name() or employee.username,
        "employee_job_title": employee.job_title,
        "organisation_name": case.organisation.name,
        "case_reference": case.reference,
        "letter_date": f"{timezone.localdate():%d/%m/%Y}",
        "allegations": case.summary,
        "clauses": "; ".join(clauses) or "none recorded",
        "evidence_list": "\n".join(f"• {name}" for name in evidence) or "No evidence files.",
        "hearing_date": _date(case.hearing_at),
        "hearing_panel": case.hearing_panel,
        "companion_rights": COMPANION_RIGHTS,
        "suspension_start": f"{case.suspended_from:%d/%m/%Y}" if case.suspended_from else "",
        "suspension_review": f"{case.suspension_review_on:%d/%m/%Y}" if case.suspension_review_on else "",
        "suspension_reason": case.suspension_reason,
        "outcome": outcome.get_kind_display() if outcome else "",
        "outcome_reasons": outcome.reasons if outcome else "",
        "warning_expiry": (
            f"This warning will stay on your record until {outcome.warning_expires_on:%d/%m/%Y}, after which it "
            "will be disregarded for disciplinary purposes."
            if outcome and outcome.warning_expires_on
            else ""
        ),
        "appeal_deadline": f"{outcome.appeal_deadline:%d/%m/%Y}" if outcome and outcome.appealable else "",
        "appeal_decision": (
            appeal.get_decision_display() + (f" to {appeal.get_varied_to_display()}" if appeal.varied_to else "")
            if appeal and appeal.decision
            else ""
        ),
        "appeal_reasons": appeal.decision_reasons if appeal else "",
        "signatory": f"{signer.get_full_name()}, {signer.job_title}" if signer else "",
    }


def _escaped_wording(text: str) -> str:
    """The wording with everything but its merge fields escaped: typed HTML prints as text."""
    parts = _FIELD.split(text)  # literal, field name, literal, field name, ...
    return "".join(escape(part) if i % 2 == 0 else "{{ " + part + " }}" for i, part in enumerate(parts))


def render_html(organisation, title: str, body: str, fields: dict[str, str]) -> str:
    """The letter as HTML: letterhead, the merged wording, signature."""
    check_wording(body)
    merged = _ENGINE.from_string(_escaped_wording(body)).render(Context(fields, autoescape=True))
    return render_to_string(
        "cases/letters/letter.html",
        {
            "organisation": organisation,
            "council": organisation.parent,
            "title": title,
            "body": linebreaks(merged, autoescape=False),
            "fields": fields,
        },
    )


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"Letters load nothing from outside: {url}")


LETTER_CSS = Path(__file__).with_name("letter.css")


def render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[CSS(filename=str(LETTER_CSS))])


def example_fields(organisation, signatory) -> dict[str, str]:
    """Invented values for previewing a wording before any case uses it."""
    today = timezone.localdate()
    return {
        **{name: f"[{label.lower()}]" for name, label in MERGE_FIELDS.items()},
        "employee_name": "Alex Example",
        "employee_job_title": "Class teacher",
        "organisation_name": organisation.name if organisation else "",
        "case_reference": "CASE-EXAMPLE",
        "letter_date": f"{today:%d/%m/%Y}",
        "allegations": "Posted a photograph of a pupil's work showing the pupil's full name.",
        "clauses": "5.2 Personal communications (disrepute, confidentiality)",
        "evidence_list": "• screenshot.png\n• witness statement.pdf",
        "companion_rights": COMPANION_RIGHTS,
        "signatory": f"{signatory.get_full_name()}, {signatory.job_title}",
    }


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
