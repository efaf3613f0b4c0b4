"""The expected-access table: every URL pattern, every role, GET and POST.

Each app adds a module under `tests/security/access/` with a ROUTES dict from URL name to a list
of Case objects (one per object variant: own school, another school, another employee...).
The test fails when a URL pattern has no entry here, so a new route cannot ship unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "employee",
    "manager",
    "headteacher",
    "bizmanager",
    "hr",
    "headofhr",
    "investigator",
    "comms",
    "admin",
)
STAFF = frozenset(ROLES[1:])
HR = frozenset({"hr", "headofhr"})
DENIED = frozenset({403, 404})
ALLOWED_POST = frozenset({200, 302, 400})


@dataclass
class Case:
    """Expected access for one set of URL arguments.

    get_ok: roles that GET with `get_status`; others signed in get 403 or 404; anonymous is sent to sign in.
    post_ok: roles whose POST (empty form) is accepted (200 with errors, 302, 400); None means the view
    takes no POST, so roles in get_ok get 405 and the rest 403/404.
    expect: explicit {role: (get statuses, post statuses)} for views outside the usual pattern.
    """

    label: str = "default"
    kwargs: Callable[[], dict] | dict = field(default_factory=dict)
    get_ok: frozenset[str] = frozenset()
    get_status: int = 200
    post_ok: frozenset[str] | None = None
    expect: dict[str, tuple[frozenset[int], frozenset[int]]] | None = None
    query: str = ""

    def resolve_kwargs(self) -> dict:
        return self.kwargs() if callable(self.kwargs) else dict(self.kwargs)

    def expected(self, role: str) -> tuple[frozenset[int], frozenset[int]]:
        if self.expect is not None and role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return frozenset({302}), frozenset({302})
        get = frozenset({self.get_status}) if role in self.get_ok else DENIED
        if self.post_ok is None:
            post = frozenset({405}) if role in self.get_ok else DENIED
        else:
            post = ALLOWED_POST if role in self.post_ok else DENIED
        return get, post


def s(*roles: str) -> frozenset[str]:
    return frozenset(roles)
