"""A request's phase is worked out in Python for one request (SurveillanceRequest.phase) and in SQL for a list
(SurveillanceRequestQuerySet.with_phase). Both must give the same phase for every request on every day."""

import datetime as dt

import pytest
from django.utils import timezone

from surveillance import services as surveillance_services
from surveillance.models import Phase, SurveillanceRequest
from tests.cases import factories as f
from tests.surveillance import surveillance_factories as sf

pytestmark = pytest.mark.django_db


def test_python_and_sql_agree_on_the_phase_of_every_request_on_every_day_around_its_window():
    waiting = sf.make_request()
    approved = sf.approved_request(accounts="@approved")
    rejected = sf.make_request(accounts="@rejected")
    surveillance_services.surveillance_request_decide(
        actor=f.user("headofhr"), request=rejected, decision="reject", reasons="No."
    )
    requests = [SurveillanceRequest.objects.get(pk=r.pk) for r in (waiting, approved, rejected)]
    today = timezone.localdate()
    start, end = approved.starts_on, approved.ends_on
    days = {start - dt.timedelta(days=1), start, start + dt.timedelta(days=1), end, end + dt.timedelta(days=1), today}
    seen = set()
    for day in sorted(days):
        in_sql = dict(
            SurveillanceRequest.objects.with_phase(day)
            .filter(pk__in=[r.pk for r in requests])
            .values_list("pk", "phase")
        )
        for request in requests:
            assert request.phase(day) == in_sql[request.pk], (request.reference, day)
            seen.add(in_sql[request.pk])
    # The table covers every phase an approval passes through, and the stored statuses.
    assert {Phase.APPROVED, Phase.ACTIVE, Phase.EXPIRED, Phase.REQUESTED, Phase.REJECTED} <= seen


def test_a_row_read_for_a_list_shows_its_phase_without_working_it_out_again():
    request = sf.approved_request()
    listed = SurveillanceRequest.objects.with_phase().get(pk=request.pk)
    assert listed.get_phase_display() == Phase(request.phase()).label
