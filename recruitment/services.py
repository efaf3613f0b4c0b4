"""Recruitment actions: vacancies, applicants and the guarded log of social media searches (clause 6.1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.services import audit_record
from core.permissions import require
from people.models import Organisation, Role, User
from people.notifications import notify
from recruitment.models import Applicant, CandidateSearch, Vacancy
from recruitment.selectors import applicant_matching


def vacancy_create(
    *, actor: User, reference: str, title: str, organisation: Organisation, closing_date: dt.date | None = None
) -> Vacancy:
    require(actor, "recruitment.manage_vacancies")
    try:
        with transaction.atomic():
            vacancy = Vacancy(
                reference=reference.strip(),
                title=title.strip(),
                organisation=organisation,
                closing_date=closing_date,
                created_by=actor,
            )
            vacancy.full_clean(validate_unique=False, validate_constraints=False)
            if Vacancy.objects.filter(reference__iexact=vacancy.reference).exists():
                raise ValidationError({"reference": "A vacancy with this reference exists already."})
            vacancy.save()
            audit_record(actor=actor, action="vacancy.created", obj=vacancy)
    except IntegrityError as exc:  # a simultaneous request took the reference first
        raise ValidationError({"reference": "A vacancy with this reference exists already."}) from exc
    return vacancy


def vacancy_set_status(*, actor: User, vacancy: Vacancy, status: str) -> Vacancy:
    require(actor, "recruitment.manage_vacancies")
    if status not in Vacancy.Status.values:
        raise ValidationError({"status": "Choose a listed status."})
    with transaction.atomic():
        locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        before, locked.status = locked.status, status
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="vacancy.status_changed", obj=locked, details={"from": before, "to": status})
    return locked


def applicant_add(*, actor: User, vacancy: Vacancy, full_name: str, email: str) -> Applicant:
    require(actor, "recruitment.manage_vacancies")
    try:
        with transaction.atomic():
            applicant = Applicant(vacancy=vacancy, full_name=full_name.strip(), email=email.strip(), added_by=actor)
            # The status is the workflow's to set (a new applicant has applied), not a field to clean.
            applicant.full_clean(exclude=["status"], validate_unique=False, validate_constraints=False)
            if vacancy.applicants.filter(email__iexact=applicant.email).exists():
                raise ValidationError({"email": "This person has already applied for this vacancy."})
            applicant.save()
            audit_record(actor=actor, action="applicant.added", obj=applicant, organisation_id=vacancy.organisation_id)
    except IntegrityError as exc:  # a double-submitted form
        raise ValidationError({"email": "This person has already applied for this vacancy."}) from exc
    return applicant


def applicant_set_status(*, actor: User, applicant: Applicant, status: str) -> Applicant:
    require(actor, "recruitment.manage_vacancies")
    """Move an applicant along the selection workflow (Applicant's transitions); a move it does not declare,
    such as back from appointed to applied, is refused."""
    if status not in Applicant.Status.values:
        raise ValidationError({"status": "Choose a listed status."})
    with transaction.atomic():
        locked = Applicant.objects.select_for_update().select_related("vacancy").get(pk=applicant.pk)
        before = locked.status
        move = next((t for t in locked.get_available_status_transitions() if t.target == status), None)  # type: ignore[attr-defined]
        if move is None:
            raise ValidationError(
                {
                    "status": f"An applicant who is “{locked.get_status_display().lower()}” cannot be moved to "
                    f"“{Applicant.Status(status).label.lower()}”."
                }
            )
        getattr(locked, move.name)()
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="applicant.status_changed",
            obj=locked,
            organisation_id=locked.vacancy.organisation_id,
            details={"from": before, "to": status},
        )
    return locked


def candidate_search_log(
    *,
    actor: User,
    platform: str,
    subject_name: str,
    purpose: str,
    reason: str,
    subject_email: str = "",
    subject_profile_url: str = "",
    sourcing_evidence: str = "",
) -> CandidateSearch:
    """Log a social media search on a person. Clause 6.1 allows it only to find candidates, never on an
    applicant in selection: otherwise the search is refused, and the refusal is logged."""
    require(actor, "recruitment.log_search")
    if not subject_name.strip():
        raise ValidationError({"subject_name": "Enter the name of the person."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why you want to search."})
    if purpose == CandidateSearch.Purpose.SOURCING and not sourcing_evidence.strip():
        raise ValidationError(
            {"sourcing_evidence": "For candidate sourcing, record how you know the person is seeking employers."}
        )
    refusals: list[str] = []
    if purpose != CandidateSearch.Purpose.SOURCING:
        refusals.append(
            "Clause 6.1: HR and managers search people on social media only to find candidates; "
            f"“{CandidateSearch.Purpose(purpose).label}” is not candidate sourcing."
        )
    matched = applicant_matching(name=subject_name, email=subject_email)
    if matched is not None:
        how = (
            "email address"
            if subject_email and subject_email.strip().casefold() == matched.email.casefold()
            else "name"
        )
        refusals.append(
            f"Clause 6.1: the {how} matches {matched.full_name}, an applicant in selection for "
            f"{matched.vacancy}. Applicants are not searched during selection, so that their protected "
            "characteristics can play no part in the decision."
        )
    with transaction.atomic():
        search = CandidateSearch.objects.create(
            searched_by=actor,
            platform=platform,
            subject_name=subject_name.strip(),
            subject_email=subject_email.strip(),
            subject_profile_url=subject_profile_url.strip(),
            purpose=purpose,
            reason=reason.strip(),
            sourcing_evidence=sourcing_evidence.strip(),
            outcome=CandidateSearch.Outcome.REFUSED if refusals else CandidateSearch.Outcome.ALLOWED,
            refusal_reasons=refusals,
            matched_applicant=matched,
        )
        audit_record(
            actor=actor,
            action="candidate_search.refused" if refusals else "candidate_search.logged",
            obj=search,
            details={"purpose": purpose, "platform": platform, "matched_applicant": matched.pk if matched else None},
        )
        if refusals:
            heads = User.objects.filter(is_active=True, role_assignments__role=Role.HEAD_OF_HR).exclude(pk=actor.pk)
            notify(
                recipients=list(heads.distinct()),
                subject="A social media search on a person was refused",
                template="recruitment/email/search_refused.txt",
                context={"search": search},
                url=reverse("recruitment:search_list") + "?outcome=refused",
            )
    return search
