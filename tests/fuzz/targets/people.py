"""Fuzz targets of the people app. POST forms come from the access table by themselves; list here what it
cannot know: filter forms sent by GET, POST routes that take no input, and fields of forms not in the context."""

from tests.fuzz import strategies

FILTERS = ["people:employee_list"]
NO_FORM = {
    "people:policy_acknowledge": "one button, no input; double submission is in tests/faults",
    "people:notification_open": "one button, no input; the redirect target comes from the database",
    "people:rest_break_delete": "a confirmation button, no input",
    "people:sar_complete": "a confirmation button, no input",
    "people:staff_import_apply": "a confirmation button, no input; the file was checked when it was uploaded",
}
# The exemption form is posted from the request's page.
FIELDS = {"people:sar_withhold": {"section": strategies.text, "reason": strategies.text, "until": strategies.dates}}
ROLES = {"people:rest_break_create": ["headteacher", "hr"], "people:overtime_create": ["manager", "hr"]}
