"""Previewing and applying a staff directory: the one place its rules are enforced (command and page alike).

Applying is all or nothing: the plan is made again inside the transaction, under a lock that keeps two
imports from interleaving, and a plan with any error changes nothing. The writes are set-based (bulk
inserts and updates, one audit batch), so the number of queries does not grow with the file.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record_many
from people.directory.handover import open_items_for
from people.directory.plan import DirectoryPlan, plan_directory
from people.directory.reader import UnreadableFile, read_directory
from people.models import SCHOOL_ROLES, Organisation, Role, RoleAssignment, StaffColumnMapping, StaffImport, User
from people.notifications import notify

_DIRECTORY_LOCK_KEY = 7_202_417
UPDATABLE = ("first_name", "last_name", "email", "job_title", "start_date", "leave_date", "politically_restricted")


def _require_import(actor: User | None) -> None:
    """The command runs as the operator (actor None); in the app only the Head of HR and the system administrator."""
    if actor is not None and not actor.has_perm("people.import_staff"):
        raise PermissionDenied("Only the Head of HR or the system administrator may import the staff directory.")


@dataclass
class DirectoryResult:
    plan: DirectoryPlan
    applied: bool = False
    unreadable: str = ""

    @property
    def ok(self) -> bool:
        return not self.unreadable and self.plan.ok


def _plan(content: bytes, file_name: str, *, partial: bool, mapping: StaffColumnMapping | None) -> DirectoryResult:
    try:
        data = read_directory(content, file_name, mapping.columns if mapping else None)
    except UnreadableFile as exc:
        return DirectoryResult(DirectoryPlan(partial=partial), unreadable=str(exc))
    return DirectoryResult(plan_directory(data, partial=partial, today=timezone.localdate()))


def staff_directory_preview(
    *, actor: User | None, content: bytes, file_name: str, partial: bool = False, mapping=None
) -> DirectoryResult:
    """What applying the file would do, and every error in it. Reads only."""
    _require_import(actor)
    return _plan(content, file_name, partial=partial, mapping=mapping)


def staff_directory_apply(
    *,
    actor: User | None,
    content: bytes,
    file_name: str,
    partial: bool = False,
    mapping: StaffColumnMapping | None = None,
    staff_import: StaffImport | None = None,
) -> DirectoryResult:
    """Apply the file if it has no errors; otherwise change nothing. An unchanged directory writes nothing."""
    _require_import(actor)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DIRECTORY_LOCK_KEY])
        result = _plan(content, file_name, partial=partial, mapping=mapping)
        if not result.ok or result.plan.is_empty:
            return result
        _Apply(actor, result.plan, file_name).run()
        result.applied = True
        _record_import(actor, result, content, file_name, partial, mapping, staff_import)
    return result


def _record_import(actor, result, content, file_name, partial, mapping, staff_import) -> StaffImport:
    plan = result.plan
    if staff_import is None:
        staff_import = StaffImport(
            file_name=file_name[:255], content=content, partial=partial, mapping=mapping, uploaded_by=actor
        )
    staff_import.status = StaffImport.Status.APPLIED
    staff_import.summary = summary_of(result)
    staff_import.leaver_ids = [leaver.user_id for leaver in plan.leavers]
    staff_import.applied_at = timezone.now()
    staff_import.save()
    if plan.leavers:
        hr = User.objects.active().filter(role_assignments__role__in=[Role.HR_OFFICER, Role.HEAD_OF_HR]).distinct()
        open_count = sum(len(items) for items in open_items_for(staff_import.leaver_ids).values())
        notify(
            recipients=list(hr),
            subject=(
                f"{len(plan.leavers)} {'person has' if len(plan.leavers) == 1 else 'people have'} left: "
                "hand over their open work"
            ),
            template="people/email/directory_leavers.txt",
            context={"leavers": plan.leavers, "open_count": open_count},
            url=reverse("people:staff_import_detail", args=[staff_import.pk]),
        )
    return staff_import


def summary_of(result: DirectoryResult) -> dict:
    """What the page shows again later: the counts, new schools, changes and errors (JSON-ready)."""
    plan = result.plan
    return {
        "counts": plan.counts(),
        "unreadable": result.unreadable,
        "new_schools": plan.new_schools,
        "errors": [e.__dict__ for e in plan.errors],
        "creates": [{"row": e.row, "number": e.number, "name": e.name} for e in plan.creates[:500]],
        "changes": [
            {"row": c.entry.row, "number": c.entry.number, "name": c.entry.name, "fields": c.fields}
            for c in plan.changes[:500]
        ],
        "leavers": [
            {"number": lv.number, "name": lv.name, "reason": lv.reason, "leave_date": f"{lv.leave_date:%d/%m/%Y}"}
            for lv in plan.leavers[:500]
        ],
    }


def _update_column(model, column: str, sql_type: str, values: dict[int, object]) -> None:
    """Set one column of many rows, each to its own value, in one statement (bulk_update's CASE WHEN grows
    with the number of rows and takes seconds for ten thousand)."""
    if not values:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {column} = v.value "  # noqa: S608 - names from the model, values bound
            f"FROM unnest(%s::integer[], %s::{sql_type}[]) AS v(id, value) WHERE t.id = v.id",
            [list(values), list(values.values())],
        )


class _Apply:
    def __init__(self, actor: User | None, plan: DirectoryPlan, file_name: str):
        self.actor = actor
        self.plan = plan
        self.file_name = file_name
        self.today = timezone.localdate()
        self.events: list[dict] = []

    def run(self) -> None:
        self.create_schools()
        self.create_employees()
        self.update_employees()
        self.set_line_managers()
        self.set_roles()
        self.mark_leavers()
        self.events.append(
            {
                "action": "staff_directory.applied",
                "object_type": "people.staffimport",
                "object_repr": f"Staff directory {self.file_name}"[:200],
                "organisation_id": self.plan.council_id,
                "details": {"file": self.file_name, "partial": self.plan.partial, **self.plan.counts()},
            }
        )
        audit_record_many(actor=self.actor, events=self.events)

    def org_id(self, organisation) -> int:
        return self.school_ids[organisation] if isinstance(organisation, str) else organisation

    def create_schools(self) -> None:
        self.school_ids: dict[str, int] = {}
        keys = {}
        for e in self.plan.creates + [c.entry for c in self.plan.changes]:
            if isinstance(e.organisation, str):
                keys.setdefault(e.organisation, e.organisation_text)
        if not keys:
            return
        schools = Organisation.objects.bulk_create(
            [
                Organisation(name=name, kind=Organisation.Kind.SCHOOL, parent_id=self.plan.council_id)
                for name in keys.values()
            ]
        )
        for key, school in zip(keys, schools, strict=True):
            self.school_ids[key] = school.pk
            self.events.append(
                {
                    "action": "organisation.created",
                    "obj": school,
                    "details": {"name": school.name, "from": "staff directory"},
                }
            )

    def create_employees(self) -> None:
        users = []
        for e in self.plan.creates:
            gone = e.values.get("leave_date") is not None and e.values["leave_date"] < self.today
            users.append(
                User(
                    username=e.values["email"],
                    # What make_password(None) stores, without its 40 separate random draws per person:
                    # no password; the employee sets one through "Forgotten your password?".
                    password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                    staff_number=e.number,
                    organisation_id=self.org_id(e.organisation),
                    is_active=not gone,
                    employment_status=User.EmploymentStatus.LEFT if gone else User.EmploymentStatus.ACTIVE,
                    **e.values,
                )
            )
        User.objects.bulk_create(users, batch_size=2000)
        for e, user in zip(self.plan.creates, users, strict=True):
            e.user_id = user.pk
            self.plan.number_to_id[e.number] = user.pk
            self.events.append(
                {
                    "action": "employee.created_from_directory",
                    "object_type": "people.user",
                    "object_id": str(user.pk),
                    "object_repr": e.name,
                    "organisation_id": user.organisation_id,
                    "details": {
                        "row": e.row,
                        "employee_number": e.number,
                        **{k: v for k, v in e.values.items()},
                        "roles": sorted(e.roles or ()),
                    },
                }
            )

    def update_employees(self) -> None:
        changed = [c for c in self.plan.changes if set(c.fields) - {"line_manager", "roles"}]
        if not changed:
            for c in self.plan.changes:
                self._audit_change(c)
            return
        users = {u.pk: u for u in User.objects.filter(pk__in=[c.entry.user_id for c in changed])}
        touched: set[str] = set()
        for c in changed:
            user = users[c.entry.user_id]
            for name in UPDATABLE:
                if name in c.fields:
                    setattr(user, name, c.entry.values[name])
                    touched.add(name)
            if "staff_number" in c.fields:
                user.staff_number = c.entry.number
                touched.add("staff_number")
            if "organisation" in c.fields:
                user.organisation_id = self.org_id(c.entry.organisation)
                touched.add("organisation_id")
            if c.returning:
                user.is_active = True
                user.employment_status = User.EmploymentStatus.ACTIVE
                touched |= {"is_active", "employment_status"}
        User.objects.bulk_update(list(users.values()), sorted(touched), batch_size=1000)
        for c in self.plan.changes:
            self._audit_change(c)

    def _audit_change(self, c) -> None:
        self.events.append(
            {
                "action": "employee.returned" if c.returning else "employee.changed_from_directory",
                "object_type": "people.user",
                "object_id": str(c.entry.user_id),
                "object_repr": c.entry.name,
                "organisation_id": self.org_id(c.entry.organisation),
                "details": {
                    "row": c.entry.row,
                    "employee_number": c.entry.number,
                    "changes": {name: {"old": old, "new": new} for name, (old, new) in c.fields.items()},
                },
            }
        )

    def set_line_managers(self) -> None:
        if "line_manager_number" not in self.plan.columns:
            return
        ids = self.plan.number_to_id
        entries = [e for e in self.plan.creates if e.manager_number]
        entries += [c.entry for c in self.plan.changes if "line_manager" in c.fields]
        _update_column(User, "line_manager_id", "integer", {e.user_id: ids.get(e.manager_number) for e in entries})

    def set_roles(self) -> None:
        if "roles" not in self.plan.columns:
            return
        grants, removals = [], []
        held_all = self.plan.roles_held
        for e in self.plan.creates + [c.entry for c in self.plan.changes if "roles" in c.fields]:
            wanted = self._targets(e)
            held = held_all.get(e.user_id, {})
            grants += [
                RoleAssignment(user_id=e.user_id, role=role, organisation_id=org)
                for role, org in wanted
                if (role, org) not in held
            ]
            removals += [pk for pair, pk in held.items() if pair not in wanted]
        if removals:
            RoleAssignment.objects.filter(pk__in=removals).delete()
        if grants:
            RoleAssignment.objects.bulk_create(grants, batch_size=2000)

    def _targets(self, e) -> set[tuple[str, int]]:
        """Where each role is held: a school's roles at the employee's school, the others at its council."""
        org = self.org_id(e.organisation)
        if isinstance(e.organisation, str):
            school, council = org, self.plan.council_id
        else:
            kind, parent = self._org(org)
            school = org if kind == Organisation.Kind.SCHOOL else None
            council = org if kind == Organisation.Kind.COUNCIL else parent
        return {(role, school if role in SCHOOL_ROLES else council) for role in e.roles or ()}

    def _org(self, pk: int) -> tuple[str, int | None]:
        if not hasattr(self, "_orgs"):
            self._orgs = {o: (k, p) for o, k, p in Organisation.objects.values_list("pk", "kind", "parent_id")}
        return self._orgs[pk]

    def mark_leavers(self) -> None:
        if not self.plan.leavers:
            return
        for leaver in self.plan.leavers:
            self.events.append(
                {
                    "action": "employee.left",
                    "object_type": "people.user",
                    "object_id": str(leaver.user_id),
                    "object_repr": leaver.name,
                    "details": {
                        "employee_number": leaver.number,
                        "reason": leaver.reason,
                        "leave_date": leaver.leave_date,
                        "account": "deactivated: cannot sign in; nothing about them is deleted",
                    },
                }
            )
        ids = [leaver.user_id for leaver in self.plan.leavers]
        User.objects.filter(pk__in=ids).update(is_active=False, employment_status=User.EmploymentStatus.LEFT)
        _update_column(User, "leave_date", "date", {lv.user_id: lv.leave_date for lv in self.plan.leavers})


def leavers_with_open_items(staff_import: StaffImport) -> list[dict]:
    """The people an import made leavers, each with what they leave open, for HR to reassign."""
    ids = staff_import.leaver_ids or []
    items = open_items_for(ids)
    people = User.objects.filter(pk__in=ids).select_related("organisation").order_by("last_name", "first_name")
    return [{"employee": person, "items": items.get(person.pk, [])} for person in people]


def staff_import_upload(
    *, actor: User, content: bytes, file_name: str, partial: bool, mapping: StaffColumnMapping | None
) -> tuple[StaffImport, DirectoryResult]:
    """Keep the uploaded file and its preview, so that what HR applies is exactly what they saw."""
    _require_import(actor)
    result = _plan(content, file_name, partial=partial, mapping=mapping)
    staff_import = StaffImport.objects.create(
        file_name=file_name[:255],
        content=content,
        partial=partial,
        mapping=mapping,
        status=StaffImport.Status.PREVIEWED if result.ok else StaffImport.Status.REJECTED,
        summary=summary_of(result),
        uploaded_by=actor,
    )
    return staff_import, result


def staff_import_apply(*, actor: User, staff_import: StaffImport) -> DirectoryResult:
    if staff_import.status != StaffImport.Status.PREVIEWED:
        raise PermissionDenied("Only a previewed file without errors can be applied.")
    result = staff_directory_apply(
        actor=actor,
        content=bytes(staff_import.content),
        file_name=staff_import.file_name,
        partial=staff_import.partial,
        mapping=staff_import.mapping,
        staff_import=staff_import,
    )
    if not result.ok:
        # The directory changed since the preview and the file no longer fits it: show the new errors.
        staff_import.status = StaffImport.Status.REJECTED
        staff_import.summary = summary_of(result)
        staff_import.save(update_fields=["status", "summary"])
    return result


def staff_column_mapping_save(*, actor: User, mapping: StaffColumnMapping) -> StaffColumnMapping:
    _require_import(actor)
    from audit.services import audit_record

    created = mapping.pk is None
    with transaction.atomic():
        mapping.full_clean()
        mapping.save()
        audit_record(
            actor=actor,
            action="staff_column_mapping.created" if created else "staff_column_mapping.changed",
            obj=mapping,
            details={"columns": mapping.columns},
        )
    return mapping
