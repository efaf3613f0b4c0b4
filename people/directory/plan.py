"""Checking a staff directory's rows and comparing them with the database: what an apply would do.

Everything is read in a handful of queries whatever the size of the file (organisations, their other
names, employees, roles), then each row is checked and compared in memory. The plan lists every error
at once; a plan with errors is never applied.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from people.directory.reader import COLUMNS, DirectoryFile
from people.models import SCHOOL_ROLES, Organisation, OrganisationAlias, Role, RoleAssignment, User

TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
ROLE_NAMES = {role.value for role in Role}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_email = EmailValidator()

# The employee fields a row sets, compared one by one; only those whose column the file has are touched.
SIMPLE_FIELDS = ("first_name", "last_name", "email", "job_title", "start_date", "leave_date", "politically_restricted")
FIELD_LABELS = {
    **{name: COLUMNS[name] for name in SIMPLE_FIELDS},
    "staff_number": "Employee number",
    "organisation": "Organisation",
    "line_manager": "Line manager",
    "roles": "Roles",
    "employment_status": "Employment status",
}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str
    name: str = ""


@dataclass
class Entry:
    """One checked row."""

    row: int
    number: str
    values: dict  # the SIMPLE_FIELDS the file has, parsed
    organisation: int | str  # an Organisation id, or the name of a school to create
    manager_number: str | None  # None when the file has no line manager column
    roles: set[str] | None  # role values; None when the file has no roles column
    organisation_text: str = ""
    user_id: int | None = None  # the existing employee this row is, if any

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Change:
    entry: Entry
    fields: dict  # field → (old, new), readable values
    returning: bool = False


@dataclass
class Leaver:
    user_id: int
    name: str
    number: str
    reason: str
    leave_date: dt.date


@dataclass
class DirectoryPlan:
    rows: int = 0
    partial: bool = False
    errors: list[RowError] = field(default_factory=list)
    creates: list[Entry] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    leavers: list[Leaver] = field(default_factory=list)
    new_schools: list[str] = field(default_factory=list)
    council_id: int | None = None
    organisations: set[int] = field(default_factory=set)
    columns: set[str] = field(default_factory=set)
    # Filled by the planner for the apply step.
    number_to_id: dict[str, int] = field(default_factory=dict)
    roles_held: dict[int, dict[tuple[str, int], int]] = field(default_factory=dict)
    manager_of_user: dict[int, str | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_empty(self) -> bool:
        return not (self.creates or self.changes or self.leavers or self.new_schools)

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "create": len(self.creates),
            "change": len(self.changes),
            "unchanged": self.unchanged,
            "leave": len(self.leavers),
            "return": sum(1 for c in self.changes if c.returning),
            "new_schools": len(self.new_schools),
            "errors": len(self.errors),
        }


def normalise_name(text: str) -> str:
    return " ".join(str(text).replace("’", "'").replace("‘", "'").casefold().split())


def parse_date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _UK.match(text):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError(f"“{text}” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date (there is no such day).") from None


def _readable(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


class _Planner:
    def __init__(self, data: DirectoryFile, *, partial: bool, today: dt.date):
        self.data = data
        self.partial = partial
        self.today = today
        self.plan = DirectoryPlan(rows=len(data.rows), partial=partial, columns=set(data.columns))

    def error(self, row: int, column: str, value, reason: str, name: str = "") -> None:
        self.plan.errors.append(RowError(row, COLUMNS.get(column, column), _readable(value), reason, name))

    # --- loading ------------------------------------------------------------------------------------

    def load(self) -> None:
        orgs = list(Organisation.objects.values_list("id", "name", "kind", "parent_id"))
        self.org_kind = {pk: kind for pk, _, kind, _ in orgs}
        self.org_council = {pk: (pk if kind == Organisation.Kind.COUNCIL else parent) for pk, _, kind, parent in orgs}
        self.org_names = {pk: name for pk, name, _, _ in orgs}
        self.org_by_name = {normalise_name(name): pk for pk, name, _, _ in orgs}
        for pk, alias in OrganisationAlias.objects.values_list("organisation_id", "alias"):
            self.org_by_name.setdefault(normalise_name(alias), pk)
        self.councils = [pk for pk, _, kind, _ in orgs if kind == Organisation.Kind.COUNCIL]

        self.users = {}
        self.by_number = {}
        self.by_login = {}
        fields = (
            "id",
            "staff_number",
            "email",
            "username",
            "first_name",
            "last_name",
            "job_title",
            "organisation_id",
            "line_manager_id",
            "start_date",
            "leave_date",
            "politically_restricted",
            "employment_status",
            "is_superuser",
        )
        for values in User.objects.values_list(*fields):
            user = dict(zip(fields, values, strict=True))
            self.users[user["id"]] = user
            if user["staff_number"]:
                self.by_number[user["staff_number"]] = user
            for login in {(user["email"] or "").lower(), user["username"].lower()} - {""}:
                self.by_login.setdefault(login, user)
        self.number_of_id = {pk: u["staff_number"] for pk, u in self.users.items()}
        held: dict[int, dict[tuple[str, int], int]] = {}
        for pk, user_id, role, org in RoleAssignment.objects.values_list("id", "user_id", "role", "organisation_id"):
            held.setdefault(user_id, {})[(role, org)] = pk
        self.plan.roles_held = held

    # --- one row --------------------------------------------------------------------------------------

    def check_row(self, number: int, cells: dict) -> Entry | None:
        name = f"{cells.get('first_name', '')} {cells.get('last_name', '')}".strip()
        before = len(self.plan.errors)
        values: dict = {}
        employee_number = str(cells["employee_number"])
        if not employee_number:
            self.error(number, "employee_number", "", "The employee number is empty.", name)
        elif len(employee_number) > 20:
            self.error(number, "employee_number", employee_number, "An employee number can be at most 20 characters.")
        for column, limit in (("first_name", 150), ("last_name", 150)):
            text = str(cells[column])
            if not text:
                self.error(number, column, "", f"The {COLUMNS[column].lower()} is empty.", name)
            elif len(text) > limit:
                self.error(number, column, text, f"Too long: at most {limit} characters.", name)
            values[column] = text
        email = str(cells["email"]).lower()
        if not email:
            self.error(number, "email", "", "The email address is empty; it is how the employee signs in.", name)
        elif len(email) > 150:
            self.error(number, "email", email, "Too long: an email address here can be at most 150 characters.", name)
        else:
            try:
                _email(email)
            except ValidationError:
                self.error(number, "email", cells["email"], "This is not an email address.", name)
        values["email"] = email
        if "job_title" in cells:
            values["job_title"] = str(cells["job_title"])[:150]
        for column in ("start_date", "leave_date"):
            if column in cells:
                values[column] = None
                if cells[column] != "":
                    try:
                        values[column] = parse_date(cells[column])
                    except ValueError as exc:
                        self.error(number, column, cells[column], str(exc), name)
        start, leave = values.get("start_date"), values.get("leave_date")
        if start and leave and leave < start:
            self.error(
                number, "leave_date", leave, f"The leave date is before the start date ({start:%d/%m/%Y}).", name
            )
        if "politically_restricted" in cells:
            word = str(cells["politically_restricted"]).casefold()
            if word in TRUE_WORDS:
                values["politically_restricted"] = True
            elif word in FALSE_WORDS:
                values["politically_restricted"] = False
            else:
                self.error(number, "politically_restricted", word, "Write yes or no (or leave it empty for no).", name)

        organisation = self.resolve_organisation(number, str(cells["organisation"]), name)
        roles = None
        if "roles" in cells:
            roles = set()
            for part in str(cells["roles"]).split(";"):
                role = "_".join(part.strip().casefold().split())
                if not role:
                    continue
                if role not in ROLE_NAMES:
                    self.error(
                        number,
                        "roles",
                        part.strip(),
                        "Not a role here. The roles are: " + ", ".join(sorted(ROLE_NAMES)) + ".",
                        name,
                    )
                    continue
                if role in SCHOOL_ROLES and self.kind_of(organisation) != Organisation.Kind.SCHOOL:
                    self.error(
                        number,
                        "roles",
                        role,
                        f"A {Role(role).label.lower()} belongs to a school, not the council.",
                        name,
                    )
                    continue
                roles.add(role)
        manager = None
        if "line_manager_number" in cells:
            manager = str(cells["line_manager_number"]) or None
        if len(self.plan.errors) > before:
            return None
        return Entry(
            number, employee_number, values, organisation, manager, roles, " ".join(str(cells["organisation"]).split())
        )

    def kind_of(self, organisation) -> str | None:
        if isinstance(organisation, str):
            return Organisation.Kind.SCHOOL
        return self.org_kind.get(organisation)

    def resolve_organisation(self, number: int, text: str, name: str) -> int | str | None:
        if not text:
            self.error(number, "organisation", "", "The organisation is empty: name the council or the school.", name)
            return None
        key = normalise_name(text)
        if key in self.org_by_name:
            return self.org_by_name[key]
        if len(text) > 200:
            self.error(
                number, "organisation", text, "Too long for the name of a school (at most 200 characters).", name
            )
            return None
        if self.council_for_new() is None:
            self.error(
                number,
                "organisation",
                text,
                "Not a known school, and it is not clear which council a new school would belong to.",
                name,
            )
            return None
        return key  # a new school, created under the council

    def council_for_new(self) -> int | None:
        if len(self.councils) == 1:
            return self.councils[0]
        named = {pk for pk in self.named_orgs if self.org_kind.get(pk) == Organisation.Kind.COUNCIL}
        named |= {self.org_council[pk] for pk in self.named_orgs if pk in self.org_council}
        return named.pop() if len(named) == 1 else None

    # --- the whole file ----------------------------------------------------------------------------------

    def run(self) -> DirectoryPlan:
        self.load()
        plan = self.plan
        self.named_orgs = set()
        for _, cells in self.data.rows:
            pk = self.org_by_name.get(normalise_name(str(cells.get("organisation", ""))))
            if pk is not None:
                self.named_orgs.add(pk)
        entries = [e for e in (self.check_row(n, cells) for n, cells in self.data.rows) if e is not None]
        self.check_duplicates(entries)
        self.match_employees(entries)
        self.check_managers(entries)
        if plan.errors:
            plan.errors.sort(key=lambda e: (e.row, e.column))
            return plan
        self.compare(entries)
        if not self.partial:
            self.find_missing(entries)
        return plan

    def check_duplicates(self, entries: list[Entry]) -> None:
        seen_number: dict[str, int] = {}
        seen_email: dict[str, int] = {}
        for e in entries:
            if e.number in seen_number:
                self.error(
                    e.row,
                    "employee_number",
                    e.number,
                    f"Duplicate: row {seen_number[e.number]} has the same employee number.",
                    e.name,
                )
            else:
                seen_number[e.number] = e.row
            email = e.values["email"]
            if email in seen_email:
                self.error(
                    e.row, "email", email, f"Duplicate: row {seen_email[email]} has the same email address.", e.name
                )
            else:
                seen_email[email] = e.row
        self.file_numbers = set(seen_number)

    def match_employees(self, entries: list[Entry]) -> None:
        """Each row is the employee with its number; failing that, an account made by hand with its email."""
        for e in entries:
            user = self.by_number.get(e.number)
            if user is None:
                other = self.by_login.get(e.values["email"])
                if other is not None and not other["staff_number"]:
                    user = other
                elif other is not None and other["staff_number"] not in self.file_numbers:
                    self.error(
                        e.row,
                        "email",
                        e.values["email"],
                        f"This email address belongs to another employee (number {other['staff_number']}), "
                        "who is not in this file.",
                        e.name,
                    )
                    continue
            if user is not None:
                e.user_id = user["id"]
                if user.get("_row"):
                    self.error(e.row, "email", e.values["email"], f"Row {user['_row']} is already this person.", e.name)
                user["_row"] = e.row
                other = self.by_login.get(e.values["email"])
                if other is not None and other["id"] != user["id"] and other["staff_number"] not in self.file_numbers:
                    self.error(
                        e.row,
                        "email",
                        e.values["email"],
                        "This email address belongs to another employee"
                        + (f" (number {other['staff_number']})" if other["staff_number"] else "")
                        + ", who is not in this file.",
                        e.name,
                    )

    def check_managers(self, entries: list[Entry]) -> None:
        manager_of: dict[str, str | None] = {}
        if self.partial:
            for user in self.users.values():
                if user["staff_number"]:
                    manager_of[user["staff_number"]] = self.number_of_id.get(user["line_manager_id"])
        by_number = {e.number: e for e in entries}
        for e in entries:
            if e.manager_number is not None:
                manager_of[e.number] = e.manager_number
            elif e.user_id is not None:
                manager_of.setdefault(e.number, self.number_of_id.get(self.users[e.user_id]["line_manager_id"]))
        # Every number in the file counts as known, even on a row with its own error: one mistake is reported once.
        known = {str(cells["employee_number"]) for _, cells in self.data.rows}
        known |= set(self.by_number) if self.partial else set()
        for e in entries:
            m = e.manager_number
            if m is None:
                continue
            if m == e.number:
                self.error(e.row, "line_manager_number", m, "An employee cannot be their own line manager.", e.name)
            elif m not in known:
                where = "in this file or among the employees already here" if self.partial else "in this file"
                self.error(
                    e.row, "line_manager_number", m, f"Unknown line manager: no employee number {m} {where}.", e.name
                )
        # A cycle: follow each chain; a number met twice on the same walk is a loop.
        state: dict[str, int] = {}  # 1 on the current walk, 2 finished
        for start in by_number:
            path, cursor = [], start
            while cursor is not None and state.get(cursor) is None and cursor in manager_of:
                state[cursor] = 1
                path.append(cursor)
                nxt = manager_of.get(cursor)
                cursor = nxt if nxt != cursor else None
            if cursor is not None and state.get(cursor) == 1:
                loop = path[path.index(cursor) :]
                text = " → ".join([*loop, cursor])
                for number in loop:
                    if number in by_number:
                        e = by_number[number]
                        self.error(
                            e.row,
                            "line_manager_number",
                            e.manager_number,
                            f"Line management goes round in a circle: {text}.",
                            e.name,
                        )
            for number in path:
                state[number] = 2

    def organisation_id(self, e: Entry) -> int | None:
        return e.organisation if isinstance(e.organisation, int) else None

    def role_targets(self, e: Entry) -> set[tuple[str, int | str]]:
        if isinstance(e.organisation, str):
            school, council = e.organisation, self.council_for_new()
        else:
            kind = self.org_kind[e.organisation]
            school = e.organisation if kind == Organisation.Kind.SCHOOL else None
            council = self.org_council[e.organisation]
        return {(role, school if role in SCHOOL_ROLES else council) for role in e.roles or ()}

    def compare(self, entries: list[Entry]) -> None:
        plan = self.plan
        plan.council_id = self.council_for_new()
        new_schools: dict[str, str] = {}
        for e in entries:
            if isinstance(e.organisation, str):
                new_schools.setdefault(e.organisation, e.organisation_text)
            else:
                plan.organisations.add(e.organisation)
        plan.new_schools = list(new_schools.values())
        self.new_school_names = new_schools
        plan.number_to_id = {n: u["id"] for n, u in self.by_number.items()}
        for e in entries:
            gone = e.values.get("leave_date") is not None and e.values["leave_date"] < self.today
            if e.user_id is None:
                plan.creates.append(e)
                continue
            user = self.users[e.user_id]
            fields = {}
            for name, new in e.values.items():
                old = user[name]
                if old != new:  # an email in capitals is stored again in lower case
                    fields[name] = (_readable(user[name]), _readable(new))
            if user["staff_number"] != e.number:  # an account made by hand, adopted by its email
                fields["staff_number"] = (user["staff_number"] or "", e.number)
            if user["organisation_id"] != e.organisation:
                old_name = self.org_names.get(user["organisation_id"], "")
                new_name = self.org_names.get(e.organisation) or self.new_school_names[e.organisation]
                fields["organisation"] = (old_name, new_name)
            if "line_manager_number" in self.data.columns:
                old_manager = self.number_of_id.get(user["line_manager_id"])
                if old_manager != e.manager_number:
                    fields["line_manager"] = (old_manager or "", e.manager_number or "")
            if e.roles is not None:
                held = {(r, o) for r, o in plan.roles_held.get(e.user_id, {})}
                wanted = self.role_targets(e)
                if held != wanted:
                    fields["roles"] = (self.roles_text(held), self.roles_text(wanted))
            returning = user["employment_status"] == User.EmploymentStatus.LEFT and not gone
            if returning:
                fields["employment_status"] = (User.EmploymentStatus.LEFT.label, User.EmploymentStatus.ACTIVE.label)
            if fields:
                plan.changes.append(Change(e, fields, returning))
            else:
                plan.unchanged += 1
            if gone and user["employment_status"] != User.EmploymentStatus.LEFT and not user["is_superuser"]:
                plan.leavers.append(
                    Leaver(e.user_id, e.name, e.number, "Their leave date has passed.", e.values["leave_date"])
                )

    def roles_text(self, pairs) -> str:
        names = []
        for role, org in sorted(pairs, key=lambda p: (p[0], str(p[1]))):
            where = self.org_names.get(org) or self.new_school_names.get(org, str(org))
            names.append(f"{Role(role).label} ({where})")
        return "; ".join(names)

    def find_missing(self, entries: list[Entry]) -> None:
        """The file is the whole directory of the organisations it names: anyone else there has left.

        Accounts without an employee number (made by hand) and the system administrator's are not the
        directory's to close."""
        in_file = {e.user_id for e in entries if e.user_id is not None}
        for user in self.users.values():
            if (
                user["staff_number"]
                and user["id"] not in in_file
                and user["organisation_id"] in self.plan.organisations
                and user["employment_status"] != User.EmploymentStatus.LEFT
                and not user["is_superuser"]
            ):
                leave = user["leave_date"] if user["leave_date"] and user["leave_date"] <= self.today else self.today
                if user["start_date"] and leave < user["start_date"]:
                    leave = user["start_date"]
                self.plan.leavers.append(
                    Leaver(
                        user["id"],
                        f"{user['first_name']} {user['last_name']}".strip() or user["username"],
                        user["staff_number"],
                        "Not in the directory any more.",
                        leave,
                    )
                )


def plan_directory(data: DirectoryFile, *, partial: bool, today: dt.date) -> DirectoryPlan:
    return _Planner(data, partial=partial, today=today).run()
