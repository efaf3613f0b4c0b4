"""Making a case's letters (stored PDFs with their SHA-256) and editing their wording (the Head of HR)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.letters import DEFAULTS, check_wording, merge_fields, render_html, render_pdf, sha256_hex, wording
from cases.models import Case, CaseEntry, CaseLetter, LetterKind, LetterTemplate
from core.permissions import require
from people.models import User


def case_letter_make(*, actor: User, case: Case, kind: str) -> CaseLetter:
    """Make one letter as a PDF and store it on the case. Called by the service of the step it belongs to
    (suspension, hearing, outcome, appeal), inside that step's transaction."""
    kind = LetterKind(kind)
    title, body = wording(kind)
    pdf = render_pdf(render_html(case.organisation, title, body, merge_fields(case, signatory=actor)))
    letter = CaseLetter(case=case, kind=kind, sha256=sha256_hex(pdf), size=len(pdf), made_by=actor)
    letter.file.save(f"{case.reference}-{kind.value}.pdf", ContentFile(pdf), save=False)
    letter.save()
    made = f"Letter made: {kind.label} (SHA-256 {letter.sha256})."
    CaseEntry.objects.create(case=case, kind=CaseEntry.Kind.LETTER, author=actor, body=made)
    details = {"kind": kind.value, "sha256": letter.sha256}
    audit_record(actor=actor, action="case.letter_made", obj=case, details=details)
    return letter


def letter_template_update(*, actor: User, kind: str, title: str, body: str) -> LetterTemplate:
    """The Head of HR changes a letter's wording; letters already made keep the wording they were made with."""
    require(actor, "cases.edit_letter_templates")
    errors = {}
    if kind not in LetterKind.values:
        errors["kind"] = "Choose a kind of letter."
    if not title.strip():
        errors["title"] = "Give the letter a heading."
    if not body.strip():
        errors["body"] = "Write the letter."
    else:
        try:
            check_wording(body)
        except ValidationError as exc:
            errors["body"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template, _ = LetterTemplate.objects.select_for_update().update_or_create(
            kind=kind,
            defaults={"title": title.strip(), "body": body, "updated_by": actor, "updated_at": timezone.now()},
        )
        audit_record(actor=actor, action="cases.letter_template_updated", obj=template, details={"kind": kind})
    return template


def default_wording(kind: str) -> tuple[str, str]:
    return DEFAULTS[LetterKind(kind)]
