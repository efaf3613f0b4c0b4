"""Every way a case ends before an outcome, and reopening one (ACAS: a case may stop at any stage, for a reason)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import EARLY_ENDINGS, Case, CaseEntry, Ending
from cases.services._common import tell
from cases.services.casework import lock_case, status_entry
from core.permissions import require
from people.models import User

# What the employee is told when their case ends early; a referral is not described to them here (the police or
# the LADO may need to act first), only that the school's own process has stopped.
_TOLD = {
    Ending.WITHDRAWN: "The allegation has been withdrawn and the case about you is closed.",
    Ending.NO_CASE_TO_ANSWER: "The investigation found no case to answer; the case about you is closed.",
    Ending.RESIGNED: "The case about you is closed because you have left; its record is kept.",
    Ending.CONTRACT_ENDED: "The case about you is closed because your contract has ended; its record is kept.",
}


def case_end_early(*, actor: User, case: Case, ending: str, reason: str) -> Case:
    """Close a case before any outcome: allegation withdrawn, no case to answer (after the investigation, before a
    hearing is held), the employee resigned or their contract ended (the case is kept, marked so), or referred to
    the police, the LADO or a professional regulator. Any precautionary suspension ends with it."""
    require(actor, "cases.manage_case", case)
    errors = {}
    if ending not in EARLY_ENDINGS:
        errors["ending"] = "Choose how the case ends."
    if not reason.strip():
        errors["reason"] = "Give the reason; it stays on the case's timeline."
    if errors:
        raise ValidationError(errors)
    ending = Ending(ending)
    with transaction.atomic():
        case = lock_case(
            case, states=(Case.Status.OPEN, Case.Status.INVESTIGATING, Case.Status.HEARING), doing="close it early"
        )
        if ending == Ending.NO_CASE_TO_ANSWER:
            if not case.finding:
                raise ValidationError({"ending": "No case to answer follows the investigation: wait for its finding."})
            if case.hearing_held:
                raise ValidationError({"ending": "The hearing has been held: record the outcome instead."})
        before = case.status
        case.end_early(ending, reason.strip())
        if case.is_suspended:
            case.suspension_lifted_on = timezone.localdate()
        case.save()
        status_entry(case, actor, before)
        CaseEntry.objects.create(
            case=case, kind=CaseEntry.Kind.CLOSURE, author=actor, body=f"{ending.label}: {case.closure_reason}"
        )
        audit_record(actor=actor, action="case.closed_early", obj=case, details={"ending": ending.value})
        if case.subject.is_active:
            tell(
                [case.subject],
                f"Case {case.reference} is closed",
                _TOLD.get(ending, "The school's disciplinary process about you has stopped; HR will write to you."),
                case.get_subject_url(),
            )
        officer = case.investigating_officer
        if officer is not None and officer.is_active and officer.pk != actor.pk:
            tell(
                [officer],
                f"{case.reference} is closed",
                f"The case you were investigating is closed: {ending.label.lower()}.",
                case.get_absolute_url(),
            )
    return case


def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """Reopen a case closed early, for a reason (new evidence, the employee returns, a referral handed back).
    A decided case is not reopened: new concerns open a new case."""
    require(actor, "cases.manage_case", case)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for reopening, for example the new evidence."})
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.CLOSED,), doing="reopen it")
        if not case.closed_early:
            raise ValidationError("A case decided at a hearing is not reopened; open a new case for a new concern.")
        ended_as = Ending(case.closed_as).label
        before = case.status
        case.reopen()
        case.save()
        status_entry(case, actor, before)
        CaseEntry.objects.create(
            case=case,
            kind=CaseEntry.Kind.REOPENED,
            author=actor,
            body=f"Reopened (it had closed as: {ended_as.lower()}): {reason.strip()}",
        )
        audit_record(actor=actor, action="case.reopened", obj=case, details={"was": ended_as, "reason": reason})
        if case.subject.is_active:
            tell(
                [case.subject],
                f"Case {case.reference} is reopened",
                "The case about you has been reopened; HR will write to you about what happens next.",
                case.get_subject_url(),
            )
    return case
