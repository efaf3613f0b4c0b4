"""The HR reports built from the apps that exist now: cases (3.3, 5, 7), disclosures (5) and publishing (3)."""

from reports.sections import cases, disclosures, publishing  # noqa: F401
