"""Imports: what is kept, dropped and rejected, idempotence, partitions, bad input, constant memory."""

import datetime as dt
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from monitoring import analysis, importer, parsers
from monitoring.models import CsvMapping, NetworkIdentity, UsageDay, UsageImport, UsageRecord
from monitoring.partitions import add_months, ensure_partitions, month_start, partition_name
from people.models import User
from tests.monitoring.conftest import SAMPLE_NOW, SAMPLES, squid_line

pytestmark = pytest.mark.django_db


def _records(value="jwilson"):
    return UsageRecord.objects.filter(identity_value=value)


def test_the_squid_sample_gives_a_report_with_line_numbers(run_import, jwilson):
    report = run_import("squid_access.log")
    assert report.status == UsageImport.Status.DONE, report.failure
    assert report.lines_read == 21  # the comment line is not a log line
    assert report.lines_rejected == 2
    assert report.rejections == [
        [21, "'not-a-time' is not a Squid timestamp (seconds since 1970)"],
        [22, "a Squid line has at least 7 fields; this one has 4"],
    ]
    # TCP_DENIED/403 and /407 were blocked; TCP_MISS_ABORTED/000 and TAG_NONE/503 never reached the site.
    assert report.dropped_reasons == {
        "not a social media site": 4,
        "blocked by the filter": 2,
        "never reached the site (an error or no reply)": 2,
    }
    assert report.lines_kept == 11
    assert sorted(report.unmatched) == [
        ["address", "10.11.0.44"],
        ["address", "2001:db8:10::21"],
        ["username", "tbrown"],
    ]
    facebook_minute_one = _records().get(
        site__name="Facebook", started_at=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    )
    assert (facebook_minute_one.requests, facebook_minute_one.bytes) == (3, 5120 + 900 + 2048)
    assert facebook_minute_one.employee == jwilson
    assert facebook_minute_one.device == "school"
    # An IPv4-mapped IPv6 client on the staff Wi-Fi is an own device.
    assert UsageRecord.objects.get(identity_value="10.11.0.44").device == "own"


def test_importing_the_same_file_twice_creates_no_duplicates(run_import, jwilson):
    run_import("squid_access.log")
    before = list(UsageRecord.objects.order_by("pk").values_list("identity_value", "site_id", "requests", "bytes"))
    again = run_import("squid_access.log")
    assert again.status == UsageImport.Status.DONE
    after = list(UsageRecord.objects.order_by("pk").values_list("identity_value", "site_id", "requests", "bytes"))
    assert after == before


def test_overlapping_and_rotated_files_add_up_once(run_import, jwilson):
    start = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    lines = [squid_line(start + dt.timedelta(seconds=s)) for s in range(0, 60, 5)]  # 12 requests in one minute
    first, second = "\n".join(lines[:5]).encode(), "\n".join(lines[5:]).encode()
    run_import(first)
    run_import(second)  # the next rotated file: the same minute, later seconds
    assert _records().get().requests == 12
    run_import("\n".join(lines).encode())  # everything again, overlapping both
    run_import(first)
    assert _records().get().requests == 12


def test_records_land_in_the_partition_of_their_month(run_import, jwilson):
    ensure_partitions(months_ahead=0, months_behind=0, today=SAMPLE_NOW.date())  # the sample's month, on any date
    report = run_import("squid_access.log")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tableoid::regclass::text FROM monitoring_usagerecord WHERE import_id = %s",
            [report.pk],
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {partition_name(month_start(SAMPLE_NOW))}


def test_ensure_partitions_moves_rows_out_of_the_default_partition(db):
    far = add_months(month_start(SAMPLE_NOW), 30)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO monitoring_usagerecord (identity_kind, identity_value, site_id, device, started_at, "
            "first_seen, last_seen, requests, bytes) VALUES ('username', 'x', 1, 'school', %s, %s, %s, 1, 1)",
            [dt.datetime(far.year, far.month, 2, tzinfo=dt.UTC)] * 3,
        )
    months_ahead = (far.year - dt.date.today().year) * 12 + far.month - dt.date.today().month
    created = ensure_partitions(months_ahead=months_ahead)
    assert partition_name(far) in created
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM monitoring_usagerecord WHERE identity_value = 'x'")
        assert cursor.fetchone()[0] == partition_name(far)
    assert ensure_partitions(months_ahead=months_ahead) == []


def test_the_fortigate_sample(run_import, jwilson):
    report = run_import("fortigate.log", "fortigate")
    assert report.status == UsageImport.Status.DONE, report.failure
    assert (report.lines_read, report.lines_kept, report.lines_dropped, report.lines_rejected) == (7, 3, 3, 1)
    assert report.rejections == [[7, "24/11/2026 12:26:00 is not a FortiGate date and time"]]
    assert report.dropped_reasons == {
        "blocked by the filter": 1,
        "not a social media site": 1,
        "not web use (a firewall event, or traffic with no site named)": 1,  # a DNS session: no host
    }
    assert _records().get().bytes == 1337 + 40210
    assert UsageRecord.objects.get(identity_value="tbrown").site.name == "Instagram"


def test_the_smoothwall_csv_sample_with_its_saved_mapping(run_import, jwilson):
    mapping = CsvMapping.objects.get(name="Smoothwall web filter export")
    report = run_import("smoothwall.csv", "csv", mapping=mapping)
    assert report.status == UsageImport.Status.DONE, report.failure
    assert (report.lines_read, report.lines_kept, report.lines_dropped, report.lines_rejected) == (7, 3, 2, 2)
    assert [n for n, _ in report.rejections] == [7, 8]
    assert _records().get().requests == 2


def test_a_csv_without_the_mapped_columns_fails_clearly(run_import):
    mapping = CsvMapping.objects.get(name="Smoothwall web filter export")
    report = run_import(b"when,who,what\n2026-11-24 10:00:00,a,https://x.com/\n", "csv", mapping=mapping)
    assert report.status == UsageImport.Status.FAILED
    assert "no column 'Time'" in report.failure
    assert not UsageRecord.objects.exists() or report.records_written == 0


def test_a_binary_file_is_refused_and_nothing_is_kept(run_import):
    count = UsageRecord.objects.count()
    report = run_import(bytes(range(256)) * 400)
    assert report.status == UsageImport.Status.FAILED
    assert report.failure == (
        "This file is not a text log: it holds binary data of a kind this app does not recognise. "
        "Export the log from the filter as text and import that."
    )
    assert UsageRecord.objects.count() == count


def test_choosing_the_wrong_format_fails_and_keeps_nothing(run_import, jwilson):
    report = run_import("squid_access.log", "fortigate")
    assert report.status == UsageImport.Status.FAILED
    assert "FortiGate" in report.failure
    assert not _records().exists()


def test_an_empty_file_says_so(run_import):
    report = run_import(b"")
    assert report.status == UsageImport.Status.FAILED
    assert report.failure == "The file is empty: it has no log lines."


def test_bad_lines_are_rejected_one_by_one_and_the_rest_is_kept(run_import, jwilson):
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    data = b"\n".join(
        [
            squid_line(moment).encode(),
            squid_line(moment).encode().replace(b"facebook", b"f\xe9cebook"),
            b"1795510801.500 " + b"x" * (importer.MAX_LINE_BYTES + 10),
            squid_line(dt.datetime(2031, 1, 1, tzinfo=dt.UTC)).encode(),
            squid_line(dt.datetime(1985, 1, 1, tzinfo=dt.UTC)).encode(),
            squid_line(SAMPLE_NOW - dt.timedelta(days=400)).encode(),
            b"\x00\x01\x02binary",
            squid_line(moment + dt.timedelta(minutes=1)).encode(),
        ]
    )
    report = run_import(data)
    assert report.status == UsageImport.Status.DONE
    reasons = dict(map(tuple, report.rejections))
    assert reasons == {
        2: "the line is not valid UTF-8 text (byte 63)",
        3: "the line is longer than 16 KB",
        4: "the time is in the future",
        5: "the time is before 1990",
        7: "the line holds binary data, not text",
    }
    assert report.dropped_reasons == {"older than 12 months (clause 4.2)": 1}
    assert report.lines_kept == 2
    assert _records().count() == 2


def test_a_time_that_is_not_a_number_is_rejected(run_import, jwilson):
    line = squid_line(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC))
    report = run_import(f"{line}\nnan{line[line.index(' ') :]}\n".encode())
    assert report.status == UsageImport.Status.DONE, report.failure
    assert report.rejections == [[2, "the time is not a number"]]


def test_lines_across_block_boundaries_are_read_as_in_one_block(run_import, jwilson, monkeypatch):
    """The file is read in blocks; a line cut by a block's end, or longer than a block, is still one line."""
    moment = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    data = b"\r\n".join(
        [
            *(squid_line(moment + dt.timedelta(seconds=7 * s)).encode() for s in range(20)),
            b"1795510801.500 " + b"x" * (importer.MAX_LINE_BYTES + 10),
            b"# a comment",
            b"",
            squid_line(moment, url="http://www.bbc.co.uk/").encode(),
            squid_line(moment).encode().replace(b"facebook", b"f\xe9cebook"),
            squid_line(moment + dt.timedelta(minutes=5)).encode(),
        ]
    )
    whole = run_import(data)
    monkeypatch.setattr(importer, "BLOCK_BYTES", 37)
    in_pieces = run_import(data)
    assert whole.status == in_pieces.status == UsageImport.Status.DONE
    assert (
        whole.rejections
        == in_pieces.rejections
        == [
            [21, "the line is longer than 16 KB"],
            [25, "the line is not valid UTF-8 text (byte 63)"],
        ]
    )
    for report in (whole, in_pieces):
        assert (report.lines_read, report.lines_kept, report.lines_dropped) == (24, 21, 1)
    assert sum(_records().values_list("requests", flat=True)) == 21  # the second import read the same again


def test_script_in_a_log_line_is_only_text_in_the_report(run_import, client_for):
    report = run_import(b"<script>alert(1)</script> 1 2 3 4 5 6 7\n" * 3)
    response = client_for("hr").get(report.get_absolute_url())
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content or b"&#x27;&lt;script&gt;" in response.content


class _GeneratedLog:
    """A large log produced on the fly: the importer must never hold it whole."""

    def __init__(self, lines: int):
        self.remaining = lines
        self.start = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC).timestamp()
        self.i = 0

    def readline(self, limit=-1):
        if self.remaining == 0:
            return b""
        self.remaining -= 1
        self.i += 1
        user = f"user{self.i % 50}"
        site = "www.facebook.com" if self.i % 3 else "www.example.org"
        ts = self.start + self.i * 0.05
        return f"{ts:.3f} 10 10.10.1.{self.i % 200} TCP_MISS/200 512 GET http://{site}/ {user} - text/html\n".encode()


def test_memory_stays_flat_on_a_large_stream(run_import, monkeypatch):
    monkeypatch.setattr(importer, "FLUSH_EVERY", 2000)
    tracemalloc.start()
    report = run_import(b"")  # warm up the import machinery before measuring
    tracemalloc.reset_peak()
    usage_import = UsageImport.objects.create(file_name="big.log", format="squid")
    report = importer.import_stream(usage_import, _GeneratedLog(120_000), now=SAMPLE_NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.status == UsageImport.Status.DONE, report.failure
    assert report.lines_read == 120_000
    assert report.lines_kept == 80_000
    assert peak < 12 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a ~10 MB stream"
    assert (
        UsageRecord.objects.filter(identity_value__startswith="user").aggregate(
            n=__import__("django.db.models").db.models.Sum("requests")
        )["n"]
        == 80_000
    )


class _VariedLog:
    """`lines` Squid lines made on demand (a file-like object with read(), as an upload is), over months and
    with a new host, address and visitor on almost every line, so that every cache, buffer and list of the
    importer fills up many times over: whatever grows with the file shows in its peak memory."""

    def __init__(self, lines: int, staff: int):
        self.lines, self.staff, self.i = lines, staff, 0
        self.start = (SAMPLE_NOW - dt.timedelta(days=300)).timestamp()

    def read(self, size=-1):
        out = []
        for i in range(self.i, min(self.lines, self.i + max(size, 120) // 120)):
            if i % 20 == 0:
                out.append(f"not-a-time {i} 10.0.0.1 TCP_MISS/200 1 GET http://x.com/ - - -\n")
                continue
            host = "www.facebook.com" if i % 3 == 0 else f"site{i}.example.org"
            user = f"visitor{i}" if i % 2 == 0 else f"staff{i // 6 % self.staff}"
            address = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
            out.append(f"{self.start + i * 120:.3f} 5 {address} TCP_MISS/200 700 GET https://{host}/p {user} - -\n")
        self.i += len(out)
        return "".join(out).encode()


def _peak_of_import(lines: int, staff: int) -> tuple[int, UsageImport]:
    """The most memory the import had allocated at any moment beyond what was allocated when it started."""
    usage_import = UsageImport.objects.create(file_name=f"{lines}.log", format="squid")
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    done = importer.import_stream(usage_import, _VariedLog(lines, staff), now=SAMPLE_NOW)
    return tracemalloc.get_traced_memory()[1] - before, done


def test_peak_memory_does_not_grow_with_the_number_of_lines(run_import, monkeypatch):
    """Issue 5: a 2 GB file must not need gigabytes. With the buffers and caches made small, 8 times the lines
    (and 8 times the days, hosts, addresses, identities and rejected lines) must not raise the peak."""
    monkeypatch.setattr(importer, "BLOCK_BYTES", 16 * 1024)  # about 140 lines: the small file is many blocks
    monkeypatch.setattr(importer, "FLUSH_EVERY", 200)
    monkeypatch.setattr(importer, "CACHE_LIMIT", 100)
    monkeypatch.setattr(importer, "UNMATCHED_LIMIT", 100)
    monkeypatch.setattr(parsers, "CACHE_LIMIT", 100)
    monkeypatch.setattr(importer, "RECOMPUTE_CHUNK", 100)
    monkeypatch.setattr(analysis, "RECOMPUTE_BATCH_DAYS", 30)
    monkeypatch.setattr(analysis, "RECOMPUTE_FETCH_ROWS", 100)
    staff = list(User.objects.filter(organisation__isnull=False).order_by("pk")[:60])
    NetworkIdentity.objects.bulk_create(
        NetworkIdentity(
            kind="username", value=f"staff{k}", employee=employee, valid_from=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        )
        for k, employee in enumerate(staff)
    )
    n = 3_000
    tracemalloc.start()
    try:
        _peak_of_import(n // 4, len(staff))  # compiles the queries and fills Django's caches first
        small, small_import = _peak_of_import(n, len(staff))
        large, large_import = _peak_of_import(8 * n, len(staff))
    finally:
        tracemalloc.stop()
    for done, lines in [(small_import, n), (large_import, 8 * n)]:
        assert done.status == UsageImport.Status.DONE, done.failure
        assert done.lines_read == lines
        assert done.lines_kept + done.lines_dropped + done.lines_rejected == lines
        assert len(done.rejections) == importer.REPORT_LIMIT
        assert len(done.unmatched) == importer.UNMATCHED_LIMIT
    assert large_import.lines_rejected == 8 * n // 20
    assert UsageDay.objects.filter(employee__in=staff).count() > 60 * 30  # a month of days of 60 people
    assert large < small * 1.10 + 64 * 1024, f"peak {small / 1e6:.2f} MB for {n:,} lines, {large / 1e6:.2f} MB for 8×"


def test_the_command_line_import_prints_the_report(jwilson, capsys):
    call_command("import_usage", str(SAMPLES / "fortigate.log"), "--format", "fortigate")
    # The sample is from 24/11/2026: on a later run its lines are older than 12 months, still a clean report.
    out = capsys.readouterr().out
    assert "7 lines read" in out


def test_the_command_line_import_fails_loudly_on_a_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_usage", "/no/such/file.log", "--format", "squid")


def test_an_import_updates_the_rest_break_analysis(run_import, jwilson):
    run_import("squid_access.log")
    day = UsageDay.objects.get(employee=jwilson, day=dt.date(2026, 11, 24))
    assert day.minutes_outside_breaks == 5  # 09:00-09:04 UK time, in a lesson
    assert day.minutes_in_breaks == 0


class _OneHugeLine:
    """50 MB with no line end, then one good line: the over-long line must be skipped without being held."""

    def __init__(self, good: bytes):
        self.left = 50 * 1024 * 1024
        self.rest = [b"\n", good]

    def readline(self, limit=-1):
        if self.left > 0:
            size = min(self.left, limit if limit > 0 else self.left)
            self.left -= size
            return b"a" * size
        return self.rest.pop(0) if self.rest else b""


def test_an_over_long_line_is_skipped_without_holding_it(jwilson):
    good = (squid_line(dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)) + "\n").encode()
    usage_import = UsageImport.objects.create(file_name="huge.log", format="squid")
    tracemalloc.start()
    report = importer.import_stream(usage_import, _OneHugeLine(good), now=SAMPLE_NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.status == UsageImport.Status.DONE, report.failure
    assert report.rejections == [[1, "the line is longer than 16 KB"]]
    assert report.lines_kept == 1
    assert peak < 5 * 1024 * 1024


def test_the_daily_task_keeps_partitions_ahead_of_time(db):
    from monitoring.tasks import ensure_usage_partitions

    ensure_usage_partitions()
    from django.utils import timezone

    ahead = add_months(month_start(timezone.now()), 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partition_name(ahead)])
        assert cursor.fetchone()[0] == partition_name(ahead)
    assert ensure_usage_partitions() == []
