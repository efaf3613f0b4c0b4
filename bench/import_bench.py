"""Import of Squid logs: our streaming importer against the naive ways, on the same file in the same run.

1. Our importer (`monitoring.services.usage_import_run`: parse, aggregate per minute, COPY + upsert,
   then the rest-break analysis of the days it touched), on a file of --lines lines (default 1,000,000).
2. A per-row ORM import: for each line, parse it with the same parser, then `UsageRecord.objects
   .get_or_create(...)` and `.save()` the added counts, each in autocommit, as code written without
   thought for volume does. Too slow for a million lines on this machine, it runs on the first
   --per-row-lines lines (default 50,000) of the same file; the ratio is then one of lines per second.
3. `bulk_create`: parse every line, aggregate per minute in a dict of UsageRecord objects, then
   `bulk_create(batch_size=2000)` in one transaction.

Each runs in its own child process on its own clone of the same scratch council, so that peak memory
(ru_maxrss) is the importer's own. Then our importer reads 10 MB, 100 MB and (unless --sizes says
otherwise) 1 GB files to show that its peak memory does not grow with the file. `--lines 0` runs only
these (e.g. `--lines 0 --sizes 2000` for issue 5's 2 GB file).

Besides wall time, each run reports its own CPU time (the child's process_time) and, when PostgreSQL runs
on this machine, the CPU time of its server process (/proc/<backend pid>/stat): on a shared machine wall
time mostly measures the other work, CPU time what the import costs.

    python bench/import_bench.py [--lines 1000000] [--per-row-lines 50000] [--sizes 10,100,1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.squidlog import write_log  # noqa: E402

TARGET_LINES_PER_SECOND = 100_000
TARGET_RATIO = 20


def _rss_kb() -> int:
    """The peak resident set size of this process so far, in KiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _current_rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- child processes ------------------------------------------------------------------------------------


def _server_cpu_seconds(connection) -> float | None:
    """CPU time so far of this connection's PostgreSQL server process, if the server runs on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def child(method: str, path: str, limit: int | None) -> dict:
    import django

    django.setup()
    from django.db import connection

    base_rss = _current_rss_kb()
    server0 = _server_cpu_seconds(connection)
    started, cpu0 = time.perf_counter(), time.process_time()
    if method == "ours":
        lines, records, failure = _ours(path)
    elif method == "per_row":
        lines, records, failure = _per_row(path, limit)
    elif method == "bulk_create":
        lines, records, failure = _bulk(path)
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu0
    server1 = _server_cpu_seconds(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_usagerecord")
        stored = cursor.fetchone()[0]
    return {
        "method": method,
        "lines": lines,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "server_cpu_seconds": server1 - server0 if server0 is not None and server1 is not None else None,
        "records": records,
        "stored": stored,
        "rss_base_kb": base_rss,
        "rss_peak_kb": _rss_kb(),
        "failure": failure,
    }


def _ours(path: str):
    from monitoring.services import usage_import_run

    with open(path, "rb") as stream:
        done = usage_import_run(
            actor=None, stream=stream, file_name=os.path.basename(path), file_size=os.path.getsize(path), format="squid"
        )
    return done.lines_read, done.records_written, done.failure


def _naive_lines(path: str, limit: int | None):
    """What both naive importers share with ours: the same parser and catalogue matching, in memory."""
    from monitoring.importer import DeviceMatcher, IdentityMatcher, SiteMatcher
    from monitoring.models import IdentityKind
    from monitoring.parsers import Rejected, normalise_address, normalise_user, parse_squid

    sites, devices, identities = SiteMatcher(), DeviceMatcher(), IdentityMatcher()
    count = 0
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if limit is not None and count >= limit:
                break
            count += 1
            try:
                hit = parse_squid(line)
            except Rejected:
                continue
            site_id = sites.match(hit.host)
            if site_id is None or hit.refused:
                continue
            user, address = normalise_user(hit.user), normalise_address(hit.address)
            kind, value = (IdentityKind.USERNAME, user) if user else (IdentityKind.ADDRESS, address)
            minute = int(hit.timestamp // 60) * 60
            employee = identities.match(kind, value, minute)
            yield count, (kind, value, site_id, devices.match(address), minute, employee, hit)
    yield count, None


def _per_row(path: str, limit: int | None):
    import datetime as dt

    from monitoring.models import UsageRecord

    lines = records = 0
    for count, item in _naive_lines(path, limit):
        lines = count
        if item is None:
            break
        kind, value, site_id, device, minute, employee, hit = item
        moment = dt.datetime.fromtimestamp(hit.timestamp, dt.UTC)
        record, created = UsageRecord.objects.get_or_create(
            identity_kind=kind,
            identity_value=value,
            site_id=site_id,
            device=device,
            started_at=dt.datetime.fromtimestamp(minute, dt.UTC),
            defaults={
                "employee_id": employee,
                "first_seen": moment,
                "last_seen": moment,
                "requests": 1,
                "bytes": hit.bytes,
            },
        )
        if not created:
            record.requests += 1
            record.bytes += hit.bytes
            record.first_seen, record.last_seen = min(record.first_seen, moment), max(record.last_seen, moment)
            record.save()
        records += created
    return lines, records, ""


def _bulk(path: str):
    import datetime as dt

    from django.db import transaction

    from monitoring.models import UsageRecord

    found: dict[tuple, UsageRecord] = {}
    lines = 0
    for count, item in _naive_lines(path, None):
        lines = count
        if item is None:
            break
        kind, value, site_id, device, minute, employee, hit = item
        key = (kind, value, site_id, device, minute)
        moment = dt.datetime.fromtimestamp(hit.timestamp, dt.UTC)
        record = found.get(key)
        if record is None:
            found[key] = UsageRecord(
                identity_kind=kind,
                identity_value=value,
                site_id=site_id,
                device=device,
                started_at=dt.datetime.fromtimestamp(minute, dt.UTC),
                employee_id=employee,
                first_seen=moment,
                last_seen=moment,
                requests=1,
                bytes=hit.bytes,
            )
        else:
            record.requests += 1
            record.bytes += hit.bytes
            record.last_seen = max(record.last_seen, moment)
    with transaction.atomic():
        UsageRecord.objects.bulk_create(found.values(), batch_size=2000)
    return lines, len(found), ""


# --- orchestration ----------------------------------------------------------------------------------------


def run_child(base: str, clone: str, method: str, path: str, limit: int | None = None) -> dict:
    database = _clone(base, clone)
    try:
        args = [__file__, "--child", method, path] + (["--limit", str(limit)] if limit else [])
        out = common.run_django(database, args, timeout=7200)
        return json.loads(out.strip().splitlines()[-1])
    finally:
        common.drop_database(database)


def _clone(base: str, name: str) -> str:
    from contextlib import closing

    name = common.SCRATCH_PREFIX + name
    common.drop_database(name)
    with closing(common._admin()) as conn, conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    return name


def users_of(database: str) -> list[str]:
    out = common.run_django(
        database,
        [
            "-c",
            "import django, json; django.setup(); from monitoring.models import NetworkIdentity as N; "
            "print(json.dumps(list(N.objects.order_by('value').values_list('value', flat=True))))",
        ],
    )
    return json.loads(out.strip().splitlines()[-1])


def mib(kb: int) -> str:
    return f"{kb / 1024:.0f} MiB"


def server_cpu(r: dict) -> str:
    return "n/a" if r.get("server_cpu_seconds") is None else f"{r['server_cpu_seconds']:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--lines", type=int, default=1_000_000, help="Lines for the comparison; 0 skips it.")
    parser.add_argument("--per-row-lines", type=int, default=50_000)
    parser.add_argument("--sizes", default="10,100,1000", help="File sizes in MB for the memory runs.")
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], args.limit)))
        return

    def log(msg):
        print(msg, flush=True)

    started = time.monotonic()
    load = common.machine()["load"]
    base = common.create_scratch("import_base")
    workdir = Path(tempfile.mkdtemp(prefix="socialpolicy-bench-", dir=args.workdir))
    files: list[Path] = []
    try:
        log(f"generating the council in {base}")
        common.generate(base, employees=args.employees, schools=40, cases=0, incidents=0, days=0, seed=11)
        users = users_of(base)
        results = {}
        if args.lines:
            main_file = workdir / "access-1m.log"
            files.append(main_file)
            t = time.monotonic()
            n, size = write_log(main_file, lines=args.lines, users=users, seed=11)
            log(f"wrote {n:,} lines ({size / 1e6:.0f} MB) in {time.monotonic() - t:.0f}s")
            # The same file as a rotated log arrives (access.log.1.gz): our importer decompresses as it reads.
            gz_file = workdir / "access-1m.log.gz"
            files.append(gz_file)
            with open(main_file, "rb") as plain, gzip.open(gz_file, "wb", compresslevel=6) as packed:
                shutil.copyfileobj(plain, packed, 1024 * 1024)
            runs = [
                ("ours", "ours", main_file, None),
                ("ours_gz", "ours", gz_file, None),
                ("bulk_create", "bulk_create", main_file, None),
                ("per_row", "per_row", main_file, args.per_row_lines),
            ]
            for key, method, path, limit in runs:
                log(f"importing {path.name} with {method} ...")
                results[key] = run_child(base, f"import_{key}", method, str(path), limit)
                r = results[key]
                log(
                    f"  {r['lines']:,} lines in {r['seconds']:.1f}s = {r['lines'] / r['seconds']:,.0f} lines/s, "
                    f"{r['cpu_seconds']:.1f}s CPU ({r['lines'] / r['cpu_seconds']:,.0f} lines per CPU-second), "
                    f"server CPU {server_cpu(r)}, peak RSS {mib(r['rss_peak_kb'])} {r['failure']}"
                )
            results["ours_gz"]["compressed_mb"] = gz_file.stat().st_size / 1e6
            main_file.unlink()
            gz_file.unlink()

        memory = []
        for mb in [int(x) for x in args.sizes.split(",") if x.strip()]:
            path = workdir / f"access-{mb}mb.log"
            files.append(path)
            t = time.monotonic()
            n, size = write_log(path, size=mb * 1_000_000, users=users, seed=12 + mb, span_seconds=20 * 3600)
            log(f"wrote {mb} MB ({n:,} lines) in {time.monotonic() - t:.0f}s; importing ...")
            r = run_child(base, f"import_mem_{mb}", "ours", str(path))
            r.update(mb=mb, size=size)
            memory.append(r)
            log(
                f"  {r['lines']:,} lines in {r['seconds']:.1f}s ({r['cpu_seconds']:.1f}s CPU, server "
                f"{server_cpu(r)}), peak RSS {mib(r['rss_peak_kb'])} (after start-up {mib(r['rss_base_kb'])}) "
                f"{r['failure']}"
            )
            path.unlink()
    finally:
        for path in files:
            path.unlink(missing_ok=True)
        try:
            workdir.rmdir()
        except OSError:
            pass
        common.drop_database(base)

    def rate(r):
        return r["lines"] / r["seconds"]

    def cpu_rate(r):
        return r["lines"] / r["cpu_seconds"]

    md = [
        f"A generated council of {args.employees:,} staff with their filter user names; Squid native access.log "
        f"lines, about a third to social media sites, 3% blocked, a few from addresses with no user. Each "
        f"method runs in its own child process on its own copy of the same database. Load average at the "
        f"start: {load}. Python CPU is the importing process's own CPU time, PostgreSQL CPU that of its server "
        f"process; lines per CPU-second count the Python CPU only.",
        "",
    ]
    verdict = []
    if results:
        ours, bulk, per_row = results["ours"], results["bulk_create"], results["per_row"]
        rows = []
        ours_gz = results["ours_gz"]
        for title, r in [
            ("Our importer (streaming, COPY + upsert)", ours),
            (f"Our importer, the same file gzipped ({ours_gz['compressed_mb']:.1f} MB .gz)", ours_gz),
            ("bulk_create", bulk),
            (f"Per-row ORM (first {per_row['lines']:,} lines)", per_row),
        ]:
            rows.append(
                [
                    title,
                    f"{r['lines']:,}",
                    f"{r['seconds']:.1f} s",
                    f"{r['cpu_seconds']:.1f} s",
                    server_cpu(r),
                    f"{rate(r):,.0f}",
                    f"{cpu_rate(r):,.0f}",
                    f"{rate(ours) / rate(r):.1f}×" if r is not ours else "1×",
                    f"{r['stored']:,}",
                    mib(r["rss_peak_kb"]),
                ]
            )
        ratio = rate(ours) / rate(per_row)
        verdict += [
            f"- Throughput: {rate(ours):,.0f} lines/s end to end against a target of {TARGET_LINES_PER_SECOND:,}: "
            + (
                "**met**."
                if rate(ours) >= TARGET_LINES_PER_SECOND
                else f"**missed by {TARGET_LINES_PER_SECOND - rate(ours):,.0f} lines/s "
                f"({rate(ours) / TARGET_LINES_PER_SECOND:.0%} of the target)**; "
                f"{cpu_rate(ours):,.0f} lines per second of the importer's own CPU time."
            ),
            f"- Against the per-row ORM import: {ratio:.0f}× (target {TARGET_RATIO}×): "
            + ("**met**." if ratio >= TARGET_RATIO else "**missed**."),
            f"- Against bulk_create: {rate(ours) / rate(bulk):.1f}×, with {mib(bulk['rss_peak_kb'])} peak memory "
            f"against our {mib(ours['rss_peak_kb'])} (bulk_create holds every minute of the file in memory).",
        ]
        md += [
            common.table(
                [
                    "Method",
                    "Lines",
                    "Wall time",
                    "Python CPU",
                    "PostgreSQL CPU",
                    "Lines/s",
                    "Lines per CPU-second",
                    "Ours is",
                    "Records stored",
                    "Peak RSS",
                ],
                rows,
            ),
            "",
            "Our importer's time includes the rest-break analysis of every (employee, day) it touched "
            "(`usage_days_recompute`), which the naive imports do not do. The per-row import is timed on a "
            "prefix of the same file, so its ratio compares lines per second.",
            "",
        ]
    mem_rows = [
        [
            f"{m['mb']:,} MB",
            f"{m['lines']:,}",
            f"{m['seconds']:.0f} s",
            f"{m['cpu_seconds']:.0f} s",
            server_cpu(m),
            f"{rate(m):,.0f}",
            f"{cpu_rate(m):,.0f}",
            mib(m["rss_base_kb"]),
            mib(m["rss_peak_kb"]),
        ]
        for m in memory
    ]
    if len(memory) >= 2:
        # A small file never fills the importer's buffers, so the question is whether the largest files,
        # which fill them many times over, still raise the peak.
        first, before, last = memory[0], memory[-2], memory[-1]
        growth = last["rss_peak_kb"] - before["rss_peak_kb"]
        verdict.append(
            f"- Peak memory from {first['mb']:,} MB to {last['mb']:,} MB of log "
            f"({last['size'] / first['size']:.0f}× the lines): {mib(first['rss_peak_kb'])} → "
            f"{mib(last['rss_peak_kb'])}; from {before['mb']:,} MB to {last['mb']:,} MB "
            f"({last['size'] / before['size']:.0f}× the lines): {growth / 1024:+.0f} MiB: "
            + (
                "**flat**: it levels off once the importer's buffers are full (50,000 minutes of aggregates, "
                "the batch being merged, 20,000 entries per cache) and larger files do not raise it."
                if growth < 16 * 1024
                else "not shown flat: a file under a million lines does not fill the importer's buffers "
                "(50,000 minutes of aggregates, the batch being merged); `--sizes 10,100,1000` shows where the "
                "peak levels off."
                if before["lines"] < 1_000_000
                else "**it grows**: the importer's buffers and caches are capped (50,000 minutes, 20,000 entries "
                "per cache, a 5,000-row fetch), so this is more than they can hold; look for what is not."
            )
        )
    md += [
        "Peak memory of our importer (ru_maxrss of the child process; 'after start-up' is its RSS once Django "
        "is loaded, before the file is opened):",
        "",
        common.table(
            [
                "File",
                "Lines",
                "Wall time",
                "Python CPU",
                "PostgreSQL CPU",
                "Lines/s",
                "Lines per CPU-second",
                "RSS after start-up",
                "Peak RSS",
            ],
            mem_rows,
        ),
        "",
        *verdict,
        "",
        f"Benchmark run time: {time.monotonic() - started:.0f}s.",
    ]
    common.write_artifact("import", "Importing filter logs", "\n".join(md), results=results, memory=memory)
    log("\n".join(md))


if __name__ == "__main__":
    main()
