import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from monitoring.importer import import_stream
from monitoring.models import NetworkIdentity, UsageImport
from people.models import Organisation
from tests.factories import EmployeeFactory

SAMPLES = Path(__file__).parent / "samples"
# The sample files were written for Tuesday 24/11/2026; the imports read them as if on the day after.
SAMPLE_NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def oakfield(db):
    return Organisation.objects.get(name="Oakfield Primary School")


@pytest.fixture
def jwilson(oakfield, demo_user):
    """A teacher at Oakfield (whose rest breaks are 10:30-10:45 and 12:15-13:00), known to the filters as jwilson."""
    employee = EmployeeFactory(
        username="jwilson-test",
        first_name="Jamie",
        last_name="Wilson",
        organisation=oakfield,
        line_manager=demo_user("manager"),
    )
    NetworkIdentity.objects.create(
        kind="username", value="jwilson", employee=employee, valid_from=SAMPLE_NOW - dt.timedelta(days=300)
    )
    return employee


@pytest.fixture
def run_import(db):
    """run_import(bytes_or_sample_name, format) imports as if on SAMPLE_NOW and returns the UsageImport."""

    def run(data, fmt: str = "squid", *, mapping=None, now=SAMPLE_NOW) -> UsageImport:
        if isinstance(data, str):
            data = (SAMPLES / data).read_bytes()
        usage_import = UsageImport.objects.create(file_name="test.log", format=fmt, mapping=mapping)
        return import_stream(usage_import, io.BytesIO(data), now=now)

    return run


def squid_line(
    moment: dt.datetime,
    *,
    user="jwilson",
    address="10.10.4.21",
    url="http://www.facebook.com/",
    size=1000,
    elapsed_ms=0,
    code="TCP_MISS/200",
):
    """A Squid line logged at `moment` for a connection open `elapsed_ms` before it (0: all in that minute)."""
    return (
        f"{moment.timestamp():.3f} {elapsed_ms} {address} {code} {size} GET {url} {user} HIER_DIRECT/1.2.3.4 text/html"
    )


def uk(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), timezone.get_current_timezone())
