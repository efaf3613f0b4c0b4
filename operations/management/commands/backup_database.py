from django.core.management.base import BaseCommand

from operations.backups import backup_create


class Command(BaseCommand):
    help = "Write a pg_dump backup into BACKUP_DIR and delete backups older than BACKUP_RETENTION_DAYS."

    def handle(self, *args, **options):
        backup = backup_create()
        self.stdout.write(f"Backup written: {backup.path} ({backup.size} bytes)")
