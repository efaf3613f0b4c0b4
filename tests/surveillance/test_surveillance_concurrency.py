"""Approve and reject sent at the same moment leave exactly one decision (row lock on the request)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from surveillance import services as surveillance_services
from surveillance.models import SurveillanceDecision
from tests.cases import factories as f
from tests.surveillance import surveillance_factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_approve_and_reject_at_the_same_moment_leave_exactly_one_decision(demo_world):
    request = sf.make_request()
    head = f.user("headofhr")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(decision: str) -> None:
        try:
            barrier.wait(timeout=10)
            surveillance_services.surveillance_request_decide(
                actor=head, request=request, decision=decision, reasons=decision
            )
            outcomes[decision] = "won"
        except ValidationError as exc:
            outcomes[decision] = exc.code or "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["already_decided", "won"], outcomes
    decisions = list(SurveillanceDecision.objects.filter(request=request))
    assert len(decisions) == 1
    winner = decisions[0].decision
    assert outcomes[winner] == "won"
    assert sf.fresh(request).status == {"approve": "approved", "reject": "rejected"}[winner]
