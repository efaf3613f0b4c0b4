"""`make bench`: run every bench/*_bench.py against scratch databases and write docs/PERFORMANCE.md.

Each script writes artifacts/bench/<name>.json with {"title", "markdown"}; this assembles them with the
machine, the date and the command, and with bench/CHANGES.md (what was changed and the figures before).
A script that is not there yet (the purge benchmark comes from another branch) is listed as not yet
measured; one that fails is reported as failed, and the others still run.

    python bench/run.py [--only import,pages] [--import-args "..."] [--pages-args "..."] [--purge-args "..."]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
DOC = common.ROOT / "docs" / "PERFORMANCE.md"
# Sizes that fit `make bench` in under 30 minutes on a shared 2-core machine; the scripts' own defaults
# are the full sizes (10 million usage rows, a 1 GB log): pass --pages-args / --import-args for them.
DEFAULT_ARGS = {
    "import": "--lines 1000000 --per-row-lines 20000 --sizes 10,100",
    "pages": "--cases 100000 --incidents 1000000 --minutes-per-day 4 --requests 15",
}
EXPECTED = {
    "import": "Importing filter logs",
    "purge": "Purging 14 months of usage records",
    "pages": "Pages at council scale",
}


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=common.ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="Comma-separated names (import, pages, purge) to run.")
    for name in EXPECTED:
        parser.add_argument(
            f"--{name}-args", default=DEFAULT_ARGS.get(name, ""), help=f"Arguments for bench/{name}_bench.py."
        )
    parser.add_argument("--doc", default=str(DOC), help="Where to write the report.")
    parser.add_argument(
        "--assemble-only", action="store_true", help="Write the report from the artifacts of earlier runs."
    )
    args = parser.parse_args()
    command = "make bench" + (f" BENCH_ARGS={shlex.quote(shlex.join(sys.argv[1:]))}" if sys.argv[1:] else "")

    started = time.monotonic()
    when = dt.datetime.now(dt.UTC)
    info = common.machine()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    scripts = {p.name.removesuffix("_bench.py"): p for p in sorted(BENCH_DIR.glob("*_bench.py"))}
    names = list(EXPECTED) + sorted(set(scripts) - set(EXPECTED))
    # A fresh template each run, so that the scratch databases have this build's migrations.
    if not args.assemble_only:
        common.drop_database(common.TEMPLATE)
    sections, durations = [], {}
    try:
        for name in names:
            title = EXPECTED.get(name, name)
            if only and name not in only:
                continue
            script = scripts.get(name)
            if script is None:
                sections.append((title, f"Not yet measured: `bench/{name}_bench.py` is not in this build.", None))
                continue
            artifact = common.ARTIFACTS / f"{name}.json"
            extra = shlex.split(getattr(args, f"{name}_args", "") or "")
            if args.assemble_only:
                if artifact.exists():
                    data = json.loads(artifact.read_text())
                    cmd = data.get("command") or f"python bench/{script.name}"
                    sections.append((data.get("title", title), data["markdown"], cmd))
                else:
                    sections.append((title, "Not measured in this run.", None))
                continue
            artifact.unlink(missing_ok=True)
            print(f"== {name}: {script.name} {' '.join(extra)}", flush=True)
            t = time.monotonic()
            result = subprocess.run([sys.executable, str(script), *extra], cwd=common.ROOT)
            durations[name] = time.monotonic() - t
            if result.returncode != 0 or not artifact.exists():
                sections.append(
                    (title, f"**Failed** (exit code {result.returncode}); see the output of the run.", None)
                )
                continue
            data = json.loads(artifact.read_text())
            cmd = f"python bench/{script.name}" + (f" {shlex.join(extra)}" if extra else "")
            sections.append((data.get("title", title), data["markdown"], cmd))
    finally:
        if not args.assemble_only:
            common.drop_database(common.TEMPLATE)
    total = time.monotonic() - started

    run_time = f"{total / 60:.1f} minutes" + "".join(f"; {n} {s / 60:.1f}" for n, s in durations.items())
    if args.assemble_only:
        command = "python bench/run.py --assemble-only"
        run_time = (
            "Assembled from separate runs of each benchmark (each section names its command), not from one "
            "`make bench` run; the load average above is at assembly, each section gives its own."
        )
    changes = BENCH_DIR / "CHANGES.md"
    lines = [
        "# Performance at council scale",
        "",
        "Generated by `make bench` (bench/run.py); do not edit by hand: change bench/ and run it again. "
        "The benchmarks create and drop their own scratch databases (`bench_scratch_*`); the development and "
        "test databases are never touched. Benchmarks are not tests: the test suite stays deterministic.",
        "",
        "## Machine and run",
        "",
        common.table(
            ["", ""],
            [
                ["Date", when.strftime("%d/%m/%Y %H:%M UTC")],
                ["Commit", git_commit()],
                ["CPU", info["cpu"]],
                ["Cores", info["cores"]],
                ["RAM", info["ram"]],
                ["PostgreSQL", info["postgresql"]],
                ["Python", info["python"]],
                ["Load average at the start", info["load"]],
                ["Command", f"`{command}`"],
                ["Run time", run_time],
            ],
        ),
        "",
        "The machine is shared: other work ran on its cores during the run (see the load average), so wall "
        "times are higher than on a quiet server; the CPU columns show what the work itself costs.",
    ]
    for title, markdown, cmd in sections:
        lines += ["", f"## {title}", ""]
        if cmd:
            lines += [f"Command: `{cmd}`", ""]
        lines.append(markdown)
    if changes.exists():
        lines += ["", changes.read_text().strip()]
    lines += [
        "",
        "## Reproducing",
        "",
        "`make bench` runs everything (under 30 minutes on a 2-core machine with the default sizes). Each "
        "benchmark also runs alone, e.g. `python bench/pages_bench.py --help` for its sizes; "
        "`python manage.py generate_scale_data --help` builds a council at scale in a scratch database.",
        "",
    ]
    Path(args.doc).write_text("\n".join(lines))
    print(f"wrote {args.doc} in {total / 60:.1f} minutes")


if __name__ == "__main__":
    main()
