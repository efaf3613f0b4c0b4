"""What real filter log files look like on disk (issue 24): rotated and compressed, UTF-16 exports, byte-order
marks, FortiGate files of every log type mixed, log_fqdn clients, URL-encoded user names, long connections."""

import bz2
import codecs
import datetime as dt
import gzip
import io
import lzma
import tracemalloc

import pytest

from monitoring import importer
from monitoring.analysis import analyse_employee
from monitoring.models import CsvMapping, NetworkIdentity, UsageImport, UsageRecord
from tests.monitoring.conftest import SAMPLE_NOW, SAMPLES, squid_line, uk

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 11, 24)  # Oakfield's breaks: 10:30-10:45 and 12:15-13:00; working day 08:00-17:00


def _records(value="jwilson"):
    return UsageRecord.objects.filter(identity_value=value)


def _kept(report):
    return (report.status, report.lines_read, report.lines_kept, report.lines_rejected)


# --- compressed, re-encoded and marked files ----------------------------------------------------------------


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gzip", "bzip2", "xz"])
def test_a_compressed_rotated_log_is_read_as_the_plain_one(run_import, jwilson, compress):
    plain = run_import("squid_access.log")
    UsageRecord.objects.filter(identity_value="jwilson").delete()
    packed = run_import(compress((SAMPLES / "squid_access.log").read_bytes()))
    assert _kept(packed) == _kept(plain) == ("done", 21, 11, 2)
    assert packed.rejections == plain.rejections
    assert packed.dropped_reasons == plain.dropped_reasons
    assert _records().count() > 0


def test_a_log_compressed_twice_is_read_too(run_import, jwilson):
    data = gzip.compress(gzip.compress((SAMPLES / "squid_access.log").read_bytes()))
    assert _kept(run_import(data)) == ("done", 21, 11, 2)


def test_a_large_gzip_file_is_streamed_with_flat_memory(run_import, monkeypatch):
    """100,000 lines compressed: the import never holds the decompressed file, nor the compressed one whole."""
    monkeypatch.setattr(importer, "FLUSH_EVERY", 2000)
    start = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC).timestamp()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb") as out:
        for i in range(100_000):
            site = "www.facebook.com" if i % 2 else "www.example.org"
            out.write(
                f"{start + i * 0.05:.3f} 10 10.10.1.{i % 200} TCP_MISS/200 512 GET http://{site}/ user{i % 50} - -\n"
                "".encode()
            )
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    run_import(b"")  # warm up the import machinery before measuring
    tracemalloc.reset_peak()
    usage_import = UsageImport.objects.create(file_name="access.log.1.gz", format="squid")
    report = importer.import_stream(usage_import, io.BytesIO(data), now=SAMPLE_NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.status == UsageImport.Status.DONE, report.failure
    assert (report.lines_read, report.lines_kept) == (100_000, 50_000)
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_utf16_text_that_says_so_by_its_mark_is_read(run_import, jwilson, bom, encoding):
    text = (SAMPLES / "squid_access.log").read_text()
    report = run_import(bom + text.encode(encoding))
    assert _kept(report) == ("done", 21, 11, 2)


def test_a_gzipped_utf16_export_is_read(run_import, jwilson):
    text = (SAMPLES / "fortigate.log").read_text()
    report = run_import(gzip.compress(codecs.BOM_UTF16_LE + text.encode("utf-16-le")), "fortigate")
    assert report.status == UsageImport.Status.DONE, report.failure
    assert report.lines_kept == 3


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [("squid_access.log", "squid"), ("fortigate.log", "fortigate"), ("smoothwall.csv", "csv")],
)
def test_a_utf8_byte_order_mark_loses_no_line_in_any_format(run_import, jwilson, sample, fmt):
    mapping = CsvMapping.objects.get(name="Smoothwall web filter export") if fmt == "csv" else None
    plain = run_import(sample, fmt, mapping=mapping)
    marked = run_import(codecs.BOM_UTF8 + (SAMPLES / sample).read_bytes(), fmt, mapping=mapping)
    assert marked.status == UsageImport.Status.DONE, marked.failure
    assert _kept(marked) == _kept(plain)
    assert marked.rejections == plain.rejections


def test_a_bom_before_the_first_squid_line_is_not_part_of_its_timestamp(run_import, jwilson):
    line = squid_line(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    report = run_import(codecs.BOM_UTF8 + line.encode())
    assert (report.lines_kept, report.rejections) == (1, [])


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04" + bytes(200), "This file seems to be a ZIP archive (an Excel .xlsx workbook is one too)."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This file seems to be a PDF document, not the log file itself;"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "This file seems to be a PNG picture;"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an older Microsoft Office file, such as an Excel .xls"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(100), "This file seems to be a 7-Zip archive."),
        (b"SQLite format 3\x00" + bytes(100), "This file seems to be an SQLite database;"),
        ("1795510801.500 215 10.10.4.21".encode("utf-16-le"), "UTF-16 text without the mark at its start"),
        (bytes(range(256)) * 4, "it holds binary data of a kind this app does not recognise"),
    ],
)
def test_other_binary_files_are_refused_with_what_they_seem_to_be(run_import, data, says):
    report = run_import(data)
    assert report.status == UsageImport.Status.FAILED
    assert says in report.failure
    assert "application/" not in report.failure and "octet" not in report.failure  # no MIME types
    assert report.records_written == 0


def test_a_damaged_gzip_file_fails_clearly_and_keeps_nothing(run_import, jwilson):
    data = gzip.compress((SAMPLES / "squid_access.log").read_bytes())
    report = run_import(data[: len(data) // 2])
    assert report.status == UsageImport.Status.FAILED
    assert report.failure.startswith("The gzip file is damaged or cut short, so it cannot be decompressed")
    assert "Nothing was imported" in report.failure
    assert not _records().exists()


# --- FortiGate files of any mix --------------------------------------------------------------------------

TRAFFIC_NO_HOST = (
    'date=2026-11-24 time=09:{m:02d}:{s:02d} tz="+0000" logid="0000000013" type="traffic" subtype="forward" '
    'level="notice" srcip=10.10.4.21 dstip=8.8.8.8 dstport=53 proto=17 action="accept" service="DNS" '
    "sentbyte=60 rcvdbyte=120"
)
EVENT = (
    'date=2026-11-24 time=09:{m:02d}:{s:02d} tz="+0000" logid="0100032001" type="event" subtype="system" '
    'level="information" logdesc="Admin login successful" user="admin" srcip=10.10.0.1 action="login"'
)
WEBFILTER = (
    'date=2026-11-24 time=10:{m:02d}:{s:02d} tz="+0000" logid="0316013057" type="utm" subtype="webfilter" '
    'eventtype="ftgd_allow" srcip=10.10.4.21 user="jwilson" hostname="www.facebook.com" action="passthrough" '
    'url="https://www.facebook.com/" sentbyte=100 rcvdbyte=900'
)


def test_a_fortigate_file_that_starts_with_traffic_and_event_lines_keeps_its_web_filter_lines(run_import, jwilson):
    lines = [(TRAFFIC_NO_HOST if i % 2 else EVENT).format(m=i // 60, s=i % 60) for i in range(200)]
    lines += [WEBFILTER.format(m=i // 6, s=i * 10 % 60) for i in range(50)]
    report = run_import("\n".join(lines).encode(), "fortigate")
    assert report.status == UsageImport.Status.DONE, report.failure
    assert (report.lines_read, report.lines_kept, report.lines_rejected) == (250, 50, 0)
    assert report.dropped_reasons == {"not web use (a firewall event, or traffic with no site named)": 200}
    assert sum(_records().values_list("requests", flat=True)) == 50


def test_a_fortigate_traffic_line_that_a_profile_blocked_is_not_a_visit(run_import, jwilson):
    line = (
        'date=2026-11-24 time=10:00:00 tz="+0000" type="traffic" subtype="forward" srcip=10.10.4.21 '
        'user="jwilson" action="close" utmaction="block" hostname="www.facebook.com" sentbyte=736 rcvdbyte=3138'
    )
    report = run_import(line.encode(), "fortigate")
    assert report.dropped_reasons == {"blocked by the filter": 1}
    assert not _records().exists()


# --- Squid variants ------------------------------------------------------------------------------------------


def test_squid_with_log_fqdn_keeps_the_users_visits(run_import, jwilson):
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    report = run_import(
        "\n".join(
            [
                squid_line(moment, address="pc12.oakfield.local"),
                squid_line(moment + dt.timedelta(minutes=1), address="pc12.oakfield.local", user="-"),
            ]
        ).encode()
    )
    assert (report.lines_kept, report.rejections) == (2, [])
    assert _records().get().device == "unknown"  # address ranges cannot place a name
    assert UsageRecord.objects.get(identity_kind="address", identity_value="pc12.oakfield.local").requests == 1


def test_a_url_encoded_user_name_is_matched_to_its_employee(run_import, jwilson):
    NetworkIdentity.objects.create(
        kind="username", value="jamie wilson", employee=jwilson, valid_from=SAMPLE_NOW - dt.timedelta(days=30)
    )
    report = run_import(squid_line(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC), user="Jamie%20Wilson").encode())
    assert (report.lines_kept, report.rejections, report.unmatched) == (1, [], [])
    assert UsageRecord.objects.get(identity_value="jamie wilson").employee == jwilson


# --- long connections: Squid's elapsed -----------------------------------------------------------------------


def test_a_five_minute_tunnel_counts_in_every_minute_it_was_open(run_import, jwilson):
    ended = uk(TUESDAY, 10, 34, 30)
    line = squid_line(ended, elapsed_ms=300_000, url="www.facebook.com:443", size=48_000)
    report = run_import(line.replace(" GET ", " CONNECT ").encode())
    assert report.lines_kept == 1
    minutes = list(_records().order_by("started_at").values_list("started_at", "requests", "bytes"))
    assert [timezone_minute(m[0]) for m in minutes] == ["10:29", "10:30", "10:31", "10:32", "10:33", "10:34"]
    assert [m[1] for m in minutes] == [1, 0, 0, 0, 0, 0]  # one request, made when it opened
    assert sum(m[2] for m in minutes) == 48_000
    first = _records().order_by("started_at").first()
    last = _records().order_by("started_at").last()
    # Each minute's moments are clipped at its own bounds.
    assert (first.first_seen, first.last_seen) == (
        ended - dt.timedelta(minutes=5),
        uk(TUESDAY, 10, 29, 59) + dt.timedelta(microseconds=999999),
    )
    assert (last.first_seen, last.last_seen) == (uk(TUESDAY, 10, 34), ended)


def test_the_rest_break_analysis_counts_a_long_connection_in_the_break_it_started_in(run_import, jwilson):
    # A tunnel opened at 10:41 (in the 10:30-10:45 break) and closed at 10:46 (after it).
    line = squid_line(uk(TUESDAY, 10, 46, 30), elapsed_ms=330_000, url="www.facebook.com:443")
    run_import(line.replace(" GET ", " CONNECT ").encode())
    day = analyse_employee(jwilson, TUESDAY, TUESDAY)[TUESDAY]
    assert (day.in_breaks, day.outside_breaks) == (4, 2)  # 10:41-10:44 in the break; 10:45 and 10:46 not


def test_reading_the_same_long_connection_twice_counts_it_once(run_import, jwilson):
    line = squid_line(uk(TUESDAY, 10, 46, 30), elapsed_ms=330_000, url="www.facebook.com:443")
    run_import(line.encode())
    before = list(_records().order_by("started_at").values_list("started_at", "requests", "bytes"))
    run_import(line.encode())
    assert list(_records().order_by("started_at").values_list("started_at", "requests", "bytes")) == before


def test_a_connection_open_for_hours_counts_for_its_first_hour_at_most(run_import, jwilson):
    line = squid_line(uk(TUESDAY, 15, 0), elapsed_ms=5 * 3600 * 1000, url="www.facebook.com:443")
    run_import(line.encode())
    assert _records().count() == 61  # 10:00 to 11:00 inclusive
    assert timezone_minute(_records().order_by("started_at").first().started_at) == "10:00"


def timezone_minute(moment: dt.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%H:%M")


def test_an_elapsed_time_of_days_is_not_believed_beyond_a_day(run_import, jwilson):
    line = squid_line(uk(TUESDAY, 15, 0), elapsed_ms=90 * 24 * 3600 * 1000, url="www.facebook.com:443")
    run_import(line.encode())
    first = _records().order_by("started_at").first()
    assert timezone_minute(first.started_at) == "15:00"  # 24 hours before the line, then its first hour
    assert first.started_at.date() == TUESDAY - dt.timedelta(days=1)
    assert _records().count() == 61
