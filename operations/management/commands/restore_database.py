from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into the database at --database-url (it overwrites what is "
        "there). Stop web, worker and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the .dump file")
        parser.add_argument("--database-url", required=True, help="postgres://user:password@host:5432/name")
        parser.add_argument("--yes", action="store_true", help="confirm that the target database is overwritten")

    def handle(self, *args, backup: Path, database_url: str, yes: bool, **options):
        if not backup.is_file():
            raise CommandError(f"No backup at {backup}")
        if not yes:
            raise CommandError("Restoring overwrites the target database; add --yes to confirm.")
        backup_restore(backup, database_url=database_url)
        self.stdout.write(f"Restored {backup.name}")
