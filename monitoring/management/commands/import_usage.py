"""python manage.py import_usage FILE --format squid|fortigate|csv [--mapping NAME]"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.models import CsvMapping, UsageImport
from monitoring.services import usage_import_run


class Command(BaseCommand):
    help = "Import a web filter log (the same import as the upload page) and print its report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=UsageImport.Format.values)
        parser.add_argument("--mapping", help="The saved CSV column mapping to use (its name), for --format csv.")

    def handle(self, *args, file: str, format: str, mapping: str | None, **options):
        chosen = None
        if format == "csv":
            chosen = CsvMapping.objects.filter(name=mapping).first() if mapping else CsvMapping.objects.first()
            if chosen is None:
                names = ", ".join(CsvMapping.objects.values_list("name", flat=True)) or "none saved yet"
                raise CommandError(f"Name a CSV column mapping with --mapping ({names}).")
        try:
            with open(file, "rb") as stream:
                result = usage_import_run(
                    actor=None,
                    stream=stream,
                    file_name=os.path.basename(file),
                    file_size=os.path.getsize(file),
                    format=format,
                    mapping=chosen,
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stdout.write(
            f"{result.get_status_display()}: {result.lines_read} lines read, {result.lines_kept} kept, "
            f"{result.lines_dropped} dropped, {result.lines_rejected} rejected, "
            f"{result.records_written} usage records written, {len(result.unmatched)} unmatched identities."
        )
        for line_no, reason in result.rejections[:20]:
            self.stdout.write(f"  line {line_no}: {reason}")
        if result.status == UsageImport.Status.FAILED:
            raise CommandError(result.failure)
