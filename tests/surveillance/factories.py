"""Model factories for covert surveillance (7.2), for the every-model check; tests use surveillance_factories."""

import datetime as dt

import factory
from django.utils import timezone

from cases.models import Case
from surveillance.models import SurveillanceDecision, SurveillanceObservation, SurveillanceRequest
from tests.cases.factories import user


def _seeded_case() -> Case:
    return Case.objects.filter(investigating_officer__username="investigator").order_by("pk").first()


class SurveillanceRequestFactory(factory.django.DjangoModelFactory):
    """A request awaiting the Head of HR's decision, by the demo investigator on the demo case."""

    class Meta:
        model = SurveillanceRequest

    reference = factory.Sequence(lambda n: f"SR-TEST-{n:05d}")
    case = factory.LazyFunction(_seeded_case)
    requested_by = factory.LazyFunction(lambda: user("investigator"))
    grounds = "Reported mocking videos (3.3)."
    necessity = "They are deleted within a day."
    proportionality = "One public account, two weeks."
    less_intrusive = "Interviews held."
    platforms = factory.LazyFunction(lambda: ["tiktok"])
    accounts = "@example"
    public_only_confirmed = True
    collateral_intrusion = "Friends may appear; nothing about them is kept."
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=13))
    review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    dpia_reference = "DPIA-TEST"

    @factory.post_generation
    def hashed(obj, create, extracted, **kwargs):
        obj.content_hash = obj.compute_content_hash()
        if create:
            SurveillanceRequest.objects.filter(pk=obj.pk).update(content_hash=obj.content_hash)


class SurveillanceDecisionFactory(factory.django.DjangoModelFactory):
    """A send-back decision by the demo Head of HR (the database checks the decider's role)."""

    class Meta:
        model = SurveillanceDecision

    request = factory.SubFactory(SurveillanceRequestFactory)
    version = 1
    decision = SurveillanceDecision.Decision.SEND_BACK
    reasons = "Name the account exactly."
    content_hash = factory.LazyAttribute(lambda o: o.request.compute_content_hash())
    decided_by = factory.LazyFunction(lambda: user("headofhr"))


def _approved_request() -> SurveillanceRequest:
    from tests.surveillance.surveillance_factories import approved_request

    return approved_request(accounts=f"@factory{SurveillanceRequest.objects.count()}")


class SurveillanceObservationFactory(factory.django.DjangoModelFactory):
    """An observation under an approved request inside its window (the database refuses any other)."""

    class Meta:
        model = SurveillanceObservation

    request = factory.LazyFunction(_approved_request)
    observed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))
    platform = "tiktok"
    what_was_seen = "A new public video."
    recorded_by = factory.LazyFunction(lambda: user("investigator"))
