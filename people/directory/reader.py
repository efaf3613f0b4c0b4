"""Reading a staff directory file: CSV (any encoding Excel or a payroll system writes) or XLSX, streamed.

Headers are matched by name whatever their order, case and spacing; columns the directory does not use
are ignored; a saved StaffColumnMapping names the headers of a system that calls them something else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

COLUMNS = {
    "employee_number": "Employee number",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "job_title": "Job title",
    "organisation": "Organisation",
    "line_manager_number": "Line manager's employee number",
    "start_date": "Start date",
    "leave_date": "Leave date",
    "politically_restricted": "Politically restricted",
    "roles": "Roles",
}
REQUIRED = ("employee_number", "first_name", "last_name", "email", "organisation")
MAX_ROWS = 100_000


class UnreadableFile(Exception):
    """The file as a whole cannot be read as a staff directory (nothing about its rows can be said)."""


@dataclass
class DirectoryFile:
    columns: set[str]  # which of COLUMNS the file has
    rows: list[tuple[int, dict]]  # (row number as a spreadsheet shows it, {column: cell})


def normalise_header(text) -> str:
    return "_".join(str(text or "").strip().casefold().replace("-", " ").replace("_", " ").split())


def _column_lookup(mapping: dict[str, str] | None) -> dict[str, str]:
    """Normalised header → directory column: the directory's own names, then the saved mapping's."""
    lookup = {normalise_header(name): name for name in COLUMNS}
    lookup.update({normalise_header(label): name for name, label in COLUMNS.items()})
    for name, header in (mapping or {}).items():
        if name in COLUMNS and str(header).strip():
            lookup[normalise_header(header)] = name
    return lookup


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("The file is not text in a known encoding; save it from the spreadsheet as CSV (UTF-8).")


def _csv_rows(data: bytes):
    text = _decode(data).replace("\x00", "")  # PostgreSQL keeps no NUL characters in text
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile("The file could not be opened as an Excel workbook (.xlsx).") from exc
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage inside the workbook means the same to HR
        raise UnreadableFile("The Excel workbook is damaged and could not be read; save it again from Excel.") from exc
    finally:
        workbook.close()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def read_directory(data: bytes, file_name: str, mapping: dict[str, str] | None = None) -> DirectoryFile:
    """The file's rows keyed by the directory's column names; blank rows are skipped (their numbers kept)."""
    is_xlsx = file_name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"
    try:
        return _read(data, is_xlsx, mapping)
    except csv.Error as exc:
        raise UnreadableFile(
            "The file could not be read as CSV; save it again from the spreadsheet as CSV (UTF-8)."
        ) from exc


def _read(data: bytes, is_xlsx: bool, mapping: dict[str, str] | None) -> DirectoryFile:
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    lookup = _column_lookup(mapping)
    header, header_number = None, 0
    for header_number, header in enumerate(rows, start=1):  # noqa: B007 - both are used after the loop
        if any(_cell(c) != "" for c in header):
            break
    else:
        raise UnreadableFile("The file is empty: it needs a header row and a row for each employee.")
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = lookup.get(normalise_header(title))
        if name and name not in positions:
            positions[name] = index
    missing = [COLUMNS[name] for name in REQUIRED if name not in positions]
    if missing:
        raise UnreadableFile(
            "The header row has no column for: "
            + ", ".join(missing)
            + ". Name the columns as in the sample file, or save a column mapping for this system."
        )
    out = []
    for number, row in enumerate(rows, start=header_number + 1):
        cells = {name: (_cell(row[i]) if i < len(row) else "") for name, i in positions.items()}
        if all(v == "" for v in cells.values()):
            continue
        if len(out) >= MAX_ROWS:
            raise UnreadableFile(f"The file has more than {MAX_ROWS:,} employees; split it by organisation.")
        out.append((number, cells))
    return DirectoryFile(columns=set(positions), rows=out)
