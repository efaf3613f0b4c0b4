"""Every form, through its real URL, as a role allowed to send it, with generated hostile input.

Targets come from two places, so a new app is fuzzed as soon as it has an access table:
- every route that the access table (tests/security/access/) lets some role POST to is a POST target; the
  form's fields are read from the page the view renders (`context["form"]`);
- each app's module in tests/fuzz/targets/ adds its GET filter forms (FILTERS), the fields of forms that
  are not in a page's context (FIELDS), more roles to post as (ROLES) and the POST routes that take no
  input (NO_FORM, with the reason).

For each generated submission: no 5xx; no raw `<script>` echoed back; and when the answer is a form error
(the page again, or a redirect carrying an error message) no row in any of the project's tables and no
uploaded file was added or removed. Each submission runs in a transaction that is rolled back, so examples
do not see each other's writes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from audit.models import AuditEvent
from tests.fuzz import strategies, targets
from tests.publishing.factories import png_bytes
from tests.security.matrix import Case
from tests.security.test_access_matrix import TABLE

pytestmark = pytest.mark.django_db
AUDIT_TABLE = AuditEvent._meta.db_table
# Examples per form: small, so that the whole suite stays near two minutes on two cores; raise it for a
# deeper run, e.g. FUZZ_EXAMPLES=500 make test PYTEST_ARGS=tests/fuzz
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))

# Who posts a form when its module does not say: the least privileged role the access table allows.
ROLE_PREFERENCE = ("employee", "manager", "headteacher", "bizmanager", "comms", "hr", "headofhr", "investigator")


@dataclass(frozen=True)
class Target:
    route: str
    role: str
    case: Case
    method: str = "post"
    fields: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return self.id

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route} as {self.role}"


def _modules():
    for module in pkgutil.iter_modules(targets.__path__):
        yield importlib.import_module(f"{targets.__name__}.{module.name}")


def _merged(attr: str) -> dict:
    merged: dict = {}
    for module in _modules():
        value = getattr(module, attr, {})
        merged.update(dict.fromkeys(value, True) if isinstance(value, list) else value)
    return merged


FILTERS, NO_FORM, FIELDS, ROLES = (_merged(a) for a in ("FILTERS", "NO_FORM", "FIELDS", "ROLES"))
# Routes whose refusal is itself recorded (a failed import keeps its report): table, status and audit action.
REFUSAL_RECORDS = _merged("REFUSAL_RECORDS")


def build_targets() -> list[Target]:
    found = []
    for route, cases in sorted(TABLE.items()):
        if route in NO_FORM:
            continue
        for case in cases:
            if case.post_ok:
                roles = ROLES.get(route) or [next(r for r in ROLE_PREFERENCE if r in case.post_ok)]
                found += [Target(route, role, case, fields=FIELDS.get(route, {})) for role in roles]
                break
        if route in FILTERS:
            case = cases[0]
            role = next(r for r in ROLE_PREFERENCE if r in case.get_ok)
            found.append(Target(route, role, case, method="get"))
    return found


TARGETS = build_targets()


def test_every_post_route_is_fuzzed_or_says_why_not():
    """A route someone may POST to is fuzzed, or its app's target module explains why it takes no input."""
    fuzzed = {t.route for t in TARGETS if t.method == "post"}
    postable = {route for route, cases in TABLE.items() if any(c.post_ok for c in cases)}
    assert not (postable - fuzzed - set(NO_FORM)), f"POST routes neither fuzzed nor in NO_FORM: {postable - fuzzed}"
    assert not (set(NO_FORM) - postable), f"NO_FORM names routes nobody may POST to: {set(NO_FORM) - postable}"


def _local_tables() -> list[str]:
    base = str(django_settings.BASE_DIR)
    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and apps.get_app_config(m._meta.app_label).path.startswith(base)
    )


def row_counts() -> tuple:
    """Rows in every table of the project's own apps, in one query."""
    tables = _local_tables()
    sql = " UNION ALL ".join(f"SELECT %s, count(*) FROM {connection.ops.quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return tuple(cursor.fetchall())


def stored_files() -> set[str]:
    root = default_storage.location
    return {os.path.join(d, f) for d, _, names in os.walk(root) for f in names}


def refused(response) -> bool:
    """The answer says the input was not accepted: the form again, or a redirect with an error message."""
    if response.status_code not in (301, 302, 303):
        return True
    return any(m.level >= message_levels.ERROR for m in get_messages(response.wsgi_request))


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Accepted uploads go to a temporary folder (the database rows are rolled back, files would stay)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def form_page(target: Target, client_for):
    """The signed-in client, the URL and the fields of the form as the view builds it for this role."""
    client = client_for(target.role)
    url = reverse(target.route, kwargs=target.case.resolve_kwargs())
    fields = dict(target.fields)
    form = None
    if not fields:
        page = client.get(url)
        assert page.status_code == 200, f"{target.id}: GET answered {page.status_code}"
        key = "filter_form" if target.method == "get" else "form"
        assert key in page.context, f"{target.id}: no {key} on the page; add its fields to FIELDS or it to NO_FORM"
        form = page.context[key]
        fields = {name: strategies.value_for(f) for name, f in form.fields.items()}
    if target.method == "get":
        fields.update(sort=st.one_of(strategies.text, st.sampled_from(["-pk", "password", "-name", "__class__"])))
        fields.update(page=strategies.forged_ids)
    return client, url, fields, form


def _submission(fields: dict) -> st.SearchStrategy:
    # A field is left out one time in ten, so that most submissions are complete and some are accepted.
    parts = {name: st.integers(0, 9).flatmap(lambda i, s=s: st.none() if i == 0 else s) for name, s in fields.items()}
    extra = {"id": strategies.forged_ids, "pk": strategies.forged_ids, "state": strategies.text}
    extra = {k: v for k, v in extra.items() if k not in fields}
    return st.fixed_dictionaries(parts, optional=extra).map(lambda d: {k: v for k, v in d.items() if v is not None})


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
@hsettings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_form_survives_hostile_input(target, form_page, data):
    client, url, fields, _ = form_page
    payload = data.draw(_submission(fields), label="submitted")
    has_file = any(hasattr(v, "read") for v in payload.values())
    with transaction.atomic():
        before, files_before = row_counts(), stored_files() if has_file else None
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, target.method)(url, payload)
        assert response.status_code < 500, f"{target.id} answered {response.status_code}"
        assert strategies.SCRIPT.encode() not in response.content, f"{target.id} echoed a script tag unescaped"
        if target.method == "post" and refused(response):
            # Showing the form again may itself be an audited read of the record it sits on; a refused
            # submission may add reads to the trail, never a change.
            record = REFUSAL_RECORDS.get(target.route)
            kept = {AUDIT_TABLE} | ({record["table"]} if record else set())
            after = tuple((t, n if t not in kept else dict(before)[t]) for t, n in row_counts())
            assert after == before, f"{target.id} refused the input but changed rows"
            changes = AuditEvent.objects.filter(id__gt=last_event, kind=AuditEvent.Kind.CHANGE)
            if record:
                assert_only_failures_recorded(record, dict(before)[record["table"]])
                changes = changes.exclude(action=record["action"])
            assert not changes.exists(), f"{target.id} refused the input but recorded a change"
            if has_file:
                assert stored_files() == files_before, f"{target.id} refused the input but left a file behind"
        if target.method == "get":
            # A filter writes nothing; a refused look-up (a 404 for a page number past the end) is audited.
            added = dict(row_counts())
            added[AUDIT_TABLE] = dict(before)[AUDIT_TABLE]
            assert tuple(added.items()) == before, f"{target.id}: a filter changed rows"
            assert not AuditEvent.objects.filter(pk__gt=last_event).exclude(action__startswith="access.").exists()
        if response.status_code in (301, 302, 303):
            landing = client.get(response["Location"])
            assert landing.status_code < 500
            assert strategies.SCRIPT.encode() not in landing.content, f"{target.id}: stored script shown unescaped"
        transaction.set_rollback(True)


def assert_only_failures_recorded(record: dict, count_before: int) -> None:
    """The rows a refusal may add are records of the failure, never a success."""
    table = connection.ops.quote_name(record["table"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status FROM {table} ORDER BY id OFFSET %s", [count_before])
        added = [status for (status,) in cursor.fetchall()]
    assert all(status == record["status"] for status in added), f"a refusal recorded {added}"


def canary(form) -> dict:
    """A submission that a form would most likely accept, with a script tag in every free-text field."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    data, moments = {}, iter(range(-3, 0))
    for name, f in form.fields.items():
        if isinstance(f, forms.ModelMultipleChoiceField):
            data[name] = [str(pk) for pk in f.queryset.values_list("pk", flat=True)[:1]]
        elif isinstance(f, forms.ModelChoiceField):
            first = f.queryset.values_list("pk", flat=True).first()
            data[name] = str(first) if f.required and first is not None else ""
        elif isinstance(f, forms.ChoiceField):
            data[name] = next((str(k) for k, _ in f.choices if k not in ("", None)), "")
        elif isinstance(f, forms.BooleanField):
            data[name] = "on"
        elif isinstance(f, forms.FileField):
            data[name] = SimpleUploadedFile("canary.png", png_bytes())
        elif isinstance(f, forms.DateTimeField):
            data[name] = (now + dt.timedelta(hours=next(moments, 0))).strftime("%Y-%m-%dT%H:%M")
        elif isinstance(f, forms.DateField):
            data[name] = now.date().isoformat()
        elif isinstance(f, forms.TimeField):
            data[name] = f"{12 + next(moments, 0) + 3:02d}:00"
        elif isinstance(f, forms.URLField):
            data[name] = "https://x.com/canary"
        else:
            data[name] = strategies.SCRIPT
    return data


POST_FORMS = [t for t in TARGETS if t.method == "post"]


@pytest.mark.parametrize("target", POST_FORMS, ids=[t.id for t in POST_FORMS])
def test_a_script_in_every_text_field_is_never_shown_raw(target, form_page):
    """Not left to chance: a likely-valid submission with a script in each text field, then the page it
    leads to. Either page must show the script escaped, never raw."""
    client, url, fields, form = form_page
    data = canary(form) if form is not None else {name: strategies.SCRIPT for name in fields}
    response = client.post(url, data)
    assert response.status_code < 500
    pages = [response]
    if response.status_code in (301, 302, 303):
        pages.append(client.get(response["Location"]))
    for page in pages:
        assert page.status_code < 500
        assert strategies.SCRIPT.encode() not in page.content, f"{target.id}: a script is shown raw"
