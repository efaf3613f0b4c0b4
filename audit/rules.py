import rules

from people.rules import is_hr

rules.add_perm("audit.view_trail", is_hr)
