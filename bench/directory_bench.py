"""Benchmark of the staff directory import (issue 17): our set-based import against a per-row ORM save.

    .venv/bin/python bench/directory_bench.py [--rows 10000] [--per-row-rows 1000]

It creates two scratch databases from the migrated template and, in a child process for each:
  A: writes a directory of ROWS employees (a council, 40 schools, line managers three deep, a few roles) and
     imports it with `staff_directory_apply`; then imports the same file again (nothing to change: it must
     write nothing); then a file with 1% of rows changed and 1% missing (they become leavers);
  B: saves the first PER_ROW_ROWS rows of the same directory one at a time, as the admin form would
     (`full_clean()` and `save()` per employee, then the line manager, then an audit event per employee),
     and scales its rate to ROWS.
Times are wall-clock in the child, queries counted with Django's connection.execute_wrapper.

The result goes to artifacts/bench/directory.json as {"title", "markdown"} for bench/run.py.
Scratch databases are dropped at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

# Issue 17's targets: 10,000 rows in under 10 s; a no-change re-sync of them in under 3 s, writing nothing.
IMPORT_TARGET = 10.0
RESYNC_TARGET = 3.0
COUNCIL = "Bench Borough Council"


def directory_rows(n: int, *, changed_every: int = 0, missing_every: int = 0) -> list[list[str]]:
    """A deterministic directory: row 0 heads the council, 1–40 head the schools, the rest report upward."""
    first = ["Siân", "Llŷr", "Ffion", "Seán", "Aoife", "Rhys", "Megan", "Owain", "Chloé", "Dafydd"]
    last = ["O'Brien", "Smith-Jones", "ap Dafydd", "Evans", "Ní Bhriain", "Hughes", "Parry", "Lewis"]
    rows = []
    for i in range(n):
        if missing_every and i > 400 and i % missing_every == 0:  # nobody's manager
            continue
        school = "" if i == 0 else f"Ysgol Bench {i % 40 + 1:02d}"
        manager = (
            "" if i == 0 else ("B000000" if i <= 40 else f"B{(i % 40) + 1:06d}" if i <= 400 else f"B{i % 400 + 1:06d}")
        )
        roles = "head_of_hr" if i == 0 else ("headteacher" if i <= 40 else "")
        title = "Head of HR" if i == 0 else ("Headteacher" if i <= 40 else "Teacher")
        if changed_every and i > 40 and i % changed_every == 1:
            title = "Senior Teacher"
        rows.append(
            [
                f"B{i:06d}",
                first[i % len(first)],
                f"{last[i % len(last)]}{i}",
                f"Person.{i}@Bench.example",
                title,
                school or COUNCIL,
                manager,
                "01/09/2015",
                "",
                "no",
                roles,
            ]
        )
    return rows


HEADER = (
    "employee_number,first_name,last_name,email,job_title,organisation,line_manager_number,start_date,"
    "leave_date,politically_restricted,roles"
)


def as_csv(rows) -> bytes:
    return ("\ufeff" + HEADER + "\r\n" + "".join(",".join(r) + "\r\n" for r in rows)).encode()


class _Counter:
    def __init__(self):
        self.queries = 0
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        if sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "COPY"}:
            self.writes += 1
        return execute(sql, params, many, context)


def _timed(fn):
    from django.db import connection

    counter = _Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, counter, result


def measure_ours(rows: int) -> dict:
    import django

    django.setup()
    from people.directory.services import staff_directory_apply
    from people.models import Organisation, User

    Organisation.objects.create(name=COUNCIL, kind=Organisation.Kind.COUNCIL)
    content = as_csv(directory_rows(rows))

    def run(data):
        return lambda: staff_directory_apply(actor=None, content=data, file_name="bench.csv")

    first = _timed(run(content))
    again = _timed(run(content))
    changed = as_csv(directory_rows(rows, changed_every=100, missing_every=100))
    third = _timed(run(changed))
    for _, _, result in (first, again, third):
        if not result.ok:
            raise SystemExit(f"the generated directory has errors: {result.unreadable or result.plan.errors[:5]}")
    return {
        "import": {"seconds": first[0], "queries": first[1].queries, "counts": first[2].plan.counts()},
        "resync": {
            "seconds": again[0],
            "queries": again[1].queries,
            "writes": again[1].writes,
            "counts": again[2].plan.counts(),
        },
        "changes": {"seconds": third[0], "queries": third[1].queries, "counts": third[2].plan.counts()},
        "employees": User.objects.filter(staff_number__startswith="B").count(),
    }


def measure_per_row(rows: int) -> dict:
    """The admin form's way: each employee validated and saved on its own, then its manager, then audited."""
    import django

    django.setup()
    from django.db import transaction

    from audit.services import audit_record
    from people.models import Organisation, User

    council = Organisation.objects.create(name=COUNCIL, kind=Organisation.Kind.COUNCIL)

    def run():
        schools = {}
        saved = {}
        with transaction.atomic():
            for row in directory_rows(rows):
                number, first, last, email, title, org, manager, *_ = row
                if org == COUNCIL:
                    organisation = council
                else:
                    organisation = schools.get(org) or Organisation.objects.filter(name=org).first()
                    if organisation is None:
                        organisation = Organisation.objects.create(name=org, kind="school", parent=council)
                    schools[org] = organisation
                user = User(
                    username=email.lower(),
                    email=email.lower(),
                    first_name=first,
                    last_name=last,
                    job_title=title,
                    staff_number=number,
                    organisation=organisation,
                )
                user.set_unusable_password()
                user.full_clean()
                user.save()
                if manager in saved:
                    user.line_manager = saved[manager]
                    user.save(update_fields=["line_manager"])
                saved[number] = user
                audit_record(actor=None, action="employee.created", obj=user)

    seconds, counter, _ = _timed(run)
    return {"rows": rows, "seconds": seconds, "queries": counter.queries}


def render(ours: dict, per_row: dict, rows: int, load: str) -> tuple[list[str], list[str]]:
    per_row_scaled = per_row["seconds"] / per_row["rows"] * rows
    imp, resync, changes = ours["import"], ours["resync"], ours["changes"]
    missed = []
    if imp["seconds"] >= IMPORT_TARGET:
        missed.append(f"import of {rows:,} rows took {imp['seconds']:.1f} s (target < {IMPORT_TARGET:.0f} s)")
    if resync["seconds"] >= RESYNC_TARGET:
        missed.append(f"no-change re-sync took {resync['seconds']:.1f} s (target < {RESYNC_TARGET:.0f} s)")
    if resync["writes"]:
        missed.append(f"no-change re-sync wrote {resync['writes']} statements (target: none)")
    md = [
        f"A directory of {rows:,} employees (a council, 40 schools, line managers three deep) through "
        "`staff_directory_apply`, against the admin form's way (`full_clean()` and `save()` per employee, its line "
        f"manager, an audit event each) on the first {per_row['rows']:,} rows of the same file, scaled to "
        f"{rows:,}. Load average at the start: {load}.",
        "",
        common.table(
            ["run", "seconds", "queries", "what it did"],
            [
                [
                    "first import",
                    f"{imp['seconds']:.2f}",
                    imp["queries"],
                    f"{imp['counts']['create']:,} created, {imp['counts']['new_schools']} schools",
                ],
                [
                    "same file again",
                    f"{resync['seconds']:.2f}",
                    resync["queries"],
                    f"{resync['counts']['unchanged']:,} unchanged, {resync['writes']} writes",
                ],
                [
                    "1% changed, 1% missing",
                    f"{changes['seconds']:.2f}",
                    changes["queries"],
                    f"{changes['counts']['change']:,} changed, {changes['counts']['leave']:,} leavers",
                ],
                [
                    f"per-row save ({per_row['rows']:,} rows)",
                    f"{per_row['seconds']:.2f}",
                    per_row["queries"],
                    f"scaled to {rows:,}: {per_row_scaled:.1f} s",
                ],
            ],
        ),
        "",
        f"First import: **{per_row_scaled / imp['seconds']:.0f}×** the per-row save. "
        f"Targets: import under {IMPORT_TARGET:.0f} s, no-change re-sync under {RESYNC_TARGET:.0f} s writing "
        "nothing: " + ("met." if not missed else "**missed**: " + "; ".join(missed) + "."),
    ]
    return md, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measure", choices=["ours", "per-row"], help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--per-row-rows", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch databases afterwards.")
    args = parser.parse_args()
    if args.measure == "ours":
        print(json.dumps(measure_ours(args.rows)))
        return
    if args.measure == "per-row":
        print(json.dumps(measure_per_row(args.per_row_rows)))
        return

    started = time.monotonic()
    load = common.machine()["load"]
    names = ("directory_ours", "directory_per_row")
    try:
        results = {}
        for name, mode in zip(names, ("ours", "per-row"), strict=True):
            database = common.create_scratch(name)
            common.run_django(database, ["manage.py", "migrate", "-v0"])
            out = common.run_django(
                database,
                [__file__, "--measure", mode, "--rows", str(args.rows), "--per-row-rows", str(args.per_row_rows)],
            )
            results[mode] = json.loads(out.strip().splitlines()[-1])
            print(f"{mode}: {results[mode]}", flush=True)
    finally:
        if not args.keep:
            for name in names:
                common.drop_database(common.SCRATCH_PREFIX + name)
    md, missed = render(results["ours"], results["per-row"], args.rows, load)
    md += ["", f"Benchmark run time: {time.monotonic() - started:.0f}s."]
    common.write_artifact(
        "directory",
        "Staff directory import",
        "\n".join(md),
        ours=results["ours"],
        per_row=results["per-row"],
        missed=missed,
    )
    print("\n".join(md))


if __name__ == "__main__":
    main()
