"""python manage.py send_policy_reminders [--dry-run]: as the weekly task does."""

from django.core.management.base import BaseCommand

from people.policies import policy_reminders_send


class Command(BaseCommand):
    help = "Email a reminder to everyone in post who has not acknowledged the current policy version (once a week)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count who would be reminded; send nothing.")

    def handle(self, *args, dry_run, **options):
        count = policy_reminders_send(dry_run=dry_run)
        self.stdout.write(f"{count} {'would be' if dry_run else ''} reminded.".replace("  ", " "))
