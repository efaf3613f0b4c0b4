"""CSV and Excel downloads of an HR report's table."""

from __future__ import annotations

import csv
import io

from reports.registry import HRReport, ReportFilters, ReportTable

# A cell that starts with one of these would be run as a formula by a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def _all_rows(table: ReportTable) -> list[list]:
    return [*table.rows, *([table.footer] if table.footer else [])]


def table_csv(table: ReportTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(c) for c in table.columns])
    for row in _all_rows(table):
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def table_xlsx(report: HRReport, table: ReportTable, filters: ReportFilters) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.title[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([filters.describe()])
    sheet.append([])
    sheet.append([_safe(c) for c in table.columns])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_safe(v) for v in row])
    if table.footer:
        sheet.append([_safe(v) for v in table.footer])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = max(14, min(50, max((len(str(r[0])) for r in _all_rows(table)), default=10)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
