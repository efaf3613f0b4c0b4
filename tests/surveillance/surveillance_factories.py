"""Surveillance requests for tests, built through the services, and a time-travel helper."""

from __future__ import annotations

import datetime as dt

import pgtrigger
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Case
from surveillance import services as surveillance_services
from surveillance.models import SurveillanceRequest
from tests.cases import factories as f

EDIT_TRIGGER = "surveillance.SurveillanceRequest:surveillance_a_edit_voids_approval"


def oakfield_case() -> Case:
    """The seeded case about Oakfield staff that the demo investigator is working on."""
    return Case.objects.get(investigating_officer__username="investigator", organisation__name=f.OAKFIELD)


def kennet_case() -> Case:
    """A Kennet Valley case under investigation by the HR officer, so the demo investigator is not on it."""
    case = f.open_case(subject=f.staff_of(f.KENNET, 1))
    return services.case_assign_investigator(actor=f.user("hr"), case=case, officer=f.user("hr"))


def request_data(**overrides) -> dict:
    today = timezone.localdate()
    data = dict(
        grounds="Colleagues report the subject posts mocking videos about a named colleague (3.3, 5.2).",
        necessity="The videos are deleted within a day; only watching the public account can capture them.",
        proportionality="Limited to one public account, for two weeks, about one allegation.",
        less_intrusive="Witness interviews were held; they describe the videos but none kept a copy.",
        platforms=["tiktok"],
        accounts="https://www.tiktok.com/@example",
        public_only_confirmed=True,
        collateral_intrusion="Friends may appear in videos; nothing about them is recorded beyond what is needed.",
        starts_on=today,
        ends_on=today + dt.timedelta(days=13),
        review_on=today + dt.timedelta(days=7),
        dpia_reference="DPIA-2026-014",
        may_be_criminal=False,
    )
    data.update(overrides)
    return data


def make_request(*, actor: str = "investigator", case: Case | None = None, **overrides) -> SurveillanceRequest:
    return surveillance_services.surveillance_request_create(
        actor=f.user(actor), case=case or oakfield_case(), **request_data(**overrides)
    )


def approved_request(*, actor: str = "investigator", case: Case | None = None, **overrides) -> SurveillanceRequest:
    request = make_request(actor=actor, case=case, **overrides)
    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=request, decision="approve", reasons="Necessary and proportionate."
    )
    return fresh(request)


def fresh(request: SurveillanceRequest) -> SurveillanceRequest:
    return SurveillanceRequest.objects.get(pk=request.pk)


def travel(request: SurveillanceRequest, *, days: int) -> SurveillanceRequest:
    """Time travel for tests: move the whole window `days` earlier, as if that many days had passed.

    The approval stays valid (the approved hash is recomputed for the moved dates); only the test can do
    this, by switching off the trigger that otherwise voids an approval when its dates change."""
    request = fresh(request)
    shift = dt.timedelta(days=days)
    request.starts_on -= shift
    request.ends_on -= shift
    request.review_on -= shift
    digest = request.compute_content_hash()
    approved = request.status == SurveillanceRequest.Status.APPROVED
    with transaction.atomic(), pgtrigger.ignore(EDIT_TRIGGER):
        SurveillanceRequest.objects.filter(pk=request.pk).update(
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            review_on=request.review_on,
            content_hash=digest,
            approved_hash=digest if approved else "",
        )
    return fresh(request)
