"""Who may read HR reports and use the HR search box."""

import rules

from people.rules import is_hr

rules.add_perm("reports.view_reports", is_hr)
rules.add_perm("reports.search", is_hr)
