"""Queries that encode who someone is and whom they may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from people.models import Organisation, PolicyAcknowledgement, PolicyVersion, Role, RoleAssignment, User


def _load_access(user: User) -> None:
    """The user's roles and whether anyone reports to them, in one query, kept on the user object.

    Every role and permission check of a request asks these (the two-step check, the view's permission, each
    navigation entry), and request.user is loaded afresh for every request, so the answers last exactly one
    request and never reach another user."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {User._meta.db_table} WHERE line_manager_id = %s), "
            f"ARRAY(SELECT role || ':' || organisation_id FROM {RoleAssignment._meta.db_table} WHERE user_id = %s)",
            [user.pk, user.pk],
        )
        has_reports, pairs = cursor.fetchone()
    user._role_cache = frozenset((role, int(org)) for role, _, org in (p.rpartition(":") for p in pairs))
    user._has_reports_cache = has_reports


def roles_of(user: User) -> frozenset[tuple[str, int]]:
    """The (role, organisation id) pairs a user holds, loaded once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        _load_access(user)
        cached = user._role_cache
    return cached or frozenset()


def has_role(user: User, role: str, organisation_id: int | None = None) -> bool:
    return any(r == role and (organisation_id is None or o == organisation_id) for r, o in roles_of(user))


def role_organisations(user: User, role: str) -> set[int]:
    return {o for r, o in roles_of(user) if r == role}


def is_line_manager(user: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_has_reports_cache", None)
    if cached is None:
        _load_access(user)
        cached = user._has_reports_cache
    return bool(cached)


def current_policy_version() -> PolicyVersion | None:
    from django.utils import timezone

    return (
        PolicyVersion.objects.filter(effective_from__lte=timezone.localdate())
        .order_by("-effective_from", "-published_at")
        .first()
    )


def policy_acknowledgement_due(user: User) -> PolicyVersion | None:
    """The current policy version if the user has not acknowledged it yet (one query: every page asks)."""
    from django.utils import timezone

    if not user.is_authenticated:
        return None
    version = (
        PolicyVersion.objects.filter(effective_from__lte=timezone.localdate())
        .annotate(
            acknowledged=Exists(PolicyAcknowledgement.objects.filter(policy_version=OuterRef("pk"), employee=user))
        )
        .order_by("-effective_from", "-published_at")
        .first()
    )
    if version is None or version.acknowledged:
        return None
    return version


def employees_visible_to(user: User) -> QuerySet[User]:
    """Employees whose record the user may open: HR sees the council, a head their school, a manager their chain."""
    qs = User.objects.select_related("organisation", "line_manager")
    if has_role(user, Role.HR_OFFICER) or has_role(user, Role.HEAD_OF_HR):
        return qs
    schools = role_organisations(user, Role.HEADTEACHER) | role_organisations(user, Role.BUSINESS_MANAGER)
    condition = (
        Q(pk=user.pk)
        | Q(line_manager=user)
        | Q(line_manager__line_manager=user)
        | Q(line_manager__line_manager__line_manager=user)
    )
    if schools:
        condition |= Q(organisation_id__in=schools)
    return qs.filter(condition)


def team_with_acknowledgement(manager: User) -> QuerySet[User]:
    version = current_policy_version()
    qs = manager.direct_reports.select_related("organisation").order_by("last_name", "first_name")
    if version is None:
        return qs
    return qs.annotate(
        acknowledged_current=Exists(
            PolicyAcknowledgement.objects.filter(employee=OuterRef("pk"), policy_version=version)
        )
    )


def organisation_acknowledgement_summary(organisation_ids: list[int] | None = None) -> list[dict]:
    """Staff and how many acknowledged the current policy, per organisation, in one query."""
    version = current_policy_version()
    orgs = Organisation.objects.all()
    if organisation_ids is not None:
        orgs = orgs.filter(pk__in=organisation_ids)
    staff = Q(employees__is_active=True)
    ack = staff & Q(employees__policy_acknowledgements__policy_version=version)
    rows = orgs.annotate(
        staff=Count("employees", filter=staff, distinct=True),
        acknowledged=Count("employees", filter=ack, distinct=True),
    ).order_by("kind", "name")
    return [
        {"organisation": o, "staff": o.staff, "acknowledged": o.acknowledged, "outstanding": o.staff - o.acknowledged}
        for o in rows
    ]


def hr_staff(*, exclude: Iterable[int] = ()) -> list[User]:
    """Everyone who is told about HR work: active HR officers and Heads of HR and OD, less `exclude`
    (user ids: the people a message is about must not receive it as HR)."""
    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=[Role.HR_OFFICER, Role.HEAD_OF_HR])
        .exclude(pk__in=list(exclude))
        .distinct()
    )
