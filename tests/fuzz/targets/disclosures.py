"""Fuzz targets of the disclosures app (see people.py for what each list means)."""

from tests.fuzz import strategies

FILTERS = ["disclosures:review"]
NO_FORM = {
    "disclosures:reconfirm": "one button, no input",
    "disclosures:restricted_post_lift": "a confirmation button, no input",
}
# HR's follow-up note is posted from the account's page and answers with a redirect.
FIELDS = {"disclosures:follow_up": {"note": strategies.text}}
ROLES: dict = {}
