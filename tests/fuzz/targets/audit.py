"""Fuzz targets of the audit app (see people.py for what each list means)."""

FILTERS = ["audit:trail"]
NO_FORM = {"audit:verify": "a button that walks the chain, no input"}
FIELDS: dict = {}
ROLES: dict = {}
