"""Fuzz targets of the people app. POST forms come from the access table by themselves; list here what it
cannot know: filter forms sent by GET, POST routes that take no input, and fields of forms not in the context."""

FILTERS = ["people:employee_list"]
NO_FORM = {
    "people:policy_acknowledge": "one button, no input; double submission is in tests/faults",
    "people:notification_open": "one button, no input; the redirect target comes from the database",
    "people:rest_break_delete": "a confirmation button, no input",
}
FIELDS: dict = {}
ROLES = {"people:rest_break_create": ["headteacher", "hr"], "people:overtime_create": ["manager", "hr"]}
