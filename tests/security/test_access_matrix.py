"""Every URL pattern × every demo role × GET and POST gets exactly the status the table expects."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from people.models import User
from tests.conftest import sign_in
from tests.security import access
from tests.security.matrix import ROLES, Case

pytestmark = pytest.mark.django_db


def _walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def all_url_names() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def _table() -> dict[str, list[Case]]:
    table: dict[str, list[Case]] = {}
    for module in pkgutil.iter_modules(access.__path__):
        routes = importlib.import_module(f"{access.__name__}.{module.name}").ROUTES
        overlap = set(routes) & set(table)
        assert not overlap, f"{module.name} repeats routes {overlap}"
        table.update(routes)
    return table


TABLE = _table()


def _admin_kwargs(name: str, pattern: URLPattern) -> dict | None:
    """Arguments for an admin URL, taken from real rows; None when the model has no row to use."""
    keys = set(pattern.pattern.regex.groupindex)
    url_name = name.split(":", 1)[1]
    if not keys:
        return {}
    if keys == {"app_label"}:
        return {"app_label": "people"}
    if keys == {"content_type_id", "object_id"}:
        user = User.objects.get(username="employee")
        return {"content_type_id": ContentType.objects.get_for_model(User).pk, "object_id": user.pk}
    if url_name.startswith("auth_user_"):  # Django's UserAdmin names its URLs after auth.User
        url_name = "people_user_" + url_name.removeprefix("auth_user_")
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if url_name.startswith(prefix):
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                return None
            (key,) = keys & {"id", "object_id", "pk"}
            return {key: obj.pk}
    raise AssertionError(f"no way to build arguments for admin route {name} {keys}")


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = sorted(n for n in all_url_names() if not n.startswith("admin:") and n not in TABLE)
    assert not missing, f"routes with no expected access: {missing}"
    stale = sorted(set(TABLE) - set(all_url_names()))
    assert not stale, f"access table names routes that no longer exist: {stale}"


def _clients() -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        c = Client()
        if role != "anonymous":
            sign_in(c, User.objects.get(username=role))
        clients[role] = c
    return clients


CASES = [(name, case) for name, cases in sorted(TABLE.items()) for case in cases]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}[{c.label}]" for n, c in CASES])
def test_route_answers_each_role_as_the_table_says(name, case):
    url = reverse(name, kwargs=case.resolve_kwargs()) + (f"?{case.query}" if case.query else "")
    failures = []
    for role, c in _clients().items():
        get_ok, post_ok = case.expected(role)
        # Each role's requests are rolled back, so one role's POST cannot change what the next one sees.
        with transaction.atomic():
            got = c.get(url).status_code
            if got not in get_ok:
                failures.append(f"GET {url} as {role}: {got}, expected {sorted(get_ok)}")
            got = c.post(url, {}).status_code
            if got not in post_ok:
                failures.append(f"POST {url} as {role}: {got}, expected {sorted(post_ok)}")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_sign_in_with_the_page_to_come_back_to():
    response = Client().get(reverse("people:employee_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


# Records written only by the app: append-only ones nobody adds, edits or deletes in the admin; sign-in
# records (django-axes) the administrator may delete, to lift a lock-out, but never add.
READ_ONLY_ADMIN_MODELS = {"audit_auditevent", "people_policyacknowledgement"}
NO_ADD_ADMIN_MODELS = READ_ONLY_ADMIN_MODELS | {"axes_accessattempt", "axes_accessfailurelog", "axes_accesslog"}
ADMIN_ROUTES = sorted((n, p) for n, p in all_url_names().items() if n.startswith("admin:"))


@pytest.mark.parametrize(("name", "pattern"), ADMIN_ROUTES, ids=[n for n, _ in ADMIN_ROUTES])
def test_admin_route_is_only_for_the_system_administrator(name, pattern):
    kwargs = _admin_kwargs(name, pattern)
    if kwargs is None:
        (key,) = set(pattern.pattern.regex.groupindex) & {"id", "object_id", "pk"}
        kwargs = {key: 999999999}
    url = reverse(name, kwargs=kwargs)
    if name == "admin:autocomplete":
        url += "?app_label=people&model_name=user&field_name=line_manager&term=a"
    read_only = any(name.startswith(f"admin:{m}_") for m in READ_ONLY_ADMIN_MODELS)
    no_add = any(name.startswith(f"admin:{m}_") for m in NO_ADD_ADMIN_MODELS)
    failures = []
    for role, c in _clients().items():
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(c, method)(url, {} if method == "post" else None)
                transaction.set_rollback(True)
            status = response.status_code
            if role == "admin":
                if (no_add and name.endswith("_add")) or (
                    read_only and (name.endswith("_delete") or (name.endswith("_change") and method == "post"))
                ):
                    ok = status == 403
                elif method == "post" and name in {"admin:autocomplete", "admin:jsi18n", "admin:password_change_done"}:
                    ok = status == 405
                else:
                    ok = status in {200, 302} or (status == 405 and name == "admin:logout")
            elif name in {"admin:login", "admin:jsi18n"}:
                ok = status in {200, 302}
            elif name == "admin:logout":
                ok = status in {302, 405}  # signing out reveals nothing
            else:
                # Everyone else, signed in or not, is sent to a sign-in page and sees nothing.
                ok = status == 302 and "login" in response["Location"]
            if not ok:
                failures.append(f"{method.upper()} {url} as {role}: {status}")
    assert not failures, "\n".join(failures)
