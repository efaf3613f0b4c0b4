"""Bringing a council's staff directory in from its HR or payroll system, and keeping it in step (issue 17).

reader.py    the file (CSV or XLSX) → rows of cells keyed by the directory's column names
plan.py      the rows checked against each other and compared with the database → a DirectoryPlan
services.py  staff_directory_preview / staff_directory_apply: permission, all-or-nothing apply, audit, notify
handover.py  what a leaver leaves open (each app registers its own kinds of open item)
"""
