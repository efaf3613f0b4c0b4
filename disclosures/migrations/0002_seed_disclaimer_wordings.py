"""The disclaimer wordings the 5.4 check starts with; HR can change them afterwards."""

from django.db import migrations

EXAMPLES = {
    "views * mine": "The views I express here are mine alone.",
    "not * reflect * {employer}": "They do not necessarily reflect the views of my employer.",
    "views * my own": "All views are my own.",
    "not my {employer}": "Views mine, not my employer's.",
}


def seed(apps, schema_editor):
    from disclosures.checks import DEFAULT_WORDINGS

    DisclaimerWording = apps.get_model("disclosures", "DisclaimerWording")
    for wording in DEFAULT_WORDINGS:
        DisclaimerWording.objects.get_or_create(
            pattern=wording.pattern,
            defaults={"element": wording.element.value, "example": EXAMPLES.get(wording.pattern, "")},
        )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
