"""Who sees which surveillance request (7.2); each getter 404s for anyone without access."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from cases.models import case_names
from people.models import Role, User
from people.selectors import has_role
from surveillance.models import SurveillanceDecision, SurveillanceObservation, SurveillanceRequest


def surveillance_visible_to(user: User) -> QuerySet[SurveillanceRequest]:
    """HR see every request on a case that does not name them; an investigating officer sees the requests
    on the cases they investigate; nobody else sees any."""
    qs = SurveillanceRequest.objects.select_related(
        "case__subject", "case__organisation", "requested_by", "approved_by"
    ).with_phase()
    if has_role(user, Role.HR_OFFICER) or has_role(user, Role.HEAD_OF_HR):
        pass
    elif has_role(user, Role.INVESTIGATOR):
        qs = qs.filter(case__investigating_officer=user)
    else:
        return qs.none()
    return qs.exclude(case_names(user.pk, through="case"))


def surveillance_get_for_user(user: User, pk: int) -> SurveillanceRequest:
    request = (
        SurveillanceRequest.objects.select_related(
            "case__subject__organisation", "case__investigating_officer", "requested_by", "approved_by", "closed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if request is None or not user.has_perm("surveillance.view_surveillance", request):
        raise Http404("No such surveillance request.")
    return request


def observation_get_for_user(user: User, pk: int) -> SurveillanceObservation:
    observation = (
        SurveillanceObservation.objects.select_related("request__case__subject", "recorded_by").filter(pk=pk).first()
    )
    if observation is None or not user.has_perm("surveillance.view_surveillance", observation.request):
        raise Http404("No such observation.")
    return observation


def surveillance_for_case(user: User, case) -> list[SurveillanceRequest]:
    if not user.has_perm("surveillance.view_surveillance", case):
        return []
    return list(case.surveillance_requests.select_related("requested_by").with_phase().order_by("-requested_at"))


def upcoming(user: User, *, days: int = 14, today: dt.date | None = None) -> dict[str, list[SurveillanceRequest]]:
    """Running or approved requests whose review date or end falls within the next `days` days."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=days)
    approved = surveillance_visible_to(user).filter(status=SurveillanceRequest.Status.APPROVED, ends_on__gte=today)
    return {
        "reviews": list(approved.filter(review_on__gte=today, review_on__lte=horizon).order_by("review_on", "pk")),
        "ends": list(approved.filter(ends_on__lte=horizon).order_by("ends_on", "pk")),
    }


def yearly_figures(user: User) -> list[dict]:
    """For oversight reports: per calendar year of request, how many were requested, approved (at any
    time, even if later revoked or completed), rejected and revoked."""
    approved_ever = SurveillanceDecision.objects.filter(request_id=OuterRef("pk"), decision="approve")
    rows = (
        surveillance_visible_to(user)
        .annotate(year=ExtractYear("requested_at"), was_approved=Exists(approved_ever))
        .values("year")
        .annotate(
            requested=Count("pk"),
            approved=Count("pk", filter=Q(was_approved=True)),
            rejected=Count("pk", filter=Q(status=SurveillanceRequest.Status.REJECTED)),
            revoked=Count("pk", filter=Q(status=SurveillanceRequest.Status.REVOKED)),
        )
        .order_by("-year")
    )
    return [dict(row) for row in rows]


def awaiting_decision(user: User) -> QuerySet[SurveillanceRequest]:
    return (
        surveillance_visible_to(user)
        .filter(status=SurveillanceRequest.Status.REQUESTED)
        .exclude(requested_by=user)
        .order_by("requested_at")
    )
