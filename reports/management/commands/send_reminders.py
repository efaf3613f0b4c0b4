from django.core.management.base import BaseCommand

from reports.models import ReminderSent
from reports.reminders import due_reminders, send_due_reminders


class Command(BaseCommand):
    help = "Send reminders for deadlines that are near or passed (what the nightly beat task does)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what is due without sending anything.")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            reminders = due_reminders()
            sent = set(ReminderSent.objects.filter(key__in=[r.key for r in reminders]).values_list("key", flat=True))
            for reminder in reminders:
                state = "already sent" if reminder.key in sent else f"to {len(reminder.recipients)} recipient(s)"
                self.stdout.write(f"{reminder.key}: {reminder.subject} ({state})")
            return
        sent = send_due_reminders()
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) sent."))
