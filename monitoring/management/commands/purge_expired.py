"""`python manage.py purge_expired [--dry-run]`: the clause 4.2 purge, as the nightly task runs it."""

from django.core.management.base import BaseCommand

from monitoring.models import PurgeReceipt
from monitoring.retention import KINDS, retention_purge


class Command(BaseCommand):
    help = "Delete monitoring data older than its limit (12 months, clause 4.2), except what a hold keeps."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be removed; remove nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        receipt = retention_purge(dry_run=dry_run, trigger=PurgeReceipt.Trigger.COMMAND)
        if receipt.outcome == PurgeReceipt.Outcome.SKIPPED:
            self.stdout.write("Another purge is already running; this one did nothing.")
            return
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"Cutoff {receipt.cutoff:%d/%m/%Y %H:%M} (run date {receipt.run_date:%d/%m/%Y})")
        for key, counts in receipt.kinds.items():
            self.stdout.write(
                f"  {KINDS[key].title}: {verb.lower()} {counts['rows']} rows and {counts['files']} files; "
                f"{counts['held']} kept under hold (limit {counts['limit_months']} months)"
            )
        if receipt.partitions_dropped:
            label = "would drop" if dry_run else "dropped"
            self.stdout.write(f"  Monthly partitions {label}: {', '.join(receipt.partitions_dropped)}")
        for hold in receipt.holds:
            self.stdout.write(f"  Hold for case {hold['case']} on {hold['employee']}: {hold['from']} to {hold['to']}")
        if receipt.outcome != PurgeReceipt.Outcome.COMPLETED:
            self.stderr.write(f"Outcome: {receipt.get_outcome_display()} {receipt.error}".strip())
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"{verb} {receipt.rows_removed} rows in all."))
