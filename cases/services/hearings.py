"""The disciplinary hearing: scheduled with reasonable notice, then recorded as held before any outcome (ACAS Code of
Practice on disciplinary procedures: tell the employee in writing, hold a meeting where they may be accompanied)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseEntry, LetterKind
from cases.services._common import tell
from cases.services.casework import lock_case, status_entry
from cases.services.letters import case_letter_make
from core.permissions import require
from people.models import User


@cache
def _bank_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (the day itself not counted)."""
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def earliest_hearing_date(today: dt.date | None = None) -> dt.date:
    """The first day a hearing may be held with the usual notice given today."""
    return working_days_after(today or timezone.localdate(), settings.CASES_HEARING_NOTICE_WORKING_DAYS)


def case_hearing_schedule(
    *, actor: User, case: Case, hearing_at: dt.datetime, panel: str, short_notice_reason: str = ""
) -> Case:
    """Schedule (or move, for instance after an adjournment) the hearing: in the future, with the usual notice
    unless a reason for shorter notice is recorded."""
    require(actor, "cases.manage_case", case)
    errors = {}
    if not panel.strip():
        errors["panel"] = "Name the hearing panel."
    earliest = earliest_hearing_date()
    if hearing_at <= timezone.now():
        errors["hearing_at"] = "A hearing must be scheduled in the future."
    elif timezone.localtime(hearing_at).date() < earliest and not short_notice_reason.strip():
        errors["short_notice_reason"] = (
            f"The employee should have {settings.CASES_HEARING_NOTICE_WORKING_DAYS} working days' notice: "
            f"the earliest date is {earliest:%d/%m/%Y}. For an earlier hearing, record why."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.INVESTIGATING, Case.Status.HEARING), doing="schedule a hearing")
        if not case.finding:
            raise ValidationError({"hearing_at": "The investigating officer has not recorded a finding yet."})
        if case.hearing_held:
            raise ValidationError("The hearing has already been held; record the outcome.")
        before, moved_from = case.status, case.hearing_at
        short = timezone.localtime(hearing_at).date() < earliest
        case.hearing_at, case.hearing_panel = hearing_at, panel.strip()
        case.hearing_notice_reason = short_notice_reason.strip() if short else ""
        if case.status == Case.Status.INVESTIGATING:
            case.schedule_hearing()
        case.save()
        if before != case.status:
            status_entry(case, actor, before)
        when = timezone.localtime(hearing_at).strftime("%d/%m/%Y %H:%M")
        moved = f"Hearing moved from {timezone.localtime(moved_from):%d/%m/%Y %H:%M} to " if moved_from else ""
        CaseEntry.objects.create(
            case=case,
            kind=CaseEntry.Kind.HEARING,
            author=actor,
            body=(moved or "Hearing on ")
            + f"{when} before {case.hearing_panel}."
            + (f" Short notice: {case.hearing_notice_reason}" if short else ""),
        )
        audit_record(
            actor=actor,
            action="case.hearing_scheduled",
            obj=case,
            details={"at": hearing_at, "panel": panel, "short_notice": case.hearing_notice_reason},
        )
        case_letter_make(actor=actor, case=case, kind=LetterKind.HEARING_INVITATION)
        tell(
            [case.subject],
            "Disciplinary hearing",
            f"A disciplinary hearing is arranged for {when}. You may be accompanied by a colleague or a trade "
            "union representative. Your letter of invitation is ready to read.",
            case.get_subject_url(),
        )
    return case


def case_hearing_record_held(
    *,
    actor: User,
    case: Case,
    attended: str,
    accompanied: bool | None,
    companion: str = "",
    adjournments: str = "",
) -> Case:
    """HR records that the hearing took place: who attended, whether the employee was accompanied and by whom,
    and any adjournments. Only then can an outcome be recorded."""
    require(actor, "cases.manage_case", case)
    errors = {}
    if not attended.strip():
        errors["attended"] = "Say who attended the hearing."
    if accompanied is None:
        errors["accompanied"] = "Say whether the employee was accompanied."
    elif accompanied and not companion.strip():
        errors["companion"] = "Name the companion and say whether a colleague or a trade union representative."
    elif not accompanied and companion.strip():
        errors["companion"] = "Leave this empty when the employee was not accompanied."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = lock_case(case, states=(Case.Status.HEARING,), doing="record the hearing")
        if case.hearing_held:
            raise ValidationError("The hearing is already recorded as held.")
        if case.hearing_at is None or case.hearing_at > timezone.now():
            when = timezone.localtime(case.hearing_at).strftime("%d/%m/%Y %H:%M") if case.hearing_at else "not set"
            raise ValidationError(f"The hearing is on {when}: record it once it has taken place.")
        case.hearing_held_at = timezone.now()
        case.hearing_attended = attended.strip()
        case.hearing_accompanied = accompanied
        case.hearing_companion = companion.strip()
        case.hearing_adjournments = adjournments.strip()
        case.save()
        CaseEntry.objects.create(
            case=case,
            kind=CaseEntry.Kind.HEARING,
            author=actor,
            body=f"Hearing held on {timezone.localtime(case.hearing_at):%d/%m/%Y}. Attended: {case.hearing_attended}. "
            + (f"Accompanied by {case.hearing_companion}." if accompanied else "Not accompanied.")
            + (f" Adjournments: {case.hearing_adjournments}" if case.hearing_adjournments else ""),
        )
        audit_record(
            actor=actor,
            action="case.hearing_held",
            obj=case,
            details={"accompanied": accompanied, "adjourned": bool(case.hearing_adjournments)},
        )
    return case
