"""Turn locust's run_stats.csv into the Markdown table of docs/LOAD.md; exit 1 if any request failed."""

import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
print("| page | requests | failures | p50 ms | p95 ms | max ms | req/s |")
print("|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    name = "**all pages**" if r["Name"] == "Aggregated" else f"`{r['Name']}`"
    print(
        f"| {name} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} "
        f"| {float(r['Max Response Time']):.0f} | {float(r['Requests/s']):.1f} |"
    )
total = next(r for r in rows if r["Name"] == "Aggregated")
sys.exit(1 if int(total["Failure Count"]) else 0)
