"""python manage.py import_staff FILE [--dry-run] [--partial] [--mapping NAME]: bring the staff directory in."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.directory.services import staff_directory_apply, staff_directory_preview
from people.models import StaffColumnMapping


class Command(BaseCommand):
    help = (
        "Import or re-sync the staff directory from the HR system's export (CSV or XLSX). The file is the whole "
        "directory of the organisations it names: anyone there missing from it becomes a leaver (unless --partial). "
        "A file with any error changes nothing; every error is listed and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export: .csv or .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")
        parser.add_argument(
            "--partial", action="store_true", help="Apply only the rows given; nobody missing becomes a leaver."
        )
        parser.add_argument("--mapping", help="The name of a saved column mapping for this HR system's headers.")

    def handle(self, *args, file, dry_run, partial, mapping, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        saved = None
        if mapping:
            saved = StaffColumnMapping.objects.filter(name=mapping).first()
            if saved is None:
                names = ", ".join(StaffColumnMapping.objects.values_list("name", flat=True)) or "none saved yet"
                raise CommandError(f"No column mapping called {mapping!r} (known: {names}).")
        content = path.read_bytes()
        run = staff_directory_preview if dry_run else staff_directory_apply
        result = run(actor=None, content=content, file_name=path.name, partial=partial, mapping=saved)
        if result.unreadable:
            raise CommandError(result.unreadable)
        plan = result.plan
        if plan.errors:
            for e in plan.errors:
                who = f" ({e.name})" if e.name else ""
                value = f" “{e.value}”" if e.value else ""
                self.stderr.write(f"Row {e.row}{who}, {e.column}{value}: {e.reason}")
            raise CommandError(f"{len(plan.errors)} error(s) in {path.name}; nothing was changed.")
        counts = plan.counts()
        verb = "Would" if dry_run else "Did"
        self.stdout.write(
            f"{counts['rows']} rows: {verb.lower()} create {counts['create']}, change {counts['change']} "
            f"(of whom {counts['return']} returning), mark {counts['leave']} as leavers; "
            f"{counts['unchanged']} unchanged."
        )
        for name in plan.new_schools:
            self.stdout.write(f"New school {'to be ' if dry_run else ''}created under the council: {name}")
        for change in plan.changes[:200]:
            fields = "; ".join(
                f"{k}: {old or '(empty)'} → {new or '(empty)'}" for k, (old, new) in change.fields.items()
            )
            self.stdout.write(f"Row {change.entry.row} {change.entry.number} {change.entry.name}: {fields}")
        for leaver in plan.leavers[:200]:
            self.stdout.write(f"Leaver {leaver.number} {leaver.name}: {leaver.reason}")
        if not dry_run and plan.is_empty:
            self.stdout.write("Nothing to change: the directory is already in step with the file.")
