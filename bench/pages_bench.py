"""Page timings at council scale: HR's case list, the triage queue, the monitoring overview, one
employee's usage page and the HR reports (the index and each report), through Django's test Client signed
in as an HR officer past the two-step check.

Two scratch councils are generated: a small one (1,000 cases and 1,000 incident reports) and a large one
(by default 100,000 cases, 1,000,000 incident reports, about 10,000,000 usage records). Each page is timed
over repeated requests (p50/p95 of the server time: the whole request through every middleware, the view
and the template), and its queries are counted in both councils: the counts must be equal.

    python bench/pages_bench.py [--cases 100000 --incidents 1000000 --employees 2000 --days 365
                                 --minutes-per-day 14 --requests 30 --keep --reuse --scratch pages]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

TARGET_MS = 100.0
REPORTS_PAGE_CANDIDATES = ["reports:hr_reports", "reports:index", "reports:dashboard", "cases:reports"]


# --- inside the child process (Django set up against one scratch database) -------------------------------


def _sign_in(client, user):
    """As tests/conftest.py sign_in: a session past the two-step check of roles that need one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people.twofactor import requires_two_factor

    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench authenticator", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def _pages() -> list[tuple[str, str | None]]:
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from people.models import User

    employee = (
        User.objects.filter(username__startswith="scale-", usage_days__isnull=False)
        .annotate(n=Count("usage_days"))
        .order_by("-n", "username")
        .first()
    )
    pages = [
        ("HR case list", reverse("cases:case_list")),
        ("HR case list, last page", reverse("cases:case_list") + "?page=last"),
        ("HR case list, filtered by status", reverse("cases:case_list") + "?status=hearing"),
        ("Triage queue", reverse("cases:triage")),
        ("Monitoring overview", reverse("monitoring:overview")),
        ("Employee usage (30 days)", reverse("monitoring:employee_usage", args=[employee.pk]) if employee else None),
    ]
    reports = None
    for name in REPORTS_PAGE_CANDIDATES:
        try:
            reports = reverse(name)
            break
        except NoReverseMatch:
            continue
    pages.append(("HR reports", reports))
    # Each HR report with its default filters (every organisation, the last twelve months): the reports
    # aggregate every incident report and case of the period, so these are the pages that grow with the data.
    try:
        from reports.registry import all_reports
    except ImportError:  # a build without the reports app
        return pages
    for report in all_reports():
        pages.append((f"HR report: {report.title}", reverse("reports:detail", args=[report.slug])))
    return pages


def measure(requests: int, profile: bool) -> dict:
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    hr = User.objects.get(username="scale-000000")
    client = Client()
    _sign_in(client, hr)
    results = {}
    for title, url in _pages():
        if url is None:
            results[title] = {"url": None}
            continue
        for _ in range(2):  # warm caches, as a server that has been up a while would be
            response = client.get(url)
        if response.status_code != 200:
            results[title] = {"url": url, "error": f"HTTP {response.status_code}"}
            continue
        times, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]
        entry = {
            "url": url,
            "p50": common.percentile(times, 50),
            "p95": common.percentile(times, 95),
            "cpu_p50": common.percentile(cpu, 50),
            "sql_p50": common.percentile(sql, 50),
            "queries": len(ctx.captured_queries),
            "slowest_queries": [{"ms": float(q["time"]) * 1000, "sql": q["sql"][:600]} for q in slowest],
        }
        if profile and entry["p95"] > TARGET_MS:
            prof = cProfile.Profile()
            prof.enable()
            client.get(url)
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            # Our own code by cumulative time (the framework's wrappers would fill the list), then the
            # functions that themselves spend the most (SQL shows up as psycopg2's execute).
            stats.sort_stats("cumulative").print_stats(r"/(cases|monitoring|people|audit|socialpolicy|reports)/", 14)
            stats.sort_stats("tottime").print_stats(8)
            keep = [ln for ln in out.getvalue().splitlines() if ln.strip() and "List reduced" not in ln]
            entry["profile"] = "\n".join(ln.replace(str(common.ROOT) + "/", "") for ln in keep)[:7000]
        results[title] = entry
    return results


# --- orchestration ------------------------------------------------------------------------------------------


def council(name: str, sizes: dict, requests: int, log, reuse: bool = False) -> tuple[dict, dict]:
    database = common.SCRATCH_PREFIX + name
    if reuse and common.database_exists(database):
        log(f"reusing {database} (migrating it to this build)")
        common.run_django(database, ["manage.py", "migrate", "-v0"])
        seconds, out = float("nan"), "reused"
    else:
        database = common.create_scratch(name)
        # The shared template may have been migrated by another build: bring the clone to this one.
        common.run_django(database, ["manage.py", "migrate", "-v0"])
        log(f"generating {database}: {sizes}")
        seconds, out = common.generate(database, **sizes)
        log(f"  generated in {seconds:.0f}s")
    counts = json.loads(
        common.run_django(
            database,
            ["-c", "import django; django.setup(); from bench.pages_bench import counts; counts()"],
        )
        .strip()
        .splitlines()[-1]
    )
    results = json.loads(
        common.run_django(database, [__file__, "--measure", "--requests", str(requests)]).strip().splitlines()[-1]
    )
    return {"seconds": seconds, "counts": counts, "generator_output": out}, results


def counts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        found = {}
        for table in (
            "people_user",
            "cases_case",
            "cases_incidentreport",
            "monitoring_usagerecord",
            "monitoring_usageday",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[table] = cursor.fetchone()[0]
    print(json.dumps(found))


def render(large: dict, small: dict, large_info: dict, small_info: dict, *, requests: int, load: str):
    """The markdown of a run: a table of every page, then where the time goes on those that miss."""
    rows, missed, profiles = [], [], []
    for title, entry in large.items():
        if entry.get("url") is None:
            rows.append([title, "not present in this build", "", "", "", "", "", "", ""])
            continue
        if "error" in entry:
            rows.append([title, entry["error"], "", "", "", "", "", "", ""])
            continue
        small_q = small.get(title, {}).get("queries", "?")
        equal = "yes" if small_q == entry["queries"] else "**no**"
        ok = entry["p95"] <= TARGET_MS
        rows.append(
            [
                title,
                fmt(entry["p50"]),
                fmt(entry["p95"]),
                fmt(entry["cpu_p50"]),
                fmt(entry["sql_p50"]),
                "met" if ok else f"**missed by {fmt(entry['p95'] - TARGET_MS)}**",
                small_q,
                entry["queries"],
                equal,
            ]
        )
        if not ok:
            missed.append(title)
            slow = "\n".join(
                f"    {q['ms']:.0f} ms  {' '.join(q['sql'].split())[:300]}" for q in entry["slowest_queries"]
            )
            profiles.append(f"**{title}** (p95 {fmt(entry['p95'])}), slowest queries:\n\n```\n{slow}\n```\n")
            if entry.get("profile"):
                profiles.append(f"cProfile of one request, by cumulative time:\n\n```\n{entry['profile']}\n```\n")
    c = large_info["counts"]
    seconds = large_info["seconds"]
    generated = (
        "generated by generate_scale_data in an earlier run and reused (--reuse)"
        if math.isnan(seconds)
        else f"generated in {seconds:.0f}s by generate_scale_data"
    )
    md = [
        f"Large council: {c['people_user']:,} employees, {c['cases_case']:,} cases, "
        f"{c['cases_incidentreport']:,} incident reports, {c['monitoring_usagerecord']:,} usage records "
        f"({c['monitoring_usageday']:,} usage days), {generated}. "
        f"Small council: {small_info['counts']['cases_case']:,} cases, "
        f"{small_info['counts']['cases_incidentreport']:,} incident reports, "
        f"{small_info['counts']['monitoring_usagerecord']:,} usage records.",
        "",
        f"Server time of {requests} requests per page (after 2 warm-up requests), signed in as an HR officer "
        f"past the two-step check; target p95 ≤ {TARGET_MS:.0f} ms. CPU p50 is the Django process's own CPU time "
        "(what the page costs, whatever else the machine is doing); SQL p50 is the time spent waiting on "
        "PostgreSQL as Django measures it. Load average at the start: "
        f"{load} on {common.machine()['cores']} cores.",
        "",
        common.table(
            ["Page", "p50", "p95", "CPU p50", "SQL p50", "Target", "Queries (1,000 rows)", "Queries (large)", "Equal"],
            rows,
        ),
    ]
    if profiles:
        md += ["", "Where the time goes on pages that miss the target:", "", *profiles]
    return md, missed


def fmt(ms: float) -> str:
    return f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--schools", type=int, default=40)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--minutes-per-day", type=float, default=14.0)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch databases afterwards.")
    parser.add_argument("--reuse", action="store_true", help="Reuse kept scratch databases instead of generating.")
    parser.add_argument("--name", default="pages", help="The artifact's name (artifacts/bench/<name>.json).")
    parser.add_argument(
        "--scratch",
        default="pages",
        help="The scratch databases' names (bench_scratch_<scratch>_small and _large): another name keeps a "
        "kept council apart from other runs of the benchmark on the same server.",
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, profile=not args.no_profile)))
        return

    def log(msg):
        print(msg, flush=True)

    started = time.monotonic()
    load = common.machine()["load"]
    small_sizes = dict(employees=200, schools=5, cases=1000, incidents=1000, days=30, minutes_per_day=14, seed=7)
    large_sizes = dict(
        employees=args.employees,
        schools=args.schools,
        cases=args.cases,
        incidents=args.incidents,
        days=args.days,
        minutes_per_day=args.minutes_per_day,
        seed=7,
    )
    try:
        small_info, small = council(f"{args.scratch}_small", small_sizes, requests=5, log=log, reuse=args.reuse)
        large_info, large = council(
            f"{args.scratch}_large", large_sizes, requests=args.requests, log=log, reuse=args.reuse
        )
    finally:
        if not args.keep:
            for name in (f"{args.scratch}_small", f"{args.scratch}_large"):
                common.drop_database(common.SCRATCH_PREFIX + name)
    md, missed = render(large, small, large_info, small_info, requests=args.requests, load=load)
    md += ["", f"Benchmark run time: {time.monotonic() - started:.0f}s."]
    common.write_artifact(
        args.name,
        "Pages at council scale",
        "\n".join(md),
        large=large,
        small=small,
        large_counts=large_info["counts"],
        missed=missed,
    )
    log("\n".join(md))


if __name__ == "__main__":
    main()
