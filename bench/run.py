"""`make bench`: one run of every benchmark at issue 11's sizes, and docs/PERFORMANCE.md written from it.

Each bench/*_bench.py runs in turn against its own scratch databases and writes
artifacts/bench/<name>.json with {"title", "markdown"}. The document is made of those sections, word for
word (each states its targets and whether they were met), headed by the machine, the date, the command,
the load average and how long each phase of this run took, and followed by bench/CHANGES.md (what was
changed, with the figures before and after). A script that fails is reported as failed and the others
still run.

    python bench/run.py [--only import,pages] [--import-args "..."] [--pages-args "..."] [--purge-args "..."]
                        [--doc PATH]
    python bench/run.py --assemble-only

--assemble-only runs nothing: it rewrites the document from the artifacts that earlier runs left (to
change the document's wording without a 30-minute run). The document then says, at its top, that its
figures come from separate runs, with each section's own command, date and load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
DOC = common.ROOT / "docs" / "PERFORMANCE.md"
PARTIAL_DOC = common.ARTIFACTS / "PERFORMANCE.partial.md"
BUDGET_MINUTES = 30
# Issue 11's sizes. The per-row ORM import runs on a prefix of the million-line file (it manages a few
# hundred lines a second); the purge bench's default is already 10 million rows; 17.5 minutes of use per
# employee per day make 10 million usage rows for 2,000 staff over a year (weekdays, and a quarter of
# weekends).
DEFAULT_ARGS = {
    "import": "--lines 1000000 --per-row-lines 20000 --sizes 10,100,1000",
    "purge": "--rows 10000000",
    "pages": "--cases 100000 --incidents 1000000 --minutes-per-day 17.5 --requests 20",
    "directory": "--rows 10000 --per-row-rows 1000",
}
EXPECTED = {
    "import": "Importing filter logs",
    "purge": "Retention purge (clause 4.2)",
    "pages": "Pages at council scale",
    "directory": "Staff directory import",
}
TARGETS = [
    "- **Import**: 1 million generated Squid log lines through our importer, against a per-row ORM import and "
    "`bulk_create` of the same file: at least 100,000 lines per second end to end on one core, at least 20× "
    "the per-row import, and peak memory that does not grow with the file (10 MB, 100 MB and 1 GB files).",
    "- **Purge**: 10 million usage rows over 14 months, our purge against `QuerySet.delete()` of the same rows "
    "on an identical copy: at least 100× faster and under 5 seconds, and a page read during the purge not "
    "blocked for more than 100 ms.",
    "- **Pages**: with 100,000 cases, 1 million incident reports and 10 million usage rows, the HR case list, "
    "triage queue, monitoring overview, an employee's usage page and the HR reports page: p95 server time at "
    "most 100 ms, and the same number of queries with 1,000 rows as with 100,000.",
    "- **Staff directory** (issue 17): 10,000 employees imported in under 10 seconds, against a per-row ORM save "
    "of the same rows; a re-sync of the unchanged file in under 3 seconds, writing nothing.",
    f"- **`make bench`**: all of it in one run of under {BUDGET_MINUTES} minutes on this 2-core machine.",
]


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=common.ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=common.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with uncommitted changes" if dirty else "")


def make_quote(args: str) -> str:
    """BENCH_ARGS as one would type it: shlex.join quotes with single quotes, so wrap in double ones."""
    return f'"{args}"' if not any(c in args for c in '"$`\\') else shlex.quote(args)


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def run_phase(name: str, script: Path, extra: list[str]) -> dict:
    """Run one benchmark script; return what the document needs of it, artifact included."""
    artifact = common.ARTIFACTS / f"{name}.json"
    artifact.unlink(missing_ok=True)  # a failed run must not pass off an older run's figures as its own
    command = f"python bench/{script.name}" + (f" {shlex.join(extra)}" if extra else "")
    phase = {"command": command, "ran_at": dt.datetime.now(dt.UTC).isoformat(), "load": common.machine()["load"]}
    print(f"== {name}: {command}", flush=True)
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(script), *extra], cwd=common.ROOT)
    phase["seconds"] = time.monotonic() - started
    if result.returncode != 0 or not artifact.exists():
        phase["failed"] = f"exit code {result.returncode}"
        return phase
    data = json.loads(artifact.read_text())
    # Kept with the artifact, so that --assemble-only can say where and when each section was measured.
    artifact.write_text(json.dumps({**data, "run": phase}, indent=2, default=str))
    return {**phase, "title": data.get("title"), "markdown": data["markdown"]}


def assembled_phase(name: str) -> dict | None:
    artifact = common.ARTIFACTS / f"{name}.json"
    if not artifact.exists():
        return None
    data = json.loads(artifact.read_text())
    return {
        **data.get("run", {"command": data.get("command") or f"python bench/{name}_bench.py"}),
        "title": data.get("title"),
        "markdown": data["markdown"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="Comma-separated names (import, pages, purge) to run.")
    for name in EXPECTED:
        parser.add_argument(
            f"--{name}-args", default=DEFAULT_ARGS.get(name, ""), help=f"Arguments for bench/{name}_bench.py."
        )
    parser.add_argument(
        "--doc",
        default="",
        help=f"Where to write the report (default {DOC.relative_to(common.ROOT)}, or "
        f"{PARTIAL_DOC.relative_to(common.ROOT)} with --only, so that a partial run never replaces the whole one).",
    )
    parser.add_argument(
        "--assemble-only",
        action="store_true",
        help="Run nothing: rewrite the report from the artifacts of earlier runs (it then says so at its top).",
    )
    args = parser.parse_args()
    given = shlex.join(sys.argv[1:])
    if args.assemble_only:
        command = f"python bench/run.py {given}"
    elif "MAKELEVEL" in os.environ:  # started by make, whose BENCH_ARGS are our arguments
        command = "make bench" + (f" BENCH_ARGS={make_quote(given)}" if given else "")
    else:
        command = "python bench/run.py" + (f" {given}" if given else "")

    started = time.monotonic()
    when = dt.datetime.now(dt.UTC)
    info = common.machine()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    doc = Path(args.doc or (PARTIAL_DOC if only else DOC))
    scripts = {p.name.removesuffix("_bench.py"): p for p in sorted(BENCH_DIR.glob("*_bench.py"))}
    names = list(EXPECTED) + sorted(set(scripts) - set(EXPECTED))
    phases: dict[str, dict | None] = {}
    setup_seconds = 0.0
    if not args.assemble_only:
        # A fresh template each run, so that the scratch databases have this build's migrations.
        common.drop_database(common.TEMPLATE)
        common.ensure_template()
        setup_seconds = time.monotonic() - started
    try:
        for name in names:
            script = scripts.get(name)
            if script is None or (only and name not in only):
                phases[name] = None
            elif args.assemble_only:
                phases[name] = assembled_phase(name)
            else:
                phases[name] = run_phase(name, script, shlex.split(getattr(args, f"{name}_args", "") or ""))
    finally:
        if not args.assemble_only:
            common.drop_database(common.TEMPLATE)
    total = time.monotonic() - started

    ran = [n for n, p in phases.items() if p and "seconds" in p and not args.assemble_only]
    if args.assemble_only:
        run_time = (
            "**Not one run**: assembled from the artifacts of separate runs of each benchmark; each section "
            "names its own command, date and load."
        )
    else:
        within = "within" if total < BUDGET_MINUTES * 60 else "**over**"
        scope = "One run of every benchmark" if set(ran) >= set(EXPECTED) else f"One run of {', '.join(ran)} only"
        run_time = f"{scope}: {minutes(total)} in all, {within} the {BUDGET_MINUTES}-minute budget (phases below)"

    lines = [
        "# Performance at council scale",
        "",
        "Generated by `make bench` (bench/run.py); do not edit by hand: change bench/ and run it again. "
        "The benchmarks create and drop their own scratch databases (`bench_scratch_<checkout>_*` and the purge "
        "benchmark's `socialpolicy_bench_purge*`); the development and test databases are never touched. "
        "Benchmarks are not tests: the test suite stays deterministic.",
    ]
    if args.assemble_only:
        lines += [
            "",
            "> **Assembled, not measured in one run**: this document was written by `python bench/run.py "
            "--assemble-only` from the results that separate runs left behind. Run `make bench` for figures "
            "from one run.",
        ]
    lines += [
        "",
        "## Machine and run",
        "",
        common.table(
            ["", ""],
            [
                ["Assembled on" if args.assemble_only else "Date", when.strftime("%d/%m/%Y %H:%M UTC")],
                ["Commit", git_commit()],
                ["CPU", info["cpu"]],
                ["Cores", info["cores"]],
                ["RAM", info["ram"]],
                ["PostgreSQL", info["postgresql"]],
                ["Python", info["python"]],
                *(
                    []
                    if args.assemble_only
                    else [
                        ["Load average at the start", info["load"]],
                        ["Load average at the end", common.machine()["load"]],
                    ]
                ),
                ["Command", f"`{command}`"],
                ["Run time", run_time],
            ],
        ),
        "",
        "The machine is shared: other work may run on its cores during the run (see the load averages), so "
        "wall times can be higher than on a quiet server; the CPU columns show what the work itself costs.",
        "",
    ]
    rows = [] if args.assemble_only else [["Scratch template (migrate)", minutes(setup_seconds), info["load"], ""]]
    for name, phase in phases.items():
        if phase is None:
            continue
        outcome = f"**failed** ({phase['failed']})" if "failed" in phase else "done"
        when_ran = phase.get("ran_at", "")[:16].replace("T", " ")
        took = minutes(phase["seconds"]) if "seconds" in phase else "unknown"
        if args.assemble_only:
            rows.append([name, took, phase.get("load", "unknown"), f"{outcome}, {when_ran} UTC: `{phase['command']}`"])
        else:
            rows.append([name, took, phase["load"], outcome])
    if not args.assemble_only:
        rows.append(["**Total**", f"**{minutes(total)}**", "", run_time.split(":")[0]])
    lines += [
        "Phases" + ("" if args.assemble_only else " of this run") + ":",
        "",
        common.table(["Phase", "Wall time", "Load average at its start", "Outcome"], rows),
        "",
        "## Targets (issue 11)",
        "",
        *TARGETS,
        "",
        "Each section below gives its figures and says, for each target, whether it was met, or by how much "
        "it was missed and why, with the profile that shows where the time goes.",
    ]
    for name, phase in phases.items():
        title = (phase or {}).get("title") or EXPECTED.get(name, name)
        lines += ["", f"## {title}", ""]
        if phase is None:
            script = scripts.get(name)
            lines.append(
                f"Not measured: `bench/{name}_bench.py` is not in this build."
                if script is None
                else "Not measured in this run (left out by `--only`, or no earlier result to assemble)."
            )
            continue
        lines += [f"Command: `{phase['command']}`", ""]
        if "failed" in phase:
            lines.append(f"**Failed** ({phase['failed']}); see the output of the run.")
        else:
            lines.append(phase["markdown"])
    changes = BENCH_DIR / "CHANGES.md"
    if changes.exists():
        lines += ["", changes.read_text().strip()]
    lines += [
        "",
        "## Reproducing",
        "",
        f"`make bench` runs everything at the sizes above, in one run of under {BUDGET_MINUTES} minutes on a "
        "2-core machine; `make bench BENCH_ARGS='--only pages'` runs one benchmark (its report goes to "
        f"`{PARTIAL_DOC.relative_to(common.ROOT)}`). Each benchmark also runs "
        "alone, e.g. `python bench/pages_bench.py --help` for its sizes; `python manage.py generate_scale_data "
        "--help` builds a council at scale in a scratch database.",
        "",
    ]
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("\n".join(lines))
    for row in rows:
        print(f"{row[0].strip('*')}: {row[1].strip('*')} ({row[3] or 'done'})")
    print(f"wrote {doc} in {minutes(total)}")


if __name__ == "__main__":
    main()
