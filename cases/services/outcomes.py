"""Disciplinary outcomes, appeals and closing a case (clauses 7.1, 7.3; issue items 6, 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Appeal, Case, Clause, DisciplinaryOutcome, LetterKind
from cases.services._common import tell
from cases.services.casework import lock_case, status_entry
from cases.services.letters import case_letter_make
from core.permissions import require
from people.models import User
from people.selectors import hr_staff

Kind = DisciplinaryOutcome.Kind


def _not_yet(case: Case) -> str | None:
    """Why no outcome can be recorded on the case yet, or None: an outcome only follows a held hearing."""
    if case.status == Case.Status.INVESTIGATING:
        return "An outcome can only follow a disciplinary hearing: schedule the hearing first."
    if case.status != Case.Status.HEARING:
        return f"{case.reference} is {case.get_status_display().lower()}: you cannot record an outcome now."
    if case.hearing_at is None:
        return "An outcome can only follow a disciplinary hearing: schedule the hearing first."
    if case.hearing_at > timezone.now():
        return (
            f"The hearing is on {timezone.localtime(case.hearing_at):%d/%m/%Y %H:%M}: "
            "an outcome can only be recorded after it has been held."
        )
    if not case.hearing_held:
        return "Record that the hearing took place (who attended, whether the employee was accompanied) first."
    return None


def outcome_check(
    *,
    actor: User,
    case: Case,
    kind: str,
    reasons: str,
    clauses_breached: list[str],
    serious_breach: str = "",
    serious_breach_finding: str = "",
    warning_expires_on: dt.date | None = None,
) -> None:
    """Everything `outcome_record` refuses, checked without recording: the outcome page runs it before asking
    HR to confirm, so that nobody confirms an outcome that would then be refused."""
    require(actor, "cases.manage_case", case)
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose an outcome."
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision."
    if any(c not in Clause.values for c in clauses_breached):
        errors["clauses_breached"] = "Choose clauses from the list."
    elif kind != Kind.NO_CASE and not clauses_breached:
        errors["clauses_breached"] = "Cite the clauses breached; the letter quotes them."
    elif kind == Kind.NO_CASE and clauses_breached:
        errors["clauses_breached"] = "With no case to answer, no clause was breached."
    if kind == Kind.SUMMARY_DISMISSAL and (not serious_breach or not serious_breach_finding.strip()):
        errors["serious_breach_finding"] = (
            "Summary dismissal for gross misconduct needs a recorded finding of a serious breach (7.3)."
        )
    if kind in DisciplinaryOutcome.WARNINGS:
        if warning_expires_on is None:
            errors["warning_expires_on"] = "A warning needs the date it expires."
        elif warning_expires_on <= timezone.localdate():
            errors["warning_expires_on"] = "The expiry date must be in the future."
    elif warning_expires_on is not None:
        errors["warning_expires_on"] = "Only warnings carry an expiry date."
    if errors:
        raise ValidationError(errors)
    if actor.pk == case.investigating_officer_id:
        raise ValidationError("The investigating officer cannot also decide the outcome.")
    refusal = _not_yet(case)
    if refusal:
        raise ValidationError(refusal)


def outcome_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    reasons: str,
    clauses_breached: list[str],
    serious_breach: str = "",
    serious_breach_finding: str = "",
    warning_expires_on: dt.date | None = None,
) -> DisciplinaryOutcome:
    """The decision after the hearing has been held; the employee is told at once."""
    check: dict[str, Any] = dict(
        kind=kind,
        reasons=reasons,
        clauses_breached=clauses_breached,
        serious_breach=serious_breach,
        serious_breach_finding=serious_breach_finding,
        warning_expires_on=warning_expires_on,
    )
    outcome_check(actor=actor, case=case, **check)
    with transaction.atomic():
        case = lock_case(case)
        outcome_check(actor=actor, case=case, **check)  # again under the lock: the hearing may have moved
        before = case.status
        try:
            with transaction.atomic():
                outcome = DisciplinaryOutcome.objects.create(
                    case=case,
                    kind=kind,
                    reasons=reasons,
                    clauses_breached=list(dict.fromkeys(clauses_breached)),
                    serious_breach=serious_breach if kind == Kind.SUMMARY_DISMISSAL else "",
                    serious_breach_finding=serious_breach_finding if kind == Kind.SUMMARY_DISMISSAL else "",
                    warning_expires_on=warning_expires_on,
                    decided_by=actor,
                )
        except IntegrityError as exc:
            raise ValidationError("An outcome is already recorded on this case.") from exc
        case.record_outcome()
        case.save()
        status_entry(case, actor, before)
        case_letter_make(actor=actor, case=case, kind=LetterKind.OUTCOME)
        audit_record(
            actor=actor,
            action="case.outcome_recorded",
            obj=case,
            details={"outcome": kind, "clauses": outcome.clauses_breached, "expires": warning_expires_on},
        )
        tell(
            [case.subject],
            f"The outcome of case {case.reference}",
            f"The outcome is: {outcome.get_kind_display()}. Your letter is ready to read"
            + (f"; you may appeal until {outcome.appeal_deadline:%d/%m/%Y}." if outcome.appealable else "."),
            case.get_subject_url(),
        )
        tell(
            _investigating_officer(case, actor),
            f"Outcome recorded on {case.reference}",
            f"The outcome of case {case.reference}, which you investigated, is recorded: "
            f"{outcome.get_kind_display()}"
            + (f", citing clauses {', '.join(outcome.clauses_breached)}." if outcome.clauses_breached else ".")
            + (
                f" The employee may appeal until {outcome.appeal_deadline:%d/%m/%Y}."
                if outcome.appealable
                else " There is nothing to appeal."
            ),
            case.get_absolute_url(),
        )
    return outcome


def _investigating_officer(case: Case, actor: User) -> list[User]:
    """The case's investigating officer, told how the case they investigated ended (7.1, 7.3); not when they
    are the one acting, nor once they have left."""
    officer = case.investigating_officer
    if officer is None or not officer.is_active or officer.pk in (actor.pk, case.subject_id):
        return []
    return [officer]


def appeal_lodge(*, actor: User, case: Case, grounds: str) -> Appeal:
    require(actor, "cases.lodge_appeal", case)
    if not grounds.strip():
        raise ValidationError({"grounds": "Explain why you are appealing."})
    with transaction.atomic():
        case = lock_case(case)
        if hasattr(case, "appeal"):
            raise ValidationError("You have already appealed; the appeal is being considered.")
        if case.status != Case.Status.OUTCOME_RECORDED:
            raise ValidationError("There is no outcome open to appeal on this case.")
        outcome = case.outcome
        if not outcome.appealable:
            raise ValidationError("There is nothing to appeal: the finding was no case to answer.")
        if timezone.localdate() > outcome.appeal_deadline:
            raise ValidationError(f"The time to appeal ended on {outcome.appeal_deadline:%d/%m/%Y}.")
        appeal = Appeal.objects.create(case=case, grounds=grounds)
        before = case.status
        case.lodge_appeal()
        case.save()
        status_entry(case, actor, before)
        audit_record(actor=actor, action="case.appeal_lodged", obj=case)
        tell(
            [u for u in hr_staff() if u.pk != case.subject_id],
            f"Appeal lodged on {case.reference}",
            "The employee has appealed. It must be heard by someone who has not handled the case.",
            case.get_absolute_url(),
        )
    return appeal


def appeal_decide(*, actor: User, case: Case, decision: str, reasons: str, varied_to: str = "") -> Appeal:
    """The actor hears the appeal; they must not have handled or been named in the case."""
    require(actor, "cases.decide_appeal", case)
    errors = {}
    if decision not in Appeal.Decision.values:
        errors["decision"] = "Choose the decision."
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision."
    if decision == Appeal.Decision.VARIED:
        if varied_to not in Kind.values:
            errors["varied_to"] = "Choose the outcome it is varied to."
        elif varied_to == case.outcome.kind:
            errors["varied_to"] = "A varied outcome must differ from the original."
        elif varied_to == Kind.SUMMARY_DISMISSAL:
            errors["varied_to"] = "An appeal cannot make the outcome more severe than summary dismissal allows here."
    elif varied_to:
        errors["varied_to"] = "Only a varied outcome names a new one."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.APPEAL,), doing="decide the appeal")
        appeal = Appeal.objects.select_for_update().get(case=case)
        appeal.decision, appeal.decision_reasons, appeal.varied_to = decision, reasons, varied_to
        appeal.heard_by, appeal.decided_at = actor, timezone.now()
        appeal.save()
        before = case.status
        case.close()
        case.save()
        status_entry(case, actor, before)
        case_letter_make(actor=actor, case=case, kind=LetterKind.APPEAL_OUTCOME)
        audit_record(
            actor=actor, action="case.appeal_decided", obj=case, details={"decision": decision, "varied_to": varied_to}
        )
        tell(
            [case.subject],
            f"Your appeal on {case.reference} has been decided",
            f"Decision: {appeal.get_decision_display()}. Your letter is ready to read.",
            case.get_subject_url(),
        )
        tell(
            _investigating_officer(case, actor),
            f"Appeal decided on {case.reference}",
            f"The employee's appeal on case {case.reference}, which you investigated, has been decided: "
            f"{appeal.get_decision_display()}"
            + (f", to {Kind(varied_to).label}." if varied_to else ".")
            + " The case is now closed.",
            case.get_absolute_url(),
        )
    return appeal


def case_close(*, actor: User, case: Case) -> Case:
    require(actor, "cases.manage_case", case)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.OUTCOME_RECORDED,), doing="close it")
        outcome = case.outcome
        if outcome.appealable and timezone.localdate() <= outcome.appeal_deadline:
            raise ValidationError(
                f"The employee may appeal until {outcome.appeal_deadline:%d/%m/%Y}; close it after that."
            )
        before = case.status
        case.close()
        case.save()
        status_entry(case, actor, before)
        audit_record(actor=actor, action="case.closed", obj=case)
        tell(
            [case.subject],
            f"Case {case.reference} is closed",
            "The case about you is now closed.",
            case.get_subject_url(),
        )
    return case
