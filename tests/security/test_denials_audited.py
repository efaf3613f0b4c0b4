"""Every refusal in the access table leaves its mark on the audit trail.

For each route and each signed-in role that the table refuses (403, or 404 from a selector that hides the
object), the request is replayed and the trail must gain exactly one `access.denied` (403) or
`access.not_found` (404) event naming that user, path and method. Allowed requests are not replayed here:
test_access_matrix.py already checks their statuses.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from people.models import User
from tests.conftest import sign_in
from tests.security.matrix import DENIED, ROLES
from tests.security.test_access_matrix import TABLE

pytestmark = pytest.mark.django_db

ACTION = {403: "access.denied", 404: "access.not_found"}


def _refused_methods(case, role):
    get_ok, post_ok = case.expected(role)
    return [m for m, ok in (("GET", get_ok), ("POST", post_ok)) if ok <= DENIED]


# Only the cases where some signed-in role is refused.
CASES = [
    (name, case)
    for name, cases in sorted(TABLE.items())
    for case in cases
    if any(_refused_methods(case, role) for role in ROLES[1:])
]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}[{c.label}]" for n, c in CASES])
def test_every_refusal_in_the_access_table_is_audited(name, case):
    url = reverse(name, kwargs=case.resolve_kwargs()) + (f"?{case.query}" if case.query else "")
    path = url.split("?")[0]
    failures, refusals = [], 0
    for role in ROLES[1:]:
        methods = _refused_methods(case, role)
        if not methods:
            continue
        user = User.objects.get(username=role)
        client = sign_in(Client(), user)
        for method in methods:
            with transaction.atomic():
                last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
                status = (client.get(url) if method == "GET" else client.post(url, {})).status_code
                events = list(AuditEvent.objects.filter(pk__gt=last, action__startswith="access."))
                transaction.set_rollback(True)
            refusals += 1
            matching = [
                e
                for e in events
                if e.action == ACTION.get(status)
                and e.actor_id == user.pk
                and e.details == {"path": path, "method": method}
            ]
            if len(matching) != 1:
                failures.append(f"{method} {url} as {role} answered {status} with audit events {events}")
    assert refusals and not failures, "\n".join(failures)
