"""Queries about declared accounts that encode who may see what (clause 5)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from disclosures.checks import DEFAULT_WORDINGS, DisclaimerElement, OrganisationName, Wording
from disclosures.models import (
    DisclaimerWording,
    DisclosureReconfirmation,
    PersonalAccountDisclosure,
    RestrictedPostRecord,
)
from people.models import Organisation, OrganisationAlias, User
from people.rules import is_hr


def disclosures_visible_to(user: User) -> QuerySet[PersonalAccountDisclosure]:
    """HR sees every declared account; everyone else only their own."""
    qs = PersonalAccountDisclosure.objects.select_related("employee", "employee__organisation")
    if is_hr(user):
        return qs
    return qs.filter(employee_id=user.pk)


def disclosure_get_for_user(user: User, pk: int) -> PersonalAccountDisclosure:
    try:
        return disclosures_visible_to(user).get(pk=pk)
    except PersonalAccountDisclosure.DoesNotExist as exc:
        raise Http404("No such declared account.") from exc


def organisation_names_for(employee: User) -> list[OrganisationName]:
    """The names the 5.3 check looks for: the employee's school (if any) and the council, with aliases."""
    org = employee.organisation
    if org is None:
        return []
    orgs: list[Organisation] = [org]
    if org.kind == Organisation.Kind.SCHOOL and org.parent is not None:
        orgs.append(org.parent)
    names = [OrganisationName(o.name, o.name) for o in orgs]
    aliases = OrganisationAlias.objects.filter(organisation__in=orgs).select_related("organisation")
    names += [
        OrganisationName(a.alias, a.organisation.name, a.kind == OrganisationAlias.Kind.ABBREVIATION) for a in aliases
    ]
    return names


def active_wordings() -> list[Wording]:
    """HR's configured wordings; the built-in list only if HR has none in use at all."""
    rows = DisclaimerWording.objects.filter(is_active=True).values_list("pattern", "element")
    wordings = [Wording(p, DisclaimerElement(e)) for p, e in rows]
    return wordings or list(DEFAULT_WORDINGS)


def reconfirm_every() -> dt.timedelta:
    return dt.timedelta(days=settings.DISCLOSURE_RECONFIRM_DAYS)


def last_reconfirmation(user: User) -> DisclosureReconfirmation | None:
    return DisclosureReconfirmation.objects.filter(employee=user).order_by("-confirmed_at").first()


def reconfirmation_due(user: User) -> bool:
    """Due when someone has declared accounts and has not confirmed them within the period."""
    accounts = PersonalAccountDisclosure.objects.filter(employee=user)
    if not accounts.exists():
        return False
    last = last_reconfirmation(user)
    since = last.confirmed_at if last else accounts.order_by("submitted_at").values_list("submitted_at", flat=True)[0]
    return timezone.now() - since >= reconfirm_every()


def employees_due_to_reconfirm() -> QuerySet[User]:
    """Employees whose declared accounts were last confirmed (or first declared) a period ago or more."""
    cutoff = timezone.now() - reconfirm_every()
    return (
        User.objects.active()
        .annotate(
            accounts=Count("personal_accounts", distinct=True),
            first_declared=Min("personal_accounts__submitted_at"),
            last_confirmed=Max("disclosure_reconfirmations__confirmed_at"),
        )
        .filter(accounts__gt=0)
        .filter(Q(last_confirmed__lte=cutoff) | Q(last_confirmed__isnull=True, first_declared__lte=cutoff))
    )


def current_restriction(user: User) -> RestrictedPostRecord | None:
    return RestrictedPostRecord.objects.filter(employee=user, lifted_at__isnull=True).first()


def restriction_notice_due(user: User) -> bool:
    """A holder of a politically restricted post who has not acknowledged the 5.6 notice."""
    if not getattr(user, "politically_restricted", False):
        return False
    record = current_restriction(user)
    return record is None or record.acknowledged_at is None


def restricted_post_holders() -> QuerySet[User]:
    return (
        User.objects.filter(politically_restricted=True)
        .select_related("organisation")
        .prefetch_related("restricted_post_records")
        .order_by("last_name", "first_name")
    )
