"""Network identities over periods, and resolving identities no employee matched."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring.models import UsageDay, UsageRecord
from monitoring.services import identity_assign
from tests.factories import EmployeeFactory
from tests.monitoring.conftest import SAMPLE_NOW

pytestmark = pytest.mark.django_db


def test_resolving_an_unmatched_identity_reattributes_its_records(run_import, demo_user, oakfield):
    run_import("squid_access.log")
    assert UsageRecord.objects.filter(identity_value="tbrown", employee__isnull=True).exists()
    tbrown = EmployeeFactory(username="tbrown-x", organisation=oakfield)
    identity, moved = identity_assign(
        actor=demo_user("hr"),
        kind="username",
        value="OAKFIELD\\TBrown",
        employee=tbrown,
        valid_from=SAMPLE_NOW - dt.timedelta(days=30),
    )
    assert identity.value == "tbrown"
    # One request, logged on the stroke of 09:26 after 215 ms: its connection was open in 09:25 and 09:26.
    assert moved == 2
    assert set(UsageRecord.objects.filter(identity_value="tbrown").values_list("employee", flat=True)) == {tbrown.pk}
    assert UsageDay.objects.filter(employee=tbrown, day=dt.date(2026, 11, 24)).exists()


def test_an_address_reused_later_belongs_to_each_person_only_in_their_period(run_import, demo_user, oakfield):
    run_import("squid_access.log")
    first, second = EmployeeFactory(organisation=oakfield), EmployeeFactory(organisation=oakfield)
    hr = demo_user("hr")
    cut = dt.datetime(2026, 11, 24, 9, 5, 15, tzinfo=dt.UTC)
    _, moved = identity_assign(
        actor=hr,
        kind="address",
        value="2001:db8:10::21",
        employee=first,
        valid_from=SAMPLE_NOW - dt.timedelta(days=60),
        valid_to=cut,
    )
    assert moved == 2  # a 1.2 s YouTube tunnel logged on the stroke of 09:05: open in 09:04 and 09:05
    _, moved = identity_assign(actor=hr, kind="address", value="2001:db8:10::21", employee=second, valid_from=cut)
    assert moved == 0  # the later record (the IPv6 literal) was not social media, so nothing left to move
    with pytest.raises(ValidationError, match="already belongs"):
        identity_assign(
            actor=hr,
            kind="address",
            value="2001:db8:10::21",
            employee=second,
            valid_from=SAMPLE_NOW - dt.timedelta(days=10),
        )


def test_only_hr_assign_identities(demo_user):
    with pytest.raises(PermissionDenied):
        identity_assign(
            actor=demo_user("manager"),
            kind="username",
            value="x",
            employee=demo_user("employee"),
            valid_from=SAMPLE_NOW,
        )


@pytest.mark.parametrize("value", ["10.0.0.300", "not an address"])
def test_a_bad_address_is_refused(demo_user, value):
    with pytest.raises(ValidationError):
        identity_assign(
            actor=demo_user("hr"), kind="address", value=value, employee=demo_user("employee"), valid_from=SAMPLE_NOW
        )


def test_the_resolve_form_is_filled_in_from_the_unmatched_list(client_for, run_import):
    run_import("squid_access.log")
    c = client_for("hr")
    page = c.get("/monitoring/identities/")
    assert b"tbrown" in page.content
    form = c.get("/monitoring/identities/new/?kind=username&value=tbrown&from=2026-11-24")
    assert b'value="tbrown"' in form.content
    assert b'value="2026-11-24T00:00"' in form.content


def test_the_identity_form_refuses_bad_input_beside_the_fields(client_for, demo_user):
    response = client_for("hr").post(
        "/monitoring/identities/new/",
        {"kind": "address", "value": "<script>x</script>", "employee": "999999", "valid_from": "31/02/2026"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"employee", "valid_from"}
    assert b"<script>x</script>" not in response.content
