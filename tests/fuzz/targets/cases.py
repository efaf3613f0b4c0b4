"""Fuzz targets of the cases app (see people.py for what each list means)."""

FILTERS = ["cases:case_list", "cases:triage"]
NO_FORM = {
    "cases:case_close": "a confirmation button, no input",
    "cases:case_suspension_lift": "a confirmation button, no input",
    "cases:deadline_met": "one button, no input",
    "cases:evidence_verify": "one button, no input; it recomputes a stored file's hash",
}
FIELDS: dict = {}
ROLES: dict = {}
