"""The importer reads Squid lines in a fast loop of its own (UsageImporter._take_squid) that re-states what the
general path does for every other format (a parser per line, then _take). Read the same lines both ways,
the records and the report must be the same, line for line and reason for reason."""

import dataclasses
import datetime as dt
import io

import pytest
from django.db import transaction

from monitoring import importer
from monitoring.importer import UsageImporter
from monitoring.models import UsageImport, UsageRecord
from monitoring.parsers import parse_squid
from tests.monitoring.conftest import SAMPLE_NOW, SAMPLES, squid_line

pytestmark = pytest.mark.django_db

RECORD_FIELDS = (
    "identity_kind",
    "identity_value",
    "employee_id",
    "site_id",
    "device",
    "started_at",
    "first_seen",
    "last_seen",
    "requests",
    "bytes",
)


class GeneralPathImporter(UsageImporter):
    """The same importer, but Squid lines go the general way: parse_squid for each line, then _take."""

    def _take_squid(self, lines, line_no):
        self.parse = parse_squid
        self._take_lines(lines, line_no)


def _read_with(importer_class, data: bytes):
    """Import `data` as Squid with `importer_class`; return its report and the records it wrote, then undo it."""
    usage_import = UsageImport.objects.create(file_name="paths.log", format=UsageImport.Format.SQUID)
    with transaction.atomic():
        reader = importer_class(usage_import, now=SAMPLE_NOW)
        report = dataclasses.asdict(reader.run(io.BytesIO(data)))
        records = sorted(UsageRecord.objects.values_list(*RECORD_FIELDS))
        transaction.set_rollback(True)
    return report, records


def _lines() -> bytes:
    """The Squid sample (every result code, IPv6 clients, unknown users, a bad time, a short line) and the
    lines the importer must refuse or drop: bad UTF-8, too long, in the future, before 1990, too old, binary."""
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    extra = [
        squid_line(moment).encode(),
        squid_line(moment).encode().replace(b"facebook", b"f\xe9cebook"),
        b"1795510801.500 " + b"x" * (importer.MAX_LINE_BYTES + 10),
        squid_line(dt.datetime(2031, 1, 1, tzinfo=dt.UTC)).encode(),
        squid_line(dt.datetime(1985, 1, 1, tzinfo=dt.UTC)).encode(),
        squid_line(SAMPLE_NOW - dt.timedelta(days=400)).encode(),
        b"\x00\x01\x02binary",
        b"1795510801.500 215 10.10.4.21 TCP_MISS/200",
        squid_line(moment + dt.timedelta(minutes=1), user="-", address="10.10.4.77").encode(),
        squid_line(moment + dt.timedelta(minutes=2), url="https://www.instagram.com:443/p/1").encode(),
        b"# a comment",
        b"",
    ]
    return (SAMPLES / "squid_access.log").read_bytes() + b"\n".join(extra) + b"\n"


def test_the_fast_squid_loop_and_the_general_path_give_the_same_records_and_report(jwilson):
    data = _lines()
    fast_report, fast_records = _read_with(UsageImporter, data)
    general_report, general_records = _read_with(GeneralPathImporter, data)
    assert fast_records == general_records
    assert fast_report == general_report
    # The lines really exercise both paths: records kept, lines dropped for each reason, lines refused.
    assert fast_records and fast_report["kept"] > 0 and fast_report["rejected"] >= 5
    assert len(fast_report["dropped_reasons"]) >= 3
