"""Fuzz targets of the monitoring app (see people.py for what each list means). Its importers are fuzzed
with their own file-level tests in tests/monitoring/test_importer.py."""

from tests.fuzz import strategies

FILTERS = ["monitoring:check_list"]
NO_FORM = {
    "monitoring:check_raise_concern": "one button, no input",
    "monitoring:check_tell_employee": "one button, no input",
    "monitoring:hold_release": "a confirmation button, no input",
}
# The decision note is posted from the check's page (approve and decline share one form).
FIELDS = {"monitoring:check_approve": {"note": strategies.text}, "monitoring:check_decline": {"note": strategies.text}}
ROLES: dict = {}
# A refused import is still an import that was tried: its report (lines read, why it failed) is kept and
# audited so that HR can see what happened. When the answer is a refusal, only these rows may be added,
# each with the failed status, and only the matching audit action.
REFUSAL_RECORDS = {
    "monitoring:import_create": {"table": "monitoring_usageimport", "status": "failed", "action": "usage_import.failed"}
}
