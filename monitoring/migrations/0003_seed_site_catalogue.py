"""The site catalogue starts with the major platforms, blogs and video sites of clause 1.1; HR adds the rest (1.2)."""

from django.db import migrations


def seed(apps, schema_editor):
    from monitoring.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("monitoring", "Site"), apps.get_model("monitoring", "CsvMapping"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_usagerecord_partitioned_table")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
