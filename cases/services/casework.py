"""Running a case: investigating officer, timeline, deadlines and suspension (the hearing is in hearings.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseDeadline, CaseEntry, LetterKind
from cases.services._common import tell
from cases.services.letters import case_letter_make
from core.permissions import require
from people.models import Role, User
from people.selectors import has_role

INVESTIGATOR_ROLES = (Role.INVESTIGATOR, Role.HR_OFFICER, Role.HEAD_OF_HR, Role.HEADTEACHER)


def lock_case(case: Case, *, states: tuple[str, ...] | None = None, doing: str = "do that") -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if states is not None and locked.status not in states:
        raise ValidationError(f"{locked.reference} is {locked.get_status_display().lower()}: you cannot {doing} now.")
    return locked


def status_entry(case: Case, actor: User, before: str) -> None:
    text = f"{Case.Status(before).label} → {case.get_status_display()}"
    CaseEntry.objects.create(case=case, kind=CaseEntry.Kind.STATUS, author=actor, body=text)


def investigator_conflict(case: Case, officer: User) -> str | None:
    """Why this person may not investigate the case, or None if they may."""
    if officer.pk == case.subject_id:
        return f"{officer} is the subject of the case."
    involved = case.people_involved()
    if officer.pk == case.subject.line_manager_id and officer.pk in involved:
        return f"{officer} is the subject's line manager and a party to the case."
    if officer.pk in involved:
        return f"{officer} is named in the case."
    if not officer.is_active:
        return f"{officer} is no longer active."
    if not any(has_role(officer, role) for role in INVESTIGATOR_ROLES):
        return f"{officer} does not hold a role that investigates cases."
    return None


def case_assign_investigator(*, actor: User, case: Case, officer: User) -> Case:
    require(actor, "cases.manage_case", case)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.OPEN, Case.Status.INVESTIGATING), doing="assign an officer")
        conflict = investigator_conflict(case, officer)
        if conflict:
            raise ValidationError({"officer": conflict})
        previous = case.investigating_officer
        case.investigating_officer = officer
        before = case.status
        if case.status == Case.Status.OPEN:
            case.start_investigation()
        case.save()
        if before != case.status:
            status_entry(case, actor, before)
        CaseEntry.objects.create(
            case=case, kind=CaseEntry.Kind.NOTE, author=actor, body=f"Investigating officer: {officer}."
        )
        audit_record(
            actor=actor,
            action="case.investigator_assigned",
            obj=case,
            details={"officer": officer.pk, "previous": previous.pk if previous else None},
        )
        tell(
            [officer],
            f"You are investigating {case.reference}",
            "HR has assigned this case to you.",
            case.get_absolute_url(),
        )
        if previous is not None and previous.pk != officer.pk:
            tell(
                [previous],
                f"{case.reference} has a new investigating officer",
                f"HR has handed the case to {officer}; you are no longer investigating it.",
                reverse("cases:case_list"),
            )
    return case


def case_note_add(*, actor: User, case: Case, body: str) -> CaseEntry:
    require(actor, "cases.investigate_case", case)
    if not body.strip():
        raise ValidationError({"body": "Write the note."})
    with transaction.atomic():
        case = lock_case(
            case, states=Case.ACTIVE_STATES + (Case.Status.OUTCOME_RECORDED, Case.Status.APPEAL), doing="add notes"
        )
        entry = CaseEntry.objects.create(case=case, kind=CaseEntry.Kind.NOTE, author=actor, body=body)
        audit_record(actor=actor, action="case.note_added", obj=case, details={"entry": entry.pk})
    return entry


def case_interview_record(
    *,
    actor: User,
    case: Case,
    interviewed_at: dt.datetime,
    statement: str,
    summary: str = "",
    interviewee: User | None = None,
    interviewee_name: str = "",
) -> CaseEntry:
    require(actor, "cases.investigate_case", case)
    errors = {}
    if interviewee is None and not interviewee_name.strip():
        errors["interviewee"] = "Pick who was interviewed, or give their name."
    if interviewee is not None and interviewee.pk == case.investigating_officer_id:
        errors["interviewee"] = "The investigating officer cannot interview themselves."
    if interviewed_at > timezone.now():
        errors["interviewed_at"] = "An interview cannot be recorded before it happens."
    if not statement.strip():
        errors["statement"] = "Record the witness statement."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.INVESTIGATING,), doing="record interviews")
        entry = CaseEntry.objects.create(
            case=case,
            kind=CaseEntry.Kind.INTERVIEW,
            author=actor,
            body=summary,
            interviewee=interviewee,
            interviewee_name="" if interviewee else interviewee_name.strip(),
            witness_statement=statement,
            interviewed_at=interviewed_at,
        )
        audit_record(actor=actor, action="case.interview_recorded", obj=case, details={"entry": entry.pk})
    return entry


def case_finding_record(*, actor: User, case: Case, finding: str, serious_breach_found: bool) -> Case:
    require(actor, "cases.investigate_case", case)
    if not finding.strip():
        raise ValidationError({"finding": "Write the finding."})
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.INVESTIGATING,), doing="record a finding")
        if not case.entries.filter(kind=CaseEntry.Kind.INTERVIEW).exists():
            raise ValidationError({"finding": "Record at least one interview before the finding."})
        case.finding = finding
        case.serious_breach_found = serious_breach_found
        case.finding_recorded_at = timezone.now()
        case.save()
        CaseEntry.objects.create(case=case, kind=CaseEntry.Kind.FINDING, author=actor, body=finding)
        audit_record(
            actor=actor, action="case.finding_recorded", obj=case, details={"serious_breach": serious_breach_found}
        )
        tell(
            [case.opened_by],
            f"Finding recorded on {case.reference}",
            "The investigating officer has recorded a finding.",
            case.get_absolute_url(),
        )
    return case


def case_deadline_add(*, actor: User, case: Case, title: str, due_on: dt.date) -> CaseDeadline:
    require(actor, "cases.investigate_case", case)
    errors = {}
    if not title.strip():
        errors["title"] = "Say what is due."
    if due_on < timezone.localdate():
        errors["due_on"] = "A deadline cannot be in the past."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=Case.ACTIVE_STATES, doing="set deadlines")
        deadline = CaseDeadline.objects.create(case=case, title=title.strip(), due_on=due_on, created_by=actor)
        CaseEntry.objects.create(
            case=case, kind=CaseEntry.Kind.DEADLINE, author=actor, body=f"Deadline set: {deadline}."
        )
        audit_record(actor=actor, action="case.deadline_set", obj=case, details={"title": title, "due_on": due_on})
    return deadline


def case_deadline_met(*, actor: User, deadline: CaseDeadline) -> CaseDeadline:
    require(actor, "cases.investigate_case", deadline.case)
    with transaction.atomic():
        deadline = CaseDeadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.met_on is None:
            deadline.met_on = timezone.localdate()
            deadline.save(update_fields=["met_on"])
            CaseEntry.objects.create(
                case=deadline.case, kind=CaseEntry.Kind.DEADLINE, author=actor, body=f"Deadline met: {deadline.title}."
            )
            audit_record(actor=actor, action="case.deadline_met", obj=deadline.case, details={"deadline": deadline.pk})
    return deadline


def case_suspend(*, actor: User, case: Case, start: dt.date, reason: str, review_on: dt.date) -> Case:
    """Precautionary suspension while the investigation runs: not a sanction, reviewed on a set date."""
    require(actor, "cases.manage_case", case)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for suspending."
    if review_on < start:
        errors["review_on"] = "The review date must be on or after the start."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=Case.ACTIVE_STATES, doing="suspend")
        if case.is_suspended:
            raise ValidationError("The employee is already suspended on this case.")
        case.suspended_from, case.suspension_reason, case.suspension_review_on = start, reason.strip(), review_on
        case.suspension_lifted_on = None
        case.save()
        CaseEntry.objects.create(
            case=case,
            kind=CaseEntry.Kind.SUSPENSION,
            author=actor,
            body=f"Precautionary suspension from {start:%d/%m/%Y}, review on {review_on:%d/%m/%Y}: {reason}",
        )
        audit_record(actor=actor, action="case.suspended", obj=case, details={"from": start, "review_on": review_on})
        case_letter_make(actor=actor, case=case, kind=LetterKind.SUSPENSION)
        tell(
            [case.subject],
            "Precautionary suspension",
            f"You are suspended on full pay from {start:%d/%m/%Y} while a matter is investigated. "
            "This is not a disciplinary sanction. Your letter is ready to read.",
            case.get_subject_url(),
        )
    return case


def case_suspension_lift(*, actor: User, case: Case) -> Case:
    require(actor, "cases.manage_case", case)
    with transaction.atomic():
        case = lock_case(case)
        if not case.is_suspended:
            raise ValidationError("There is no suspension to lift.")
        case.suspension_lifted_on = timezone.localdate()
        case.save()
        CaseEntry.objects.create(case=case, kind=CaseEntry.Kind.SUSPENSION, author=actor, body="Suspension lifted.")
        audit_record(actor=actor, action="case.suspension_lifted", obj=case)
        tell([case.subject], "Suspension lifted", "Your precautionary suspension has ended.", case.get_subject_url())
    return case


def send_deadline_reminders(*, today: dt.date | None = None, days_ahead: int | None = None) -> int:
    """Remind the officer and HR of deadlines falling due; each deadline is reminded once."""
    from django.conf import settings

    from cases.selectors import deadlines_due_for_reminder

    today = today or timezone.localdate()
    days_ahead = settings.CASES_DEADLINE_REMINDER_DAYS if days_ahead is None else days_ahead
    sent = 0
    with transaction.atomic():
        for deadline in deadlines_due_for_reminder(today, days_ahead).select_for_update(of=("self",), skip_locked=True):
            case = deadline.case
            tell(
                [case.investigating_officer, case.opened_by],
                f"Deadline {'overdue' if deadline.due_on < today else 'due'} on {case.reference}",
                f"{deadline.title}: due {deadline.due_on:%d/%m/%Y}.",
                case.get_absolute_url(),
            )
            deadline.reminded_at = timezone.now()
            deadline.save(update_fields=["reminded_at"])
            sent += 1
    return sent
