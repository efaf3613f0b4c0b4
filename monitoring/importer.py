"""Streaming a web filter's log into usage records: constant memory, only social media kept (4.1, 4.2).

Lines are read one at a time (a line longer than MAX_LINE_BYTES is skipped, not held), parsed with
string operations, matched to the site catalogue and aggregated per (identity, site, device, minute).
The aggregates are flushed every FLUSH_EVERY keys with COPY into a temporary table and merged with
INSERT ... ON CONFLICT DO UPDATE. The whole import is one transaction: a failure leaves nothing behind.

Idempotence: a record remembers the first and last moment it has seen. When new data for the same
minute overlaps that span it is the same traffic read again, so the larger count wins; when it does not
overlap (the next rotated log file) the counts add up.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import ipaddress
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from monitoring.models import AddressRange, IdentityKind, NetworkIdentity, Site, UsageImport, UsageRecord
from monitoring.parsers import CsvLayout, Rejected, normalise_address, normalise_user, parse_fortigate, parse_squid
from monitoring.partitions import RETENTION_MONTHS, ensure_partitions

logger = logging.getLogger(__name__)

MAX_LINE_BYTES = 16 * 1024
FLUSH_EVERY = 50_000
REPORT_LIMIT = 100
UNMATCHED_LIMIT = 500
SNIFF_LINES = 200
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC).timestamp()


class ImportFailed(Exception):
    """The file as a whole cannot be imported; nothing from it is kept."""


@dataclass
class ImportReport:
    read: int = 0
    kept: int = 0
    dropped: int = 0
    rejected: int = 0
    records: int = 0
    rejections: list = field(default_factory=list)
    dropped_reasons: Counter = field(default_factory=Counter)
    unmatched: set = field(default_factory=set)
    first_seen: float | None = None
    last_seen: float | None = None
    days: set = field(default_factory=set)  # (employee id, local date) whose analysis must be redone

    def reject(self, line_no: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejections) < REPORT_LIMIT:
            self.rejections.append([line_no, reason])

    def drop(self, reason: str) -> None:
        self.dropped += 1
        self.dropped_reasons[reason] += 1


def iter_lines(stream, max_len: int = MAX_LINE_BYTES):
    """(line number, bytes without the line end), or (line number, None) for a line over max_len."""
    readline = stream.readline
    line_no = 0
    while True:
        raw = readline(max_len + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) > max_len and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = readline(1 << 16)
            yield line_no, None
            continue
        yield line_no, raw.rstrip(b"\r\n")


class SiteMatcher:
    """Host name → catalogue site, by the host and each of its parent domains."""

    def __init__(self):
        self.domains: dict[str, int] = {}
        for site_id, domains in Site.objects.filter(is_active=True).values_list("id", "domains"):
            for domain in domains:
                self.domains[domain.lower().strip(".")] = site_id
        self.cache: dict[str, int | None] = {}

    def match(self, host: str) -> int | None:
        if host in self.cache:
            return self.cache[host]
        found, part = None, host
        while part:
            found = self.domains.get(part)
            if found is not None:
                break
            dot = part.find(".")
            part = part[dot + 1 :] if dot != -1 else ""
        if len(self.cache) > 200_000:
            self.cache.clear()
        self.cache[host] = found
        return found


class DeviceMatcher:
    """Client address → school device or own device, by the address ranges HR records (2.1, 2.2)."""

    def __init__(self):
        self.networks = [
            (ipaddress.ip_network(n, strict=False), d) for n, d in AddressRange.objects.values_list("network", "device")
        ]
        self.networks.sort(key=lambda item: item[0].prefixlen, reverse=True)  # the narrowest range wins
        self.cache: dict[str, str] = {}

    def match(self, address: str) -> str:
        if not address:
            return UsageRecord.Device.UNKNOWN
        if address in self.cache:
            return self.cache[address]
        ip = ipaddress.ip_address(address)
        device = next((d for net, d in self.networks if ip.version == net.version and ip in net), "unknown")
        if len(self.cache) > 100_000:
            self.cache.clear()
        self.cache[address] = device
        return device


class IdentityMatcher:
    """(kind, value, moment) → employee id, honouring each identity's validity period."""

    def __init__(self):
        self.periods: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
        for kind, value, start, end, employee_id in NetworkIdentity.objects.values_list(
            "kind", "value", "valid_from", "valid_to", "employee_id"
        ):
            self.periods.setdefault((kind, value), []).append(
                (start.timestamp(), end.timestamp() if end else float("inf"), employee_id)
            )
        for periods in self.periods.values():
            periods.sort()

    def match(self, kind: str, value: str, moment: float) -> int | None:
        periods = self.periods.get((kind, value))
        if not periods:
            return None
        i = bisect.bisect_right(periods, (moment, float("inf"), 0)) - 1
        if i >= 0 and periods[i][0] <= moment < periods[i][1]:
            return periods[i][2]
        return None


class UsageImporter:
    def __init__(self, usage_import: UsageImport, *, now: dt.datetime | None = None):
        self.usage_import = usage_import
        self.report = ImportReport()
        self.buckets: dict[tuple, list] = {}
        now = now or timezone.now()
        self.latest = (now + dt.timedelta(minutes=10)).timestamp()
        self.oldest = (now - dt.timedelta(days=365)).timestamp()
        self.local_dates: dict[int, dt.date] = {}

    def run(self, stream) -> ImportReport:
        self.sites, self.devices, self.identities = SiteMatcher(), DeviceMatcher(), IdentityMatcher()
        parse = {"squid": parse_squid, "fortigate": parse_fortigate}.get(self.usage_import.format)
        layout = None
        report = self.report
        with connection.cursor() as cursor:
            self._create_temp_table(cursor)
            for line_no, raw in iter_lines(stream):
                report.read += 1
                if raw is None:
                    report.reject(line_no, f"the line is longer than {MAX_LINE_BYTES // 1024} KB")
                elif b"\x00" in raw:
                    report.reject(line_no, "the line holds binary data, not text")
                else:
                    try:
                        line = raw.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        report.reject(line_no, f"the line is not valid UTF-8 text (byte {exc.start + 1})")
                    else:
                        if not line.strip() or line.lstrip().startswith("#"):
                            report.read -= 1  # blank lines and comments are not log lines
                            continue
                        if self.usage_import.format == "csv" and layout is None:
                            try:
                                layout = CsvLayout(self.usage_import.mapping, line)
                            except Rejected as exc:
                                raise ImportFailed(f"This CSV file does not fit its column mapping: {exc}.")
                            report.read -= 1  # the header line
                            continue
                        try:
                            hit = (layout.parse if layout else parse)(line)
                            self._take(hit)
                        except Rejected as exc:
                            report.reject(line_no, str(exc))
                if report.read == SNIFF_LINES and report.rejected == SNIFF_LINES:
                    self._fail_as_unreadable()
                if len(self.buckets) >= FLUSH_EVERY:
                    self._flush(cursor)
            if report.read == 0:
                raise ImportFailed("The file is empty: it has no log lines.")
            if report.kept + report.dropped == 0:
                self._fail_as_unreadable()
            self._flush(cursor)
        return report

    def _fail_as_unreadable(self) -> None:
        fmt = UsageImport.Format(self.usage_import.format).label
        first = "; ".join(f"line {n}: {reason}" for n, reason in self.report.rejections[:3])
        raise ImportFailed(
            f"No line could be read as a {fmt}. Is this the right format, and a text log file? ({first})"
        )

    def _take(self, hit) -> None:
        report = self.report
        ts = hit.timestamp
        if ts < EARLIEST:
            raise Rejected("the time is before 1990")
        if ts > self.latest:
            raise Rejected("the time is in the future")
        site_id = self.sites.match(hit.host)
        if site_id is None:
            report.drop("not a social media site")
            return
        if hit.blocked:
            report.drop("blocked by the filter")
            return
        if ts < self.oldest:
            report.drop(f"older than {RETENTION_MONTHS} months (clause 4.2)")
            return
        user, address = normalise_user(hit.user), normalise_address(hit.address)
        if user:
            kind, value = IdentityKind.USERNAME, user
        elif address:
            kind, value = IdentityKind.ADDRESS, address
        else:
            raise Rejected("the line names neither a user nor a client address")
        minute = int(ts // 60) * 60
        key = (kind, value, site_id, self.devices.match(address), minute)
        bucket = self.buckets.get(key)
        if bucket is None:
            self.buckets[key] = [1, hit.bytes, ts, ts]
        else:
            bucket[0] += 1
            bucket[1] += hit.bytes
            if ts < bucket[2]:
                bucket[2] = ts
            if ts > bucket[3]:
                bucket[3] = ts
        report.kept += 1
        if report.first_seen is None or ts < report.first_seen:
            report.first_seen = ts
        if report.last_seen is None or ts > report.last_seen:
            report.last_seen = ts

    def _local_date(self, minute: int) -> dt.date:
        hour = minute - minute % 3600
        day = self.local_dates.get(hour)
        if day is None:
            day = timezone.localtime(dt.datetime.fromtimestamp(hour, dt.UTC)).date()
            self.local_dates[hour] = day
        return day

    @staticmethod
    def _create_temp_table(cursor) -> None:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS monitoring_usage_incoming ("
            " identity_kind text, identity_value text, employee_id bigint, site_id bigint, device text,"
            " started_at double precision, first_seen double precision, last_seen double precision,"
            " requests integer, bytes bigint) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE monitoring_usage_incoming")

    def _flush(self, cursor) -> None:
        if not self.buckets:
            return
        report, out = self.report, io.StringIO()
        for (kind, value, site_id, device, minute), (count, size, first, last) in self.buckets.items():
            employee_id = self.identities.match(kind, value, minute)
            if employee_id is None:
                if len(report.unmatched) < UNMATCHED_LIMIT:
                    report.unmatched.add((kind, value))
                employee = r"\N"
            else:
                employee = employee_id
                report.days.add((employee_id, self._local_date(minute)))
            safe = value.replace("\\", "\\\\")
            out.write(
                f"{kind}\t{safe}\t{employee}\t{site_id}\t{device}\t{minute}\t{first!r}\t{last!r}\t{count}\t{size}\n"
            )
        out.seek(0)
        cursor.cursor.copy_expert("COPY monitoring_usage_incoming FROM STDIN", out)
        cursor.execute(
            """
            INSERT INTO monitoring_usagerecord AS u (import_id, identity_kind, identity_value, employee_id, site_id,
                device, started_at, first_seen, last_seen, requests, bytes, created_at)
            SELECT %s, identity_kind, identity_value, employee_id, site_id, device, to_timestamp(started_at),
                to_timestamp(first_seen), to_timestamp(last_seen), requests, bytes, now()
            FROM monitoring_usage_incoming
            ON CONFLICT (identity_kind, identity_value, site_id, device, started_at) DO UPDATE SET
                requests = CASE WHEN EXCLUDED.first_seen > u.last_seen OR EXCLUDED.last_seen < u.first_seen
                    THEN u.requests + EXCLUDED.requests ELSE GREATEST(u.requests, EXCLUDED.requests) END,
                bytes = CASE WHEN EXCLUDED.first_seen > u.last_seen OR EXCLUDED.last_seen < u.first_seen
                    THEN u.bytes + EXCLUDED.bytes ELSE GREATEST(u.bytes, EXCLUDED.bytes) END,
                first_seen = LEAST(u.first_seen, EXCLUDED.first_seen),
                last_seen = GREATEST(u.last_seen, EXCLUDED.last_seen),
                employee_id = COALESCE(u.employee_id, EXCLUDED.employee_id),
                import_id = EXCLUDED.import_id
            """,
            [self.usage_import.pk],
        )
        report.records += cursor.rowcount
        cursor.execute("TRUNCATE monitoring_usage_incoming")
        self.buckets.clear()


def import_stream(usage_import: UsageImport, stream, *, now: dt.datetime | None = None) -> UsageImport:
    """Run the import of one file and store its report; on failure nothing but the report is kept.

    `now` bounds what counts as "in the future" or "older than 12 months"; tests pass a fixed moment."""
    from monitoring.analysis import usage_days_recompute

    started = time.monotonic()
    importer = UsageImporter(usage_import, now=now)
    failure = ""
    ensure_partitions(months_ahead=1)
    try:
        with transaction.atomic():
            report = importer.run(stream)
            usage_days_recompute(pairs=report.days)
    except ImportFailed as exc:
        failure = str(exc)
    except Exception as exc:  # noqa: BLE001 - the report says it failed; the log keeps the traceback
        logger.exception("usage import %s failed", usage_import.pk)
        failure = f"The import stopped on an unexpected error ({type(exc).__name__}); nothing was imported."
    report = importer.report
    usage_import.lines_read = report.read
    usage_import.lines_kept = 0 if failure else report.kept
    usage_import.lines_dropped = report.dropped
    usage_import.lines_rejected = report.rejected
    usage_import.records_written = 0 if failure else report.records
    usage_import.rejections = report.rejections
    usage_import.dropped_reasons = dict(report.dropped_reasons)
    usage_import.unmatched = [] if failure else sorted([k, v] for k, v in report.unmatched)
    usage_import.first_seen = dt.datetime.fromtimestamp(report.first_seen, dt.UTC) if report.first_seen else None
    usage_import.last_seen = dt.datetime.fromtimestamp(report.last_seen, dt.UTC) if report.last_seen else None
    usage_import.status = UsageImport.Status.FAILED if failure else UsageImport.Status.DONE
    usage_import.failure = failure
    usage_import.finished_at = timezone.now()
    usage_import.save()
    logger.info("usage import %s: %s in %.1fs", usage_import.pk, usage_import.status, time.monotonic() - started)
    return usage_import
