"""Streaming a web filter's log into usage records: constant memory, only social media kept (4.1, 4.2).

The file is read a block at a time (a line longer than MAX_LINE_BYTES is skipped, not held), each line is
parsed with string operations, matched to the site catalogue and aggregated per (identity, site, device,
minute). The aggregates are flushed every FLUSH_EVERY keys with COPY into a temporary table and merged with
INSERT ... ON CONFLICT DO UPDATE. The whole import is one transaction: a failure leaves nothing behind.

Memory does not grow with the file (issue 5: a 2 GB file must not need gigabytes): the aggregates wait for
at most FLUSH_EVERY keys, every look-up cache is cleared when it holds CACHE_LIMIT entries, the report keeps
the first REPORT_LIMIT rejections and UNMATCHED_LIMIT unmatched identities plus counts, and the (employee,
day) pairs whose rest-break analysis must be redone go to a temporary table, read back a chunk at a time.

Speed: a Squid line is the common case (issue 11 asks for 100,000 lines a second), so it has its own loop
with no object per line: one split, the time as a float, the minute as an integer, and cached look-ups of
the result code, the URL's host and port (→ site) and the user and address (→ identity and device). Most
lines are not social media and leave the loop after the host look-up, with the same checks before it as
every other line, so a line is rejected or dropped for the same reason whichever way it is read.

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
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from monitoring.logfile import UnreadableFile, open_log
from monitoring.models import AddressRange, IdentityKind, NetworkIdentity, Site, UsageImport, UsageRecord
from monitoring.parsers import (
    BLOCKED,
    NOT_REACHED,
    SQUID_DEPENDS_ON_PEER,
    CsvLayout,
    Dropped,
    Rejected,
    host_of,
    normalise_address,
    normalise_user,
    parse_fortigate,
    parse_squid_code,
    squid_peer_refused,
)
from monitoring.partitions import RETENTION_MONTHS, ensure_partitions

logger = logging.getLogger(__name__)

MAX_LINE_BYTES = 16 * 1024
BLOCK_BYTES = 256 * 1024
FLUSH_EVERY = 50_000
CACHE_LIMIT = 20_000
REPORT_LIMIT = 100
UNMATCHED_LIMIT = 500
SNIFF_LINES = 200
RECOMPUTE_CHUNK = 5_000
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC).timestamp()
# A connection counts in each minute it was open (Squid's elapsed), for at most this long from its start: a
# tunnel that a background tab keeps open all day is not a day of use.
MAX_OPEN_SECONDS = 60 * 60
MAX_ELAPSED_SECONDS = 24 * 60 * 60  # an elapsed time longer than a day is not believed beyond a day

NOT_SOCIAL = "not a social media site"
TOO_OLD = f"older than {RETENTION_MONTHS} months (clause 4.2)"


class ImportFailed(Exception):
    """The file as a whole cannot be imported; nothing from it is kept."""


@dataclass
class ImportReport:
    read: int = 0
    kept: int = 0
    dropped: int = 0
    rejected: int = 0
    records: int = 0
    rejections: list = field(default_factory=list)  # the first REPORT_LIMIT; `rejected` counts them all
    dropped_reasons: Counter = field(default_factory=Counter)
    unmatched: set = field(default_factory=set)  # the first UNMATCHED_LIMIT
    first_seen: float | None = None
    last_seen: float | None = None

    def reject(self, line_no: int, reason: str) -> None:
        self.rejected += 1
        if len(self.rejections) < REPORT_LIMIT:
            self.rejections.append([line_no, reason])

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped += count
        self.dropped_reasons[reason] += count


def iter_blocks(stream, max_len: int = MAX_LINE_BYTES):
    """The file as blocks of whole lines (bytes, lines joined by b"\\n"), with None in place of a line longer
    than max_len, which is skipped without being held.

    Reading a block at a time and splitting it costs a fraction of a readline per line. A stream that
    only has readline (a test's generator) is read a line at a time the same way."""
    read = getattr(stream, "read", None) or stream.readline
    tail, skipping = b"", False
    while True:
        data = read(BLOCK_BYTES)
        if not data:
            break
        if skipping:
            end = data.find(b"\n")
            if end == -1:
                continue
            data, skipping = data[end + 1 :], False
        end = data.rfind(b"\n")
        if end == -1:
            tail += data
        else:
            yield tail + data[:end]
            tail = data[end + 1 :]
        if len(tail) > max_len:
            yield None
            tail, skipping = b"", True
    if tail:
        yield tail


def minutes_open(start: float, end: float):
    """(minute since the epoch, first moment, last moment) of each minute a connection open from `start` to
    `end` touched, its moments clipped at the minute's bounds; at most MAX_OPEN_SECONDS from its start."""
    end = min(end, start + MAX_OPEN_SECONDS)
    minute, last_minute = int(start) // 60, int(end) // 60
    while minute <= last_minute:
        lower = minute * 60
        yield minute, max(start, lower), min(end, lower + 59.999999)
        minute += 1


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
        if len(self.cache) >= CACHE_LIMIT:
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
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:  # a device name (Squid's log_fqdn): address ranges cannot say which device it is
            return UsageRecord.Device.UNKNOWN
        device = next((d for net, d in self.networks if ip.version == net.version and ip in net), "unknown")
        if len(self.cache) >= CACHE_LIMIT:
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
        # (identity kind, value, device), site id, minute since the epoch → [requests, bytes, first, last]
        self.buckets: dict[tuple, list] = {}
        now = now or timezone.now()
        self.latest = (now + dt.timedelta(minutes=10)).timestamp()
        self.oldest = (now - dt.timedelta(days=365)).timestamp()
        self.targets: dict[str, int] = {}  # a URL's host and port → site id, 0 for none
        self.codes: dict[str, str] = {}  # a Squid result code → "" (a visit), BLOCKED, NOT_REACHED or "peer"
        self.identities_seen: dict[tuple[str, str], tuple[str, str, str]] = {}  # (user, address) as logged
        self.layout: CsvLayout | None = None

    def run(self, stream) -> ImportReport:
        self.sites, self.devices, self.identities = SiteMatcher(), DeviceMatcher(), IdentityMatcher()
        fmt = self.usage_import.format
        take = self._take_squid if fmt == UsageImport.Format.SQUID else self._take_lines
        self.parse = parse_fortigate if fmt == UsageImport.Format.FORTIGATE else None
        with connection.cursor() as cursor:
            self._create_temp_tables(cursor)
        # PostgreSQL's share of an import (the upsert into five indexes) costs as much CPU as reading the
        # lines, so one thread merges a flushed batch while this one reads the next. It uses this
        # connection, inside this transaction, one batch at a time.
        self.merger, self.merging = ThreadPoolExecutor(max_workers=1, thread_name_prefix="usage-merge"), None
        self.tz_name = timezone.get_current_timezone_name()  # the merge thread has no current time zone
        try:
            self._read(open_log(stream), take)
            self._wait_for_merge()
        finally:
            if self.merging is not None:
                futures.wait([self.merging])  # a query must not run into the rollback of a failed import
            self.merger.shutdown()
        return self.report

    def _read(self, stream, take) -> None:
        report, line_no = self.report, 0
        for block in iter_blocks(stream):
            if block is None:
                line_no += 1
                report.read += 1
                self._reject(line_no, f"the line is longer than {MAX_LINE_BYTES // 1024} KB")
            elif b"\x00" not in block and block.isascii():
                lines = block.decode("ascii").split("\n")
                if len(block) > MAX_LINE_BYTES and max(map(len, lines)) > MAX_LINE_BYTES:
                    line_no = self._take_one_by_one(block, line_no, take)
                else:
                    take(lines, line_no)
                    line_no += len(lines)
            else:
                line_no = self._take_one_by_one(block, line_no, take)
            if len(self.buckets) >= FLUSH_EVERY:
                self._flush()
        if report.read == 0:
            raise ImportFailed("The file is empty: it has no log lines.")
        if report.kept + report.dropped == 0:
            self._fail_as_unreadable()
        self._flush()

    def _take_one_by_one(self, block: bytes, line_no: int, take) -> int:
        """A block with binary data, text that is not ASCII or an over-long line: each line on its own."""
        for raw in block.split(b"\n"):
            line_no += 1
            raw = raw.rstrip(b"\r")
            if len(raw) > MAX_LINE_BYTES:
                self.report.read += 1
                self._reject(line_no, f"the line is longer than {MAX_LINE_BYTES // 1024} KB")
            elif b"\x00" in raw:
                self.report.read += 1
                self._reject(line_no, "the line holds binary data, not text")
            else:
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self.report.read += 1
                    self._reject(line_no, f"the line is not valid UTF-8 text (byte {exc.start + 1})")
                else:
                    take([line], line_no - 1)
        return line_no

    def _reject(self, line_no: int, reason: str) -> None:
        report = self.report
        report.reject(line_no, reason)
        # The first SNIFF_LINES lines all rejected: the wrong format was chosen, or this is not a log.
        if report.rejected == SNIFF_LINES and report.read == SNIFF_LINES:
            self._fail_as_unreadable()

    def _fail_as_unreadable(self) -> None:
        fmt = UsageImport.Format(self.usage_import.format).label
        first = "; ".join(f"line {n}: {reason}" for n, reason in self.report.rejections[:3])
        raise ImportFailed(
            f"No line could be read as a {fmt}. Is this the right format, and a text log file? ({first})"
        )

    def _take_squid(self, lines: list[str], line_no: int) -> None:
        """Squid native access.log lines; the checks and their order are parse_squid's and _take's.

        time elapsed client code/status bytes method URL user hierarchy/peer type
        1764150000.123 215 10.10.4.21 TCP_MISS/200 5120 GET https://www.facebook.com/ jwilson HIER_DIRECT/1.2.3.4 -
        """
        report, buckets, targets, codes = self.report, self.buckets, self.targets, self.codes
        identities_seen = self.identities_seen
        earliest, latest, oldest = EARLIEST, self.latest, self.oldest
        read = report.read
        not_social = blocked = not_reached = too_old = kept = 0
        for line in lines:
            line_no += 1
            fields = line.split(None, 8)
            if len(fields) < 7:
                if not fields or fields[0][0] == "#":
                    continue  # blank lines and comments are not log lines
                read += 1
                report.read = read
                self._reject(line_no, f"a Squid line has at least 7 fields; this one has {len(fields)}")
                continue
            read += 1
            try:
                ts = float(fields[0])
            except ValueError:
                if fields[0][0] == "#":
                    read -= 1
                    continue
                report.read = read
                self._reject(line_no, f"{fields[0][:30]!r} is not a Squid timestamp (seconds since 1970)")
                continue
            elapsed = fields[1]
            if not elapsed.isdigit():
                report.read = read
                self._reject(line_no, f"{elapsed[:30]!r} is not a Squid elapsed time (milliseconds)")
                continue
            code = fields[3]
            refused = codes.get(code)
            if refused is None:
                try:
                    refused = parse_squid_code(code)
                except Rejected as exc:
                    report.read = read
                    self._reject(line_no, str(exc))
                    continue
                if len(codes) >= CACHE_LIMIT:
                    codes.clear()
                codes[code] = refused
            try:
                size = int(fields[4])
            except ValueError:
                report.read = read
                self._reject(line_no, f"{fields[4][:30]!r} is not a byte count")
                continue
            if size < 0:
                report.read = read
                self._reject(line_no, "the byte count is negative")
                continue
            # The host and port of the URL, cut without a full parse: most lines end at the site look-up.
            target = fields[6]
            cut = target.find("://")
            if cut != -1:
                target = target[cut + 3 :]
            cut = target.find("/")
            if cut != -1:
                target = target[:cut]
            site_id = targets.get(target)
            if site_id is None:
                try:
                    site_id = self.sites.match(host_of(target)) or 0
                except Rejected as exc:
                    report.read = read
                    self._reject(line_no, str(exc))
                    continue
                if len(targets) >= CACHE_LIMIT:
                    targets.clear()
                targets[target] = site_id
            if not earliest <= ts <= latest:
                report.read = read
                self._reject(line_no, _time_out_of_range(ts))
                continue
            if not site_id:
                not_social += 1
                continue
            if refused:
                if refused == SQUID_DEPENDS_ON_PEER:
                    refused = squid_peer_refused(fields[8] if len(fields) > 8 else "")
                if refused == BLOCKED:
                    blocked += 1
                    continue
                if refused:
                    not_reached += 1
                    continue
            if ts < oldest:
                too_old += 1
                continue
            user = fields[7] if len(fields) > 7 else ""
            identity = identities_seen.get((user, fields[2]))
            if identity is None:
                try:
                    identity = self._identity(user, fields[2])
                except Rejected as exc:
                    report.read = read
                    self._reject(line_no, str(exc))
                    continue
            start = ts - int(elapsed) / 1000
            minute = int(ts) // 60
            if int(start) // 60 != minute:
                self._add_open(identity, site_id, max(start, oldest, ts - MAX_ELAPSED_SECONDS), ts, size)
                kept += 1
                continue
            key = (identity, site_id, minute)
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [1, size, start, ts]
            else:
                bucket[0] += 1
                bucket[1] += size
                if start < bucket[2]:
                    bucket[2] = start
                if ts > bucket[3]:
                    bucket[3] = ts
            kept += 1
        report.read = read
        report.kept += kept
        if not_social:
            report.drop(NOT_SOCIAL, not_social)
        if blocked:
            report.drop(BLOCKED, blocked)
        if not_reached:
            report.drop(NOT_REACHED, not_reached)
        if too_old:
            report.drop(TOO_OLD, too_old)

    def _add_open(self, identity: tuple, site_id: int, start: float, end: float, size: int) -> None:
        """One request whose connection was open from `start` to `end`: the request and its bytes count in the
        minute it was made, and every minute it stayed open counts as a minute on the site (issue 24)."""
        buckets = self.buckets
        requests, nbytes = 1, size
        for minute, first, last in minutes_open(start, end):
            key = (identity, site_id, minute)
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [requests, nbytes, first, last]
            else:
                bucket[0] += requests
                bucket[1] += nbytes
                if first < bucket[2]:
                    bucket[2] = first
                if last > bucket[3]:
                    bucket[3] = last
            requests = nbytes = 0

    def _take_lines(self, lines: list[str], line_no: int) -> None:
        """FortiGate and CSV lines, through their parsers (these formats are rarer and slower to read)."""
        report = self.report
        for line in lines:
            line_no += 1
            line = line.rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue  # blank lines and comments are not log lines
            if self.usage_import.format == UsageImport.Format.CSV and self.layout is None:
                try:
                    self.layout = CsvLayout(self.usage_import.mapping, line)
                except Rejected as exc:
                    raise ImportFailed(f"This CSV file does not fit its column mapping: {exc}.")
                continue  # the header line is not a log line
            report.read += 1
            try:
                self._take(self.layout.parse(line) if self.layout else self.parse(line))
            except Dropped as exc:
                report.drop(str(exc))
            except Rejected as exc:
                self._reject(line_no, str(exc))

    def _take(self, hit) -> None:
        report = self.report
        ts = hit.timestamp
        if not EARLIEST <= ts <= self.latest:
            raise Rejected(_time_out_of_range(ts))
        site_id = self.sites.match(hit.host)
        if site_id is None:
            report.drop(NOT_SOCIAL)
            return
        if hit.refused:
            report.drop(hit.refused)
            return
        if ts < self.oldest:
            report.drop(TOO_OLD)
            return
        identity = self.identities_seen.get((hit.user, hit.address)) or self._identity(hit.user, hit.address)
        start = max(ts - hit.elapsed, self.oldest, ts - MAX_ELAPSED_SECONDS)
        self._add_open(identity, site_id, start, ts, hit.bytes)
        report.kept += 1

    def _identity(self, logged_user: str, logged_address: str) -> tuple[str, str, str]:
        """(kind, value, device) of a user and client address as logged; remembered for the next line."""
        user, address = normalise_user(logged_user), normalise_address(logged_address)
        if user:
            identity = (IdentityKind.USERNAME.value, user, self.devices.match(address))
        elif address:
            identity = (IdentityKind.ADDRESS.value, address, self.devices.match(address))
        else:
            raise Rejected("the line names neither a user nor a client address")
        if len(self.identities_seen) >= CACHE_LIMIT:
            self.identities_seen.clear()
        self.identities_seen[(logged_user, logged_address)] = identity
        return identity

    @staticmethod
    def _create_temp_tables(cursor) -> None:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS monitoring_usage_incoming ("
            " identity_kind text, identity_value text, employee_id bigint, site_id bigint, device text,"
            " started_at double precision, first_seen double precision, last_seen double precision,"
            " requests integer, bytes bigint) ON COMMIT DROP"
        )
        # The (employee, day) pairs to analyse again: staff × days can be millions, so not in Python.
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS monitoring_usage_days_touched ("
            " employee_id bigint, day date, PRIMARY KEY (employee_id, day)) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE monitoring_usage_incoming, monitoring_usage_days_touched")

    def _wait_for_merge(self) -> None:
        """Wait for the batch being merged; its error, if any, is raised here."""
        merging, self.merging = self.merging, None
        if merging is not None:
            merging.result()

    def _flush(self) -> None:
        """Hand the buckets to the merge thread as COPY text (after the batch before them is merged)."""
        if not self.buckets:
            return
        report, out, match = self.report, io.StringIO(), self.identities.match
        first_seen = report.first_seen if report.first_seen is not None else float("inf")
        last_seen = report.last_seen if report.last_seen is not None else float("-inf")
        for ((kind, value, device), site_id, minute), (count, size, first, last) in self.buckets.items():
            minute *= 60
            employee_id = match(kind, value, minute)
            if employee_id is None:
                if len(report.unmatched) < UNMATCHED_LIMIT:
                    report.unmatched.add((kind, value))
                employee_id = r"\N"
            if first < first_seen:
                first_seen = first
            if last > last_seen:
                last_seen = last
            safe = value.replace("\\", "\\\\")
            out.write(
                f"{kind}\t{safe}\t{employee_id}\t{site_id}\t{device}\t{minute}\t{first!r}\t{last!r}\t{count}\t{size}\n"
            )
        report.first_seen, report.last_seen = first_seen, last_seen
        self.buckets.clear()
        out.seek(0)
        self._wait_for_merge()
        self.merging = self.merger.submit(self._merge, connection.connection, out)

    def _merge(self, db, out: io.StringIO) -> None:
        """COPY one batch into the temporary table and upsert it into the usage records (the merge thread)."""
        with db.cursor() as cursor:
            cursor.copy_expert("COPY monitoring_usage_incoming FROM STDIN", out)
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
            self.report.records += cursor.rowcount
            cursor.execute(
                "INSERT INTO monitoring_usage_days_touched (employee_id, day)"
                " SELECT DISTINCT employee_id, (to_timestamp(started_at) AT TIME ZONE %s)::date"
                " FROM monitoring_usage_incoming WHERE employee_id IS NOT NULL ON CONFLICT DO NOTHING",
                [self.tz_name],
            )
            cursor.execute("TRUNCATE monitoring_usage_incoming")

    def days_touched(self):
        """The (employee id, local day) pairs this import added to, RECOMPUTE_CHUNK at a time, by employee."""
        after = (0, dt.date.min)
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT employee_id, day FROM monitoring_usage_days_touched WHERE (employee_id, day) > (%s, %s)"
                    " ORDER BY employee_id, day LIMIT %s",
                    [*after, RECOMPUTE_CHUNK],
                )
                chunk = cursor.fetchall()
                if not chunk:
                    return
                yield chunk
                after = chunk[-1]


def _time_out_of_range(ts: float) -> str:
    if ts < EARLIEST:
        return "the time is before 1990"
    if ts > 0:
        return "the time is in the future"
    return "the time is not a number"


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
            importer.run(stream)
            for pairs in importer.days_touched():
                usage_days_recompute(pairs=pairs)
    except (ImportFailed, UnreadableFile) as exc:
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
