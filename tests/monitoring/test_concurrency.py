"""Two people acting on the same check at the same moment: exactly one of them wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from monitoring.models import MonitoringCheck
from monitoring.services import check_approve, check_decline
from people.models import User


@pytest.mark.django_db(transaction=True)
def test_approving_and_declining_at_once_leaves_one_decision(demo_world):
    check = MonitoringCheck.objects.get(requested_by__username="manager", employee__username="employee")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(username: str, approve: bool) -> None:
        try:
            actor = User.objects.get(username=username)
            barrier.wait(timeout=10)
            if approve:
                check_approve(actor=actor, check=check)
            else:
                check_decline(actor=actor, check=check, note="The reason does not meet clause 4.1.")
            outcomes[username] = "won"
        except ValidationError:
            outcomes[username] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=a) for a in (("hr", True), ("headofhr", False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "won"]
    status = MonitoringCheck.objects.values_list("status", flat=True).get(pk=check.pk)
    assert status == ("approved" if outcomes["hr"] == "won" else "declined")
