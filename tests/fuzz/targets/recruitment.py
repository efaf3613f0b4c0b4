"""Fuzz targets of the recruitment app (see people.py for what each list means)."""

from tests.fuzz import strategies

FILTERS = ["recruitment:search_list"]
NO_FORM: dict = {}
# Status changes are posted from the vacancy's page.
FIELDS = {
    "recruitment:applicant_status": {"status": strategies.text},
    "recruitment:vacancy_status": {"status": strategies.text},
}
ROLES: dict = {}
