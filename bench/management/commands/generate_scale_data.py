"""Build a council at scale for benchmarks: schools, staff, cases, incident reports and usage records.

Reproducible: the same --seed gives the same data. The small tables (schools, staff, identities) are
drawn with `random.Random(seed)` and written with COPY; the large ones (cases, incident reports, usage
records, usage days) are computed inside PostgreSQL with INSERT ... SELECT generate_series, where every
value comes from `hashint8` of the row number and the seed, so no row passes through Python. Cases,
incident reports and usage days are loaded with their secondary indexes and foreign keys dropped and put
back afterwards (`deferred_indexes`); usage records go through the partitioned parent table a month at a
time, so the generator does not depend on how that table is partitioned.

Generated employees have user names starting with `scale-`. The command refuses to touch a database
that holds any other employee (a real council, or the demo) unless --force is given, and refuses to run
twice on the same database.

    python manage.py generate_scale_data --employees 2000 --schools 40 --cases 100000 \\
        --incidents 1000000 --days 365 --seed 1 [--database-url postgres://...]
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

PREFIX = "scale-"
FIRST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Aisha Alex Amir Beth Carlos Chloe Daniel Deepa Ella Emeka Fatima Finn George Grace Hannah Harry Isla "
    "Ivan Jack Jade Kai Kate Liam Lucy Maya Mohammed Nadia Noah Olivia Omar Priya Rhys Ruby Sam Sara Tom "
    "Una Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Ahmed Baker Brown Clarke Davies Evans Green Hall Hughes Jones Khan Lewis Martin Morgan Murphy Patel "
    "Roberts Robinson Shah Singh Smith Taylor Thomas Thompson Turner Walker White Williams Wilson Wright "
    "Young"
).split()
JOBS = ["Teacher", "Teaching assistant", "Administrator", "Site manager", "Cook", "Librarian", "SENCo", "Cleaner"]
PLATFORMS = ["facebook", "x", "instagram", "tiktok", "youtube", "linkedin", "whatsapp", "blog", "other"]
CATEGORIES = ["disrepute", "confidentiality", "copyright", "discrimination", "excessive_use", "profile_name", "other"]


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples of str/int/None) into table."""
    out = io.StringIO()
    for row in rows:
        out.write("\t".join(r"\N" if v is None else str(v).replace("\\", "\\\\") for v in row))
        out.write("\n")
    out.seek(0)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", out)


def use_database_url(url: str) -> None:
    """Point the default connection at another database (before anything has been queried)."""
    import dj_database_url

    parsed = dj_database_url.parse(url)
    connection.close()
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        connection.settings_dict[key] = parsed.get(key, "")


@contextmanager
def deferred_indexes(cursor, *tables: str, log=print):
    """Load rows with the tables' secondary indexes and foreign keys dropped, then put them back.

    PostgreSQL's own advice for bulk loads ("Populating a Database"): building an index once from the
    loaded rows is one sort, and re-adding a foreign key checks every row with one join, where keeping
    them costs an index insertion per index and a queued key check per row (10 indexes and 4 keys on
    incident reports). The definitions are read from the catalogue, so whatever later migrations add
    comes back as it was. Primary keys stay: generated ids only grow, so they are cheap to keep, and
    other tables' keys depend on them. Use it inside a transaction: on an error the rollback restores
    the schema. Not for the partitioned usage table (see `make_usage`).
    """
    quote = connection.ops.quote_name
    # ALTER TABLE refuses a table with queued (deferred) key checks, such as those of the staff just
    # written: run them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        # Unique and foreign-key constraints, but not a unique constraint another table's key points at.
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c "
        "WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('u', 'f') AND c.conparentid = 0 "
        "AND NOT (c.contype = 'u' AND EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' "
        "AND r.conindid = c.conindid)) ORDER BY c.contype DESC, c.conname",
        [list(tables)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        # Indexes that no constraint owns or points at. Partial and expression indexes stay: their
        # expressions do not come back from pg_get_indexdef word for word (an IN list is rebuilt as
        # another, equivalent, array), and they are small or rare.
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND i.indpred IS NULL AND i.indexprs IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for table, name, _, _ in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        # A partitioned table's definition reads ON ONLY (the parent alone); here every partition wants it.
        cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
    for table, name, definition, _ in constraints:  # unique ones first, then the foreign keys
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    log(f"    indexes and keys of {', '.join(tables)} rebuilt in {time.monotonic() - started:.1f}s")


def real_employee_count() -> int:
    from people.models import User

    return User.objects.exclude(username__startswith=PREFIX).count()


class Command(BaseCommand):
    help = "Generate a large, reproducible council for benchmarks (COPY and INSERT ... SELECT, never row by row)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=2000)
        parser.add_argument("--schools", type=int, default=40)
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--incidents", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=365, help="Days of usage records, ending today.")
        parser.add_argument(
            "--minutes-per-day",
            type=float,
            default=14.0,
            help="Average minutes of social media per employee per day (usage rows = employees × days × this).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--database-url", default="", help="Write into this database instead of DATABASE_URL.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though the database holds real (non-generated) employees."
        )

    def handle(self, *args, **opts):
        if opts["database_url"]:
            use_database_url(opts["database_url"])
        for name in ("employees", "schools"):
            if opts[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        for name in ("cases", "incidents", "days"):
            if opts[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        from people.models import User

        real = real_employee_count()
        if real and not opts["force"]:
            raise CommandError(
                f"This database ({connection.settings_dict['NAME']}) holds {real} real employees. generate_scale_data "
                "adds a synthetic council for benchmarks and must not run on a live or demo database; point "
                "--database-url at a scratch database, or pass --force if you really mean it."
            )
        if User.objects.filter(username__startswith=PREFIX).exists():
            raise CommandError("This database already holds generated data; use a fresh scratch database.")
        generator = ScaleGenerator(
            seed=opts["seed"],
            employees=opts["employees"],
            schools=opts["schools"],
            cases=opts["cases"],
            incidents=opts["incidents"],
            days=opts["days"],
            minutes_per_day=opts["minutes_per_day"],
            log=lambda msg: self.stdout.write(msg),
        )
        timings = generator.run()
        total = sum(timings.values())
        self.stdout.write(self.style.SUCCESS(f"Generated in {total:.1f}s: {generator.counts}"))


class ScaleGenerator:
    def __init__(self, *, seed, employees, schools, cases, incidents, days, minutes_per_day, log=print):
        self.seed, self.rng = seed, random.Random(seed)
        self.employees, self.schools, self.cases, self.incidents = employees, schools, cases, incidents
        self.days, self.minutes_per_day = days, minutes_per_day
        self.log = log
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.today = timezone.localdate()

    def _step(self, name, fn, *, atomic: bool = True):
        """Run one step, timed with its commit: in a transaction of its own, or, for a step that writes
        partitions, in the transactions it makes itself. A transaction keeps a lock on every table and index
        it touches until it ends, and a year of usage partitions split into days is thousands of them, more
        than PostgreSQL's shared lock table holds for everyone on the server."""
        started = time.monotonic()
        with transaction.atomic() if atomic else nullcontext():
            result = fn()
        self.timings[name] = time.monotonic() - started
        self.log(f"  {name}: {result} in {self.timings[name]:.1f}s")
        self.counts[name] = result
        return result

    def run(self) -> dict[str, float]:
        from monitoring.partitions import ensure_partitions, month_start

        with connection.cursor() as cursor:
            # generate_series hides the row counts from the planner, whose huge estimates would then spend
            # seconds compiling each statement with JIT.
            cursor.execute("SET jit = off")

        self._step("people", self.people)
        self._step("cases", self.make_cases)
        self._step("incident_reports", self.make_reports)
        if self.days:
            first = self.today - dt.timedelta(days=self.days - 1)
            this_month = month_start(self.today)
            behind = (this_month.year - first.year) * 12 + this_month.month - first.month
            # The partition manager makes whatever partitions the months this fills need (and the usual
            # two months ahead); the default partition must stay empty.
            self._step(
                "partitions",
                lambda: len(ensure_partitions(months_ahead=2, months_behind=max(behind, 12), today=self.today)),
                atomic=False,
            )
            self._step("usage_records", self.make_usage, atomic=False)
            self._step("usage_days", self.make_usage_days)
        with connection.cursor() as cursor:
            # Outside a transaction, ANALYZE takes each table in a transaction of its own.
            self._step("analyze", lambda: cursor.execute("ANALYZE") or 0, atomic=False)
        return self.timings

    # --- people ------------------------------------------------------------------------------------

    def people(self) -> int:
        from monitoring.models import IdentityKind
        from people.models import Organisation, RestBreak, Role, RoleAssignment, User

        rng, now = self.rng, timezone.now()
        council = Organisation.objects.create(name=f"Scale Council {self.seed}", kind="council")
        Organisation.objects.bulk_create(
            Organisation(name=f"Scale School {i:03d} ({self.seed})", kind="school", parent=council)
            for i in range(self.schools)
        )
        schools = list(Organisation.objects.filter(parent=council).order_by("name").values_list("id", flat=True))
        RestBreak.objects.bulk_create(
            RestBreak(organisation_id=org, weekday=day, start=start, end=end, label=label)
            for org in schools
            for day in range(5)
            for start, end, label in [
                (dt.time(10, 30), dt.time(10, 45), "Morning break"),
                (dt.time(12, 0), dt.time(12, 45), "Lunch break"),
            ]
        )
        rows = []
        for i in range(self.employees):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            org = council.pk if i < 3 else schools[i % len(schools)]
            joined = now - dt.timedelta(days=rng.randint(400, 4000))
            rows.append(
                (
                    "!",  # no usable password: nobody signs in as a generated employee by password
                    "f",
                    f"{PREFIX}{i:06d}",
                    first,
                    last,
                    f"{PREFIX}{i:06d}@scale.invalid",
                    "f",
                    "t",
                    joined.isoformat(),
                    org,
                    JOBS[i % len(JOBS)] if i >= 3 else "HR officer",
                    f"SC{self.seed % 100:02d}{i:06d}",
                    "active",
                    "f",
                )
            )
        with connection.cursor() as cursor:
            _copy(
                cursor,
                User._meta.db_table,
                [
                    "password",
                    "is_superuser",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "organisation_id",
                    "job_title",
                    "staff_number",
                    "employment_status",
                    "politically_restricted",
                ],
                rows,
            )
        ids = list(User.objects.filter(username__startswith=PREFIX).order_by("username").values_list("id", flat=True))
        # The first three work for the council: two HR officers and the head of HR; each school has a head.
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user_id=ids[0], role=Role.HR_OFFICER, organisation=council),
                *([RoleAssignment(user_id=ids[1], role=Role.HEAD_OF_HR, organisation=council)] if len(ids) > 1 else []),
                *(
                    RoleAssignment(user_id=ids[j], role=Role.HEADTEACHER, organisation_id=schools[j % len(schools)])
                    for j in range(3, min(len(ids), 3 + len(schools)))
                ),
            ]
        )
        since = now - dt.timedelta(days=self.days + 30)
        with connection.cursor() as cursor:
            _copy(
                cursor,
                "monitoring_networkidentity",
                ["kind", "value", "employee_id", "valid_from", "created_at"],
                (
                    (IdentityKind.USERNAME, f"s{self.seed % 100:02d}{n:06d}", pk, since.isoformat(), now.isoformat())
                    for n, pk in enumerate(ids)
                ),
            )
            # A numbered view of the staff, for the SQL below to pick people by hash.
            cursor.execute(
                "CREATE TEMP TABLE scale_staff ON COMMIT PRESERVE ROWS AS "
                "SELECT (row_number() OVER (ORDER BY u.username) - 1)::int AS n, u.id, u.organisation_id, i.value "
                "FROM people_user u JOIN monitoring_networkidentity i ON i.employee_id = u.id "
                "WHERE u.username LIKE %s",
                [PREFIX + "%"],
            )
            cursor.execute("CREATE UNIQUE INDEX ON scale_staff (n)")
        return len(ids)

    # --- cases and incident reports ----------------------------------------------------------------

    def _h(self, expr: str, salt: int) -> str:
        """A deterministic, well-spread non-negative integer from a row number, a salt and the seed."""
        return f"(abs(hashint8(({expr})::bigint * 1000003 + {salt * 7919 + self.seed * 104729}))::bigint)"

    def make_cases(self) -> int:
        if not self.cases:
            return 0
        n = self.employees
        h = self._h
        span = max(self.days, 30) * 86400
        with (
            connection.cursor() as cursor,
            deferred_indexes(cursor, "cases_case", "cases_casedeadline", log=self.log),
        ):
            cursor.execute(
                f"""
                INSERT INTO cases_case (reference, subject_id, organisation_id, summary, status, opened_by_id,
                    opened_at, investigating_officer_id, finding, serious_breach_found, suspension_reason,
                    hearing_panel, closed_at, hearing_notice_reason, hearing_attended, hearing_companion,
                    hearing_adjournments, closed_as, closure_reason)
                SELECT 'SC{self.seed}-C' || lpad(g::text, 7, '0'), s.id,
                    coalesce(s.organisation_id, hr.organisation_id),
                    'Generated allegation ' || g || ' about posts on social media.',
                    (ARRAY['open','investigating','investigating','hearing','outcome_recorded','appeal',
                           'closed','closed','closed','closed'])[1 + {h("g", 1)} %% 10],
                    hr.id, now() - make_interval(secs => {h("g", 2)} %% {span}),
                    CASE WHEN {h("g", 1)} %% 10 = 0 THEN NULL ELSE hr.id END,
                    '', false, '', '',
                    CASE WHEN {h("g", 1)} %% 10 >= 6 THEN now() - make_interval(secs => {h("g", 3)} %% 86400) END,
                    '', '', '', '', CASE WHEN {h("g", 1)} %% 10 >= 6 THEN 'decided' ELSE '' END, ''
                FROM generate_series(1, %s) g
                JOIN scale_staff s ON s.n = 3 + {h("g", 4)} %% greatest({n} - 3, 1)
                JOIN scale_staff hr ON hr.n = 0
                """,
                [self.cases],
            )
            count = cursor.rowcount
            cursor.execute(
                """
                INSERT INTO cases_casedeadline (case_id, title, due_on, met_on)
                SELECT c.id, 'Investigation report due', (c.opened_at + interval '28 days')::date,
                    CASE WHEN c.status IN ('closed', 'outcome_recorded')
                        THEN (c.opened_at + interval '20 days')::date END
                FROM cases_case c WHERE c.reference LIKE %s
                """,
                [f"SC{self.seed}-C%"],
            )
        return count

    def make_reports(self) -> int:
        if not self.incidents:
            return 0
        n, h = self.employees, self._h
        span = max(self.days, 30) * 86400
        with connection.cursor() as cursor, deferred_indexes(cursor, "cases_incidentreport", log=self.log):
            cursor.execute(
                "CREATE TEMP TABLE scale_cases ON COMMIT DROP AS "
                "SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM cases_case WHERE reference LIKE %s",
                [f"SC{self.seed}-C%"],
            )
            cursor.execute("CREATE UNIQUE INDEX ON scale_cases (n)")
            ncases = self.cases
            # 2% awaiting triage, 1% awaiting the reporter, 60% no further action, the rest merged into a case.
            status = f"CASE WHEN {h('g', 11)} %% 100 < 2 THEN 'reported' WHEN {h('g', 11)} %% 100 < 3 THEN "
            status += "'awaiting_reporter' "
            if ncases:
                status += f"WHEN {h('g', 11)} %% 100 < 63 THEN 'no_further_action' ELSE 'merged' END"
            else:
                status += "ELSE 'no_further_action' END"
            cursor.execute(
                f"""
                INSERT INTO cases_incidentreport (reference, reporter_id, anonymous, on_behalf_of, self_reported,
                    subject_id, subject_description, capacity, platform, link, occurred_at, description, categories,
                    status, reported_at, decision_reason, case_id)
                SELECT 'SC{self.seed}-R' || lpad(g::text, 8, '0'),
                    CASE WHEN {h("g", 12)} %% 5 = 0 THEN NULL ELSE r.id END, {h("g", 12)} %% 5 = 0, '', false,
                    s.id, '',
                    CASE WHEN {h("g", 13)} %% 3 = 0 THEN 'professional' ELSE 'personal' END,
                    (ARRAY{PLATFORMS!r})[1 + {h("g", 14)} %% {len(PLATFORMS)}],
                    CASE WHEN {h("g", 15)} %% 2 = 0 THEN 'https://social.example/p/' || g ELSE '' END,
                    t.reported_at - make_interval(secs => {h("g", 16)} %% 259200),
                    'Generated concern ' || g || ': a post that may breach the policy.',
                    ARRAY[(ARRAY{CATEGORIES!r})[1 + {h("g", 17)} %% {len(CATEGORIES)}]],
                    st.status, t.reported_at, '',
                    CASE WHEN st.status = 'merged' THEN c.id END
                FROM generate_series(1, %s) g
                CROSS JOIN LATERAL (SELECT now() - make_interval(secs => {h("g", 18)} %% {span}) AS reported_at) t
                CROSS JOIN LATERAL (SELECT {status} AS status) st
                JOIN scale_staff s ON s.n = 3 + {h("g", 19)} %% greatest({n} - 3, 1)
                JOIN scale_staff r ON r.n = 3 + {h("g", 20)} %% greatest({n} - 3, 1)
                LEFT JOIN scale_cases c ON c.n = {h("g", 21)} %% greatest({ncases}, 1)
                """,
                [self.incidents],
            )
            count = cursor.rowcount
        return count

    # --- usage ---------------------------------------------------------------------------------------

    def _minute_hash(self) -> str:
        """One hash per minute of use, whose digits give its site, requests and bytes (one hash a row
        instead of one per column: the usage rows are most of what is generated)."""
        return self._h(f"{self._day_key} * 1024 + k", 31)

    # The (day, employee) key that every per-day value is hashed from.
    _day_key = "((d::date - date '2000-01-01')::bigint * 100003 + s.n)"

    def make_usage(self) -> int:
        """Each employee, each day: a run of consecutive minutes (its length averages --minutes-per-day)
        starting somewhere in the school day, on one site per minute, from a school or their own device.

        Written through the partitioned parent table, so PostgreSQL routes each row to whatever partition
        holds it (months, or days within months), a month per transaction, with the indexes in place:
        dropping and rebuilding the parent's indexes would lock every partition and index in one
        transaction (over 7,000 locks for a year of days), and a day's indexes are small enough to stay in
        memory while its rows go in."""
        from monitoring.models import Site
        from monitoring.partitions import add_months, month_start

        sites = list(Site.objects.order_by("pk").values_list("pk", flat=True))
        if not sites:
            raise CommandError("The site catalogue is empty; run the migrations first.")
        first = self.today - dt.timedelta(days=self.days - 1)
        total = 0
        with connection.cursor() as cursor:
            day = first
            while day <= self.today:
                last = min(self.today, add_months(month_start(day), 1) - dt.timedelta(days=1))
                with transaction.atomic():
                    total += self._usage_rows(cursor, sites, day, last)
                self.log(f"    usage {day:%Y-%m}: {total} rows so far")
                day = last + dt.timedelta(days=1)
        return total

    def _usage_rows(self, cursor, sites: list[int], first: dt.date, last: dt.date) -> int:
        from monitoring.partitions import PARENT

        h, key, minute = self._h, self._day_key, self._minute_hash()
        top = max(int(round(self.minutes_per_day * 2)), 1)  # lengths 0..top, average about minutes_per_day
        nsites = len(sites)
        # Ids are numbered here rather than drawn from the identity sequence row by row.
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [PARENT])
        base = cursor.fetchone()[0]
        cursor.execute(
            # OFFSET 0 keeps each LATERAL sub-query from being folded into the outer query, which would
            # copy its hash into every column that uses it and compute it once per column.
            f"""
            INSERT INTO {PARENT} (id, identity_kind, identity_value, employee_id, site_id, device,
                started_at, first_seen, last_seen, requests, bytes, created_at)
            SELECT {base} + row_number() OVER (), x.* FROM (
            SELECT 'username', s.value, s.id, (ARRAY{sites!r})[1 + (m.h / 20) %% {nsites}],
                CASE WHEN p.own THEN 'own' ELSE 'school' END,
                m.started_at, m.started_at + interval '3 seconds', m.started_at + interval '51 seconds',
                1 + m.h %% 20, 2000 + (m.h / {20 * nsites}) %% 200000, now()
            FROM scale_staff s
            -- Each person's days in turn (a loop inside the staff loop: WHERE makes it depend on s, OFFSET 0
            -- keeps it a sub-query), so that rows reach the indexes that lead with the person in their
            -- order, and the few index pages each person's rows change stay in memory.
            CROSS JOIN LATERAL (
                SELECT d FROM generate_series(%s::date, %s::date, interval '1 day') d WHERE s.n >= 0 OFFSET 0
            ) days
            CROSS JOIN LATERAL (
                SELECT ({h(key, 35)} %% {top + 1})::int AS n, ({h(key, 36)} %% 600)::int AS lo,
                    {h(key, 32)} %% 3 = 0 AS own,
                    (d::date + time '07:30') AT TIME ZONE 'Europe/London' AS opens
                WHERE extract(isodow FROM d) < 6 OR {h(key, 37)} %% 4 = 0
                OFFSET 0
            ) p
            CROSS JOIN LATERAL generate_series(0, p.n - 1) k
            CROSS JOIN LATERAL (
                SELECT {minute} AS h, p.opens + (p.lo + k) * interval '1 minute' AS started_at OFFSET 0
            ) m
            UNION ALL
            -- Some traffic from addresses nobody has claimed yet (HR's list of unmatched identities).
            SELECT 'address', '10.99.' || (a / 250) || '.' || (a %% 250 + 1),
                NULL, (ARRAY{sites!r})[1 + {h("a", 38)} %% {nsites}], 'unknown', m.started_at, m.started_at,
                m.started_at + interval '20 seconds', 3, 4000, now()
            FROM generate_series(%s::date, %s::date, interval '1 day') d
            CROSS JOIN generate_series(0, 49) a
            CROSS JOIN LATERAL (SELECT ((d::date + time '12:00') AT TIME ZONE 'Europe/London')
                + make_interval(mins => ({h("a", 39)} %% 30)::int) AS started_at) m
            ) x
            """,
            [first, last, first, last],
        )
        count = cursor.rowcount
        # The sequence carries on after these ids (reading max(id) instead would lock every partition).
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [PARENT, base + count + 1])
        return count

    def make_usage_days(self) -> int:
        """HR's summary table, worked out from the same formulas as the usage rows instead of reading them
        back: each employee's run of minutes on a day is [start, start + length) in local time, so its
        minutes in rest breaks, outside breaks in the working day, and outside hours are overlaps of
        intervals (weekends are outside hours; no overtime is generated). tests/bench checks that this
        agrees with monitoring.analysis minute by minute."""
        threshold = settings.MONITORING_EXCESSIVE_MINUTES_PER_DAY
        h = self._h
        top = max(int(round(self.minutes_per_day * 2)), 1)
        first = self.today - dt.timedelta(days=self.days - 1)
        key, minute = self._day_key, self._minute_hash()
        minutes = "(extract(hour FROM {0})::int * 60 + extract(minute FROM {0})::int)"
        end_column = '"end"'
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE scale_breaks ON COMMIT DROP AS SELECT organisation_id, weekday, "
                f"{minutes.format('start')} AS b_start, {minutes.format(end_column)} AS b_end FROM people_restbreak"
            )
            cursor.execute("CREATE INDEX ON scale_breaks (organisation_id, weekday)")
            cursor.execute("ANALYZE scale_breaks")
            with deferred_indexes(cursor, "monitoring_usageday", log=self.log):
                cursor.execute(
                    f"""
                    INSERT INTO monitoring_usageday (employee_id, day, minutes_in_breaks, minutes_outside_breaks,
                        minutes_overtime, minutes_outside_hours, minutes_school_device, minutes_own_device, requests,
                        possible_excessive_use, created_at, computed_at)
                    SELECT s.id, d::date, brk.m, w.m - brk.m, 0, r.n - w.m,
                        CASE WHEN r.own THEN 0 ELSE r.n END, CASE WHEN r.own THEN r.n ELSE 0 END, q.requests,
                        w.m - brk.m >= {threshold}, now(), now()
                    FROM generate_series(%s::date, %s::date, interval '1 day') d
                    CROSS JOIN scale_staff s
                    JOIN people_organisation o ON o.id = s.organisation_id
                    CROSS JOIN LATERAL (
                        SELECT ({h(key, 35)} %% {top + 1})::int AS n, 450 + ({h(key, 36)} %% 600)::int AS lo,
                            {h(key, 32)} %% 3 = 0 AS own, extract(isodow FROM d)::int AS dow,
                            {minutes.format("o.workday_start")} AS ws, {minutes.format("o.workday_end")} AS we
                        OFFSET 0  -- computed once, not folded into every expression that uses it
                    ) r
                    CROSS JOIN LATERAL (
                        SELECT CASE WHEN r.dow > 5 THEN 0
                            ELSE greatest(0, least(r.lo + r.n, r.we) - greatest(r.lo, r.ws)) END AS m
                        OFFSET 0
                    ) w
                    CROSS JOIN LATERAL (
                        SELECT CASE WHEN r.dow > 5 THEN 0 ELSE coalesce(sum(greatest(0,
                            least(r.lo + r.n, b.b_end, r.we) - greatest(r.lo, b.b_start, r.ws))), 0) END::int AS m
                        FROM scale_breaks b WHERE b.organisation_id = o.id AND b.weekday = r.dow - 1
                    ) brk
                    CROSS JOIN LATERAL (
                        SELECT sum(1 + {minute} %% 20)::int AS requests FROM generate_series(0, r.n - 1) k
                    ) q
                    WHERE r.n > 0 AND (r.dow < 6 OR {h(key, 37)} %% 4 = 0)
                    """,
                    [first, self.today],
                )
                count = cursor.rowcount
        return count
