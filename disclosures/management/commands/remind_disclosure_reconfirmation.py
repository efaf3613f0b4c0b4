"""Remind employees whose declared accounts are due for their yearly reconfirmation (as the weekly task does)."""

from django.core.management.base import BaseCommand

from disclosures.services import reconfirmation_remind_due


class Command(BaseCommand):
    help = "Remind employees whose declared social media accounts are due for reconfirmation (at most monthly)."

    def handle(self, *args, **options):
        reminded = reconfirmation_remind_due()
        self.stdout.write(self.style.SUCCESS(f"Reminded {reminded} employee{'s' if reminded != 1 else ''}."))
