"""Clause 4.2: the school keeps what it has gathered on employees' internet use for 12 months, no longer.

This module is the one place that knows
- the inventory: every kind of monitoring information stored about a person's internet use, with the field
  its age is counted from and its limit (12 months; a setting may shorten it, never lengthen it);
- the purge, `retention_purge`, called by the nightly beat task and by `manage.py purge_expired`;
- holds (`hold_create`, `hold_release`): the Head of HR keeps evidence of an open case past its limit;
- the state shown on the retention page, and the e-mail to HR when a purge has been missed.

The purge is deliberately not one transaction: it works in short chunks, each its own transaction with a
statement and lock time limit and a few retries, so that it never holds locks that readers would wait on
for long, and so that a run stopped half-way (a worker killed, a time limit reached) leaves a consistent
state that the next run simply carries on from. Its cutoff is counted from the run date, so a rerun
removes nothing more and a missed night is caught up by the next one.

An import cannot stop it (issue 24). Each kind is purged and reported on its own: one kind that fails is
written on the receipt with its reason in plain words, and the others are still purged. A large import
holds one transaction for as long as it reads, and that transaction holds a lock on the usage table that
DETACH PARTITION must wait for; rather than wait (and make every reader queue behind it), the purge then
deletes the old month's rows chunk by chunk, which needs no lock the import holds, and leaves the emptied
month table for a later run to drop. A run that fails is retried by the worker later in the night
(`purge_retry_due`), and if the night's last run has still not completed by morning HR are told
(`retention_failure_alert`).

Usage records sit in a table partitioned by month (`monitoring.partitions`). Months wholly before the
cutoff are dropped: `ALTER TABLE ... DETACH PARTITION` in a short transaction of its own (it takes the
parent's ACCESS EXCLUSIVE lock only for the catalogue change, under `lock_timeout`, and is retried when it
cannot get it), then the detached table is counted and dropped with no lock on the parent. DETACH ...
CONCURRENTLY would take a weaker lock, but PostgreSQL refuses it inside a transaction block and on a table
that has a default partition, which ours has. Rows are deleted one by one only in the boundary month, in
the default partition, and in old months that hold kept evidence in.

Nothing but usage records, daily analyses, import reports, monitoring checks and lifted access
withdrawals describes a person's internet use in this app. Uploaded log files are not kept at all: the
importer reads them as a stream and keeps only the report. (The audit trail's record that someone looked
at monitoring data, and in-app notifications, belong to the audit and people apps and follow their rules.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import OperationalError, connection, models, transaction
from django.db.models import Min, Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.permissions import require
from monitoring import partitions
from monitoring.models import (
    AccessWithdrawal,
    MonitoringCheck,
    PurgeReceipt,
    RetentionHold,
    UsageDay,
    UsageImport,
    UsageRecord,
)
from people.models import User
from people.notifications import notify
from people.selectors import hr_staff

logger = logging.getLogger(__name__)

MAX_MONTHS = 12  # clause 4.2
_LOCK_KEY = 4_202_402  # any fixed number: one purge at a time across every process
_ALERT_LOCK_KEY = 4_202_403
_PARTITION_RE = re.compile(rf"^{partitions.PARENT}_y(\d{{4}})m(\d{{2}})$")


# --- the inventory ----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Kind:
    """One kind of monitoring information about a person's internet use."""

    key: str
    title: str
    contains: str
    model: type[models.Model] | None
    age_field: str = ""
    age_is_date: bool = False
    ageing: Q = dataclasses.field(default_factory=Q)  # only items matching this start to age
    held_by: Callable[[RetentionHold], Q] | None = None  # items of the model that a hold keeps
    file_fields: tuple[str, ...] = ()  # files stored with the item, deleted from storage with it
    partitioned: bool = False

    @property
    def stored(self) -> bool:
        return self.model is not None

    @property
    def age_label(self) -> str:
        if not self.stored:
            return "—"
        return str(self.model._meta.get_field(self.age_field).verbose_name)


def _uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_default_timezone())


def _held_usage(hold: RetentionHold) -> Q:
    return Q(
        employee_id=hold.employee_id,
        started_at__gte=_uk_midnight(hold.period_start),
        started_at__lt=_uk_midnight(hold.period_end + dt.timedelta(days=1)),
    )


def _held_days(hold: RetentionHold) -> Q:
    return Q(employee_id=hold.employee_id, day__gte=hold.period_start, day__lte=hold.period_end)


def _held_checks(hold: RetentionHold) -> Q:
    overlapping = Q(employee_id=hold.employee_id, period_start__lte=hold.period_end, period_end__gte=hold.period_start)
    return overlapping | Q(pk=hold.monitoring_check_id) if hold.monitoring_check_id else overlapping


def _held_withdrawals(hold: RetentionHold) -> Q:
    return Q(
        employee_id=hold.employee_id,
        created_at__gte=_uk_midnight(hold.period_start),
        created_at__lt=_uk_midnight(hold.period_end + dt.timedelta(days=1)),
    )


INVENTORY: tuple[Kind, ...] = (
    Kind(
        "usage_records",
        "Usage records",
        "Each minute an identity spent on a social media site: user name or device address, the employee it "
        "belongs to (or none, for identities nobody has claimed yet), site, device, requests and bytes (4.1).",
        UsageRecord,
        "started_at",
        held_by=_held_usage,
        partitioned=True,
    ),
    Kind(
        "usage_days",
        "Daily analyses",
        "One employee's social media minutes per day, split into rest breaks, outside breaks, overtime and "
        "outside hours, and the 'possible excessive use' pointer (2.1, 2.2).",
        UsageDay,
        "day",
        age_is_date=True,
        held_by=_held_days,
    ),
    Kind(
        "import_reports",
        "Import reports",
        "The report of each imported log file: file name, counts, the first rejected lines with their reason, "
        "and the user names and addresses no employee matched.",
        UsageImport,
        "created_at",
    ),
    Kind(
        "monitoring_checks",
        "Monitoring checks and findings",
        "Each check of one employee's internet use: the reason and justification (4.1), HR's decision, the "
        "findings and the case they feed.",
        MonitoringCheck,
        "created_at",
        held_by=_held_checks,
    ),
    Kind(
        "access_withdrawals",
        "Lifted access withdrawals",
        "The misuse that led to withdrawing a site from an employee (4.3); it starts to age when it is lifted, "
        "since an active withdrawal is still being enforced.",
        AccessWithdrawal,
        "lifted_at",
        ageing=Q(status=AccessWithdrawal.Status.LIFTED),
        held_by=_held_withdrawals,
    ),
    Kind(
        "log_files",
        "Imported log files",
        "Not kept: the importer reads an uploaded file as it arrives and keeps only its report and the usage "
        "records above, so there is no file to delete.",
        None,
    ),
)
KINDS = {kind.key: kind for kind in INVENTORY}


def stored_kinds() -> list[Kind]:
    return [kind for kind in INVENTORY if kind.stored]


def validate_limits() -> dict[str, int]:
    """The limit of every stored kind in months; refuses loudly any setting above 12 months (clause 4.2)."""
    default = getattr(settings, "MONITORING_RETENTION_MONTHS", MAX_MONTHS)
    overrides = getattr(settings, "MONITORING_RETENTION_KIND_MONTHS", {})
    unknown = set(overrides) - {k.key for k in stored_kinds()}
    if unknown:
        raise ImproperlyConfigured(f"MONITORING_RETENTION_KIND_MONTHS names unknown kinds: {sorted(unknown)}")
    limits = {}
    for kind in stored_kinds():
        months = overrides.get(kind.key, default)
        if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
            raise ImproperlyConfigured(
                f"The retention limit of {kind.key} must be 1 to {MAX_MONTHS} months (clause 4.2), not {months!r}"
            )
        limits[kind.key] = months
    return limits


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def cutoff_for(kind: Kind, today: dt.date) -> dt.datetime:
    """Items of the kind older than this (UK midnight, `limit` months before the run date) are removed."""
    return _uk_midnight(months_before(today, validate_limits()[kind.key]))


def _expired(kind: Kind, cutoff: dt.datetime) -> Q:
    bound = cutoff.date() if kind.age_is_date else cutoff
    return kind.ageing & Q(**{f"{kind.age_field}__lt": bound})


def retention_periods() -> list[dict]:
    """How long each kind is kept, in words an employee reads on their own data pages."""
    limits = validate_limits()
    return [
        {
            "information": kind.title,
            "what it holds": kind.contains,
            "kept for": f"{limits[kind.key]} months" if kind.stored else "Not kept",
            "counted from": kind.age_label if kind.stored else "—",
        }
        for kind in INVENTORY
    ]


# --- holds ------------------------------------------------------------------------------------------------


def active_holds(today: dt.date | None = None) -> list[RetentionHold]:
    from cases.models import Case

    today = today or timezone.localdate()
    return list(
        RetentionHold.objects.select_related("case", "employee", "monitoring_check")
        .filter(released_at__isnull=True, ends_on__gte=today)
        .exclude(case__status=Case.Status.CLOSED)
        .order_by("pk")
    )


def _held_q(kind: Kind, holds: list[RetentionHold]) -> Q | None:
    if kind.held_by is None or not holds:
        return None
    condition = Q(pk__in=[])
    for hold in holds:
        condition |= kind.held_by(hold)
    return condition


def hold_create(
    *,
    actor: User,
    case,
    period_start: dt.date,
    period_end: dt.date,
    reason: str,
    ends_on: dt.date,
    monitoring_check: MonitoringCheck | None = None,
) -> RetentionHold:
    """The Head of HR keeps the case subject's monitoring data of a period past its limit, as evidence."""
    from cases.models import Case

    require(
        actor,
        "monitoring.hold_monitoring_data",
        message="Only the Head of HR may hold monitoring data past its limit (4.2).",
    )
    today = timezone.localdate()
    reason = reason.strip()
    errors = {}
    if case.subject_id == actor.pk:
        errors["case"] = "You cannot hold evidence in a case about yourself."
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after its first day."
    elif period_end > today:
        errors["period_end"] = "A hold keeps what has been gathered: the period cannot end in the future."
    if monitoring_check is not None and monitoring_check.employee_id != case.subject_id:
        errors["monitoring_check"] = "That check is about someone other than the subject of the case."
    if ends_on <= today:
        errors["ends_on"] = "The end date must be in the future."
    elif ends_on > today + dt.timedelta(days=366):
        errors["ends_on"] = "Hold for a year at most; the Head of HR can add another hold if the case goes on."
    if len(reason) < 20:
        errors["reason"] = "Say in a sentence or two why this evidence must be kept past 12 months."
    elif len(reason) > 2000:
        errors["reason"] = "Keep the reason under 2,000 characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status == Case.Status.CLOSED:
            raise ValidationError({"case": "The case is closed: its evidence can no longer be held."})
        duplicate = RetentionHold.objects.filter(
            case=case, released_at__isnull=True, period_start=period_start, period_end=period_end, ends_on__gte=today
        ).exists()
        if duplicate:
            raise ValidationError("This period is already held for this case.")
        hold = RetentionHold.objects.create(
            case=case,
            employee_id=case.subject_id,
            monitoring_check=monitoring_check,
            period_start=period_start,
            period_end=period_end,
            reason=reason,
            ends_on=ends_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="retention_hold.created",
            obj=hold,
            organisation_id=case.organisation_id,
            details={"case": case.reference, "from": period_start, "to": period_end, "ends_on": ends_on},
        )
    return hold


def hold_release(*, actor: User, hold: RetentionHold) -> RetentionHold:
    """The Head of HR ends a hold early; the next purge removes what it kept if it is past its limit."""
    require(actor, "monitoring.hold_monitoring_data", message="Only the Head of HR may release a hold.")
    with transaction.atomic():
        hold = RetentionHold.objects.select_for_update(of=("self",)).select_related("case").get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError("This hold has already been released.")
        hold.released_at, hold.released_by = timezone.now(), actor
        hold.save(update_fields=["released_at", "released_by"])
        audit_record(actor=actor, action="retention_hold.released", obj=hold, organisation_id=hold.case.organisation_id)
    return hold


# --- the purge --------------------------------------------------------------------------------------------


class _TimeLimitReached(Exception):
    pass


@dataclasses.dataclass
class _Run:
    receipt: PurgeReceipt
    dry_run: bool
    deadline: float
    chunk_size: int
    pause: float

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _TimeLimitReached

    def add(self, kind: str, what: str, n: int) -> None:
        self.receipt.kinds[kind][what] = self.receipt.kinds[kind].get(what, 0) + n


def _chunk(run: _Run, work: Callable[[int], int]) -> int:
    """Run `work(chunk_size)` in its own transaction under statement and lock time limits; retry a few times
    (halving the chunk) when it times out, waits too long for a lock or deadlocks."""
    attempts = settings.MONITORING_PURGE_RETRIES + 1
    size = run.chunk_size
    for attempt in range(attempts):
        run.check_time()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [settings.MONITORING_PURGE_STATEMENT_TIMEOUT]
                )
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [settings.MONITORING_PURGE_LOCK_TIMEOUT])
                done = work(size)
        except OperationalError as exc:
            if attempt == attempts - 1:
                raise
            logger.warning("retention purge: chunk failed (%s); retrying", exc)
            size = max(1, size // 2)
            time.sleep(min(5.0, 0.2 * 2**attempt))
            continue
        if run.pause:
            time.sleep(run.pause)
        return done
    return 0  # not reached


def _attached_partitions() -> list[tuple[str, dt.date]]:
    found = []
    for name in partitions.existing_partitions():
        match = _PARTITION_RE.match(name)
        if match:
            found.append((name, dt.date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda item: item[1])


def _detached_leftovers() -> list[tuple[str, dt.date]]:
    """Month tables detached by a run that stopped before dropping them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE %s AND NOT c.relispartition",
            [f"{partitions.PARENT}\\_y%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        match = _PARTITION_RE.match(name)
        if match:
            found.append((name, dt.date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda item: item[1])


def _sql_condition(q: Q | None) -> tuple[str, list]:
    """A Q on UsageRecord as SQL usable against one partition (the columns are the same)."""
    if q is None:
        return "FALSE", []
    query = UsageRecord.objects.filter(q).values("pk").query
    where, params = query.where.as_sql(query.get_compiler(connection=connection), connection)
    return where.replace(f'"{partitions.PARENT}".', ""), list(params)


def _count(table: str, where: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)
        return cursor.fetchone()[0]


def _delete_rows(run: _Run, kind_key: str, table: str, where: str, params: list) -> None:
    """Delete the rows of one concrete table (a partition) matching `where`, chunk by chunk."""

    def work(size: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                # FOR UPDATE NOWAIT: a row another transaction holds fails the chunk at once (it is retried,
                # then the kind is reported as failed) instead of waiting on the server's lock_timeout.
                f"DELETE FROM {table} WHERE ctid = ANY(ARRAY("
                f"SELECT ctid FROM {table} WHERE {where} LIMIT %s FOR UPDATE NOWAIT))",
                [*params, size],
            )
            return cursor.rowcount

    while True:
        removed = _chunk(run, work)
        run.add(kind_key, "rows", removed)
        if removed == 0:
            return


def _purge_usage(run: _Run, kind: Kind, cutoff: dt.datetime, holds: list[RetentionHold]) -> None:
    held_where, held_params = _sql_condition(_held_q(kind, holds))
    old_where = "started_at < %s"
    # Month tables a stopped run detached but did not drop: nothing reads them; they go first.
    for name, month in _detached_leftovers():
        if dt.datetime.combine(partitions.add_months(month, 1), dt.time.min, dt.UTC) <= cutoff and not run.dry_run:
            _drop_detached(run, kind, name)
    for name, month in _attached_partitions():
        lower = dt.datetime.combine(month, dt.time.min, dt.UTC)  # partitions are UTC months
        upper = dt.datetime.combine(partitions.add_months(month, 1), dt.time.min, dt.UTC)
        if lower >= cutoff:
            break
        held = _count(name, f"{old_where} AND ({held_where})", [cutoff, *held_params])
        run.add(kind.key, "held", held)
        if upper <= cutoff and held == 0:
            if run.dry_run:
                run.add(kind.key, "rows", _count(name, "TRUE", []))
                run.receipt.partitions_dropped.append(name)
                continue
            if _detach(run, name):
                _drop_detached(run, kind, name)
            else:
                # An import holds the usage table: its rows go one chunk at a time, the empty table later.
                _delete_rows(run, kind.key, name, "TRUE", [])
                run.receipt.kinds[kind.key].setdefault("emptied", []).append(name)
        elif run.dry_run:
            run.add(
                kind.key, "rows", _count(name, f"{old_where} AND ({held_where}) IS NOT TRUE", [cutoff, *held_params])
            )
        else:
            _delete_rows(run, kind.key, name, f"{old_where} AND ({held_where}) IS NOT TRUE", [cutoff, *held_params])
    # The default partition catches rows of months that have no partition of their own.
    where = f"{old_where} AND ({held_where}) IS NOT TRUE"
    run.add(kind.key, "held", _count(partitions.DEFAULT, f"{old_where} AND ({held_where})", [cutoff, *held_params]))
    if run.dry_run:
        run.add(kind.key, "rows", _count(partitions.DEFAULT, where, [cutoff, *held_params]))
    else:
        _delete_rows(run, kind.key, partitions.DEFAULT, where, [cutoff, *held_params])


_LOCK_NOT_AVAILABLE, _QUERY_CANCELED, _DEADLOCK = "55P03", "57014", "40P01"


def _pgcode(exc: BaseException) -> str:
    return getattr(exc.__cause__, "pgcode", None) or getattr(exc, "pgcode", None) or ""


def _detach(run: _Run, name: str) -> bool:
    """Detach a month table from the usage table; False when another transaction (an import) holds the lock."""

    def work(size: int) -> int:
        with connection.cursor() as cursor:
            # Take DETACH's locks without waiting: when an import (or a long reader) holds the usage table, the
            # month is emptied row by row instead. NOWAIT answers at once, and does not depend on lock_timeout's
            # timer, which a server run under faketime (the suite's second CI run) never fires.
            cursor.execute(f"LOCK TABLE {partitions.PARENT}, {name} IN ACCESS EXCLUSIVE MODE NOWAIT")
            cursor.execute(f"ALTER TABLE {partitions.PARENT} DETACH PARTITION {name}")
        return 1

    try:
        _chunk(run, work)
    except OperationalError as exc:
        if _pgcode(exc) != _LOCK_NOT_AVAILABLE:
            raise
        logger.info("retention purge: %s is in use (an import?); deleting its rows instead", name)
        return False
    return True


def _drop_detached(run: _Run, kind: Kind, name: str) -> None:
    def work(size: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {name}")
            rows = cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE {name}")
        return rows

    run.add(kind.key, "rows", _chunk(run, work))
    run.receipt.partitions_dropped.append(name)


def _purge_model(run: _Run, kind: Kind, cutoff: dt.datetime, holds: list[RetentionHold]) -> None:
    expired = kind.model._default_manager.filter(_expired(kind, cutoff))
    held_q = _held_q(kind, holds)
    if held_q is not None:
        run.add(kind.key, "held", expired.filter(held_q).count())
        expired = expired.exclude(held_q)
    if run.dry_run:
        run.add(kind.key, "rows", expired.count())
        return

    def work(size: int) -> int:
        # Locked without waiting (see _delete_rows): a row someone holds fails this chunk at once.
        pks = list(
            expired.order_by("pk").select_for_update(nowait=True, of=("self",)).values_list("pk", flat=True)[:size]
        )
        if not pks:
            return 0
        chunk = kind.model._default_manager.filter(pk__in=pks)
        # Files go first: a run stopped here leaves rows without files, which the next run deletes, never
        # files without rows that nothing would find again.
        files = 0
        for field in kind.file_fields:
            for item in chunk.only("pk", field):
                stored = getattr(item, field)
                if stored:
                    stored.storage.delete(stored.name)
                    files += 1
        _, per_model = chunk.delete()
        run.add(kind.key, "files", files)
        return per_model.get(kind.model._meta.label, 0)

    while True:
        removed = _chunk(run, work)
        run.add(kind.key, "rows", removed)
        if removed == 0:
            return


def _hold_summary(holds: list[RetentionHold]) -> list[dict]:
    return [
        {
            "id": h.pk,
            "case": h.case.reference,
            "employee": str(h.employee),
            "from": h.period_start.isoformat(),
            "to": h.period_end.isoformat(),
            "ends_on": h.ends_on.isoformat(),
            "reason": h.reason,
        }
        for h in holds
    ]


def _plain_error(exc: BaseException) -> str:
    """Why a step failed, in words for the receipt page and HR's e-mail (the log keeps the traceback)."""
    code = _pgcode(exc)
    if code == _LOCK_NOT_AVAILABLE:
        return "it could not get a lock that another task, such as an import, was holding"
    if code == _QUERY_CANCELED:
        return "one step took longer than its time limit"
    if code == _DEADLOCK:
        return "it was caught in a deadlock with another task"
    return "an unexpected error stopped it (the server's log has the details)"


def _kind_scope():
    """Inside a caller's transaction (a test's, or a command run in one) a savepoint lets the next kind carry
    on after one fails; on its own the purge needs none: each chunk is its own transaction."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def _make_partitions_ahead(today: dt.date) -> list[str]:
    """Next months' partitions, under the purge's lock time limit: creating one needs the usage table's lock,
    which an import holds, and the 01:15 task or the next run makes them if this one cannot."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [settings.MONITORING_PURGE_LOCK_TIMEOUT])
            # A new partition needs the usage table's lock: asked for without waiting (see _detach).
            cursor.execute(f"LOCK TABLE {partitions.PARENT} IN SHARE UPDATE EXCLUSIVE MODE NOWAIT")
            return partitions.ensure_partitions(months_ahead=3, months_behind=0, today=today)
    except OperationalError as exc:
        if _pgcode(exc) != _LOCK_NOT_AVAILABLE:
            raise
        logger.warning("retention purge: next months' partitions left for later (the usage table is in use)")
        return []


def _try_lock():
    """One purge at a time: a transaction-level advisory lock, held by a transaction kept open on a connection of
    its own for the whole run. Never a session-level lock on the app's connection: behind PgBouncer in
    transaction mode the unlock would go to another server connection and the lock would stick, skipping every
    later run. An open transaction keeps its server connection under PgBouncer, and the lock ends with the
    transaction, so a process that dies takes its lock with it. Returns the connection, or None if another run
    holds the lock."""
    from django.db import connections

    lock = connections.create_connection(connection.alias)
    try:
        lock.set_autocommit(False)
        with lock.cursor() as cursor:
            # The transaction sits idle while the run works on the app's connection: no time-out may end it.
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK_KEY])
            if cursor.fetchone()[0]:
                return lock
    except Exception:
        lock.close()
        raise
    _unlock(lock)
    return None


def _unlock(lock) -> None:
    try:
        lock.rollback()  # ends the transaction, and with it the lock
    finally:
        lock.close()


def retention_purge(
    *, today: dt.date | None = None, dry_run: bool = False, trigger: str = PurgeReceipt.Trigger.OTHER
) -> PurgeReceipt:
    """Remove every item of monitoring information older than its limit, except what a hold keeps (4.2).

    Returns the receipt (not saved for a dry run, which removes nothing and reports what a run would). A
    second run started while one is going returns at once with a receipt saying it was skipped.
    """
    today = today or timezone.localdate()
    limits = validate_limits()
    started = time.monotonic()
    receipt = PurgeReceipt(
        run_date=today,
        cutoff=_uk_midnight(months_before(today, MAX_MONTHS)),
        trigger=trigger,
        dry_run=dry_run,
        started_at=timezone.now(),
    )
    if dry_run:
        locked = False
    else:
        locked = _try_lock()
        if not locked:
            receipt.outcome = PurgeReceipt.Outcome.SKIPPED
            receipt.finished_at = timezone.now()
            receipt.save()
            logger.info("retention purge: another run is going; this one does nothing")
            return receipt
    try:
        if not dry_run:
            # We hold the lock, so a receipt still 'running' belongs to a run that died.
            PurgeReceipt.objects.filter(outcome=PurgeReceipt.Outcome.RUNNING).update(
                outcome=PurgeReceipt.Outcome.INTERRUPTED
            )
        holds = active_holds(today)
        receipt.holds = _hold_summary(holds)
        cutoffs = {kind.key: cutoff_for(kind, today) for kind in stored_kinds()}
        receipt.kinds = {
            key: {"limit_months": limits[key], "cutoff": cutoffs[key].isoformat(), "rows": 0, "files": 0, "held": 0}
            for key in cutoffs
        }
        if not dry_run:
            receipt.save()
        run = _Run(
            receipt=receipt,
            dry_run=dry_run,
            deadline=started + settings.MONITORING_PURGE_TIME_LIMIT,
            chunk_size=settings.MONITORING_PURGE_CHUNK_SIZE,
            pause=settings.MONITORING_PURGE_CHUNK_PAUSE_MS / 1000,
        )
        failed = []
        try:
            for kind in stored_kinds():
                counts = receipt.kinds[kind.key]
                try:
                    with _kind_scope():
                        if kind.partitioned:
                            _purge_usage(run, kind, cutoffs[kind.key], holds)
                        else:
                            _purge_model(run, kind, cutoffs[kind.key], holds)
                except _TimeLimitReached:
                    counts["outcome"] = "stopped"
                    raise
                except Exception as exc:  # noqa: BLE001 - the receipt says so; the other kinds still go
                    logger.exception("retention purge of %s failed", kind.key)
                    counts["outcome"], counts["error"] = "failed", _plain_error(exc)
                    failed.append(kind)
                else:
                    counts["outcome"] = "completed"
                if not dry_run:
                    receipt.save(update_fields=["kinds", "partitions_dropped"])
            if not dry_run:
                receipt.partitions_created = _make_partitions_ahead(today)
            if failed:
                receipt.outcome = PurgeReceipt.Outcome.FAILED
                receipt.error = "; ".join(f"{k.title}: {receipt.kinds[k.key]['error']}" for k in failed)
            else:
                receipt.outcome = PurgeReceipt.Outcome.COMPLETED
        except _TimeLimitReached:
            receipt.outcome = PurgeReceipt.Outcome.PARTIAL
        except Exception as exc:  # noqa: BLE001 - the receipt and the log say so; a retry comes later
            logger.exception("retention purge failed")
            receipt.outcome = PurgeReceipt.Outcome.FAILED
            receipt.error = _plain_error(exc)
        receipt.finished_at = timezone.now()
        if not dry_run:
            receipt.save()
            audit_record(
                actor=None,
                action="retention.purged",
                obj=receipt,
                details={
                    "outcome": receipt.outcome,
                    "cutoff": receipt.cutoff,
                    "rows": {k: v["rows"] for k, v in receipt.kinds.items()},
                    "held": receipt.items_held,
                    "partitions_dropped": receipt.partitions_dropped,
                },
            )
    finally:
        if locked:
            _unlock(locked)
    return receipt


# --- what the retention page shows, and the missed-purge alert ---------------------------------------------


@dataclasses.dataclass
class KindStatus:
    kind: Kind
    limit_months: int | None = None
    cutoff: dt.datetime | None = None
    oldest: dt.date | dt.datetime | None = None
    oldest_unheld: dt.date | dt.datetime | None = None
    held: int = 0

    @property
    def overdue(self) -> bool:
        """An item not under hold is older than its limit plus a day: a purge has been missed."""
        if self.oldest_unheld is None or self.cutoff is None:
            return False
        late = self.cutoff - dt.timedelta(days=1)
        return self.oldest_unheld < (late.date() if self.kind.age_is_date else late)


def retention_status(today: dt.date | None = None) -> list[KindStatus]:
    """Per kind: its limit, cutoff, oldest item held now, items under hold, and whether a purge was missed."""
    today = today or timezone.localdate()
    limits = validate_limits()
    holds = active_holds(today)
    rows = []
    for kind in INVENTORY:
        if not kind.stored:
            rows.append(KindStatus(kind))
            continue
        cutoff = cutoff_for(kind, today)
        items = kind.model._default_manager.filter(kind.ageing)
        status = KindStatus(kind, limits[kind.key], cutoff)
        status.oldest = items.aggregate(oldest=Min(kind.age_field))["oldest"]
        held_q = _held_q(kind, holds)
        if held_q is not None:
            status.held = items.filter(held_q).count()
            items = items.exclude(held_q)
        status.oldest_unheld = items.aggregate(oldest=Min(kind.age_field))["oldest"]
        rows.append(status)
    return rows


def retention_overdue_alert(*, today: dt.date | None = None) -> bool:
    """E-mail HR when an item is older than its limit plus a day; at most once a day. Returns True if sent."""
    today = today or timezone.localdate()
    overdue = [s for s in retention_status(today) if s.overdue]
    if not overdue:
        return False
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ALERT_LOCK_KEY])
        day_start = _uk_midnight(today)
        if AuditEvent.objects.filter(
            action="retention.overdue_alerted",
            occurred_at__gte=day_start,
            occurred_at__lt=day_start + dt.timedelta(days=1),
        ).exists():
            return False
        notify(
            recipients=hr_staff(),
            subject="Monitoring data is being kept past its limit (clause 4.2)",
            template="monitoring/email/retention_overdue.txt",
            context={"overdue": overdue, "today": today},
            url="/monitoring/retention/",
        )
        audit_record(
            actor=None,
            action="retention.overdue_alerted",
            object_type="monitoring.retention",
            object_repr="Retention of monitoring data",
            details={s.kind.key: str(s.oldest_unheld) for s in overdue},
        )
    return True


def purge_retry_due(receipt: PurgeReceipt, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the worker tries a failed or stopped run again: MONITORING_PURGE_RETRY_MINUTES later, as long as
    that is still in the night (before MONITORING_PURGE_RETRY_UNTIL_HOUR, UK time, on the run date)."""
    if receipt.dry_run or receipt.outcome not in (PurgeReceipt.Outcome.FAILED, PurgeReceipt.Outcome.PARTIAL):
        return None
    due = timezone.localtime(now) + dt.timedelta(minutes=settings.MONITORING_PURGE_RETRY_MINUTES)
    until = dt.datetime.combine(
        receipt.run_date, dt.time(settings.MONITORING_PURGE_RETRY_UNTIL_HOUR), timezone.get_default_timezone()
    )
    return due if due <= until else None


def retention_failure_alert(*, today: dt.date | None = None) -> bool:
    """E-mail HR when the night's purge (its last run, after its retries) has not completed; once a day.
    Returns True if sent."""
    today = today or timezone.localdate()
    last = (
        PurgeReceipt.objects.filter(
            dry_run=False,
            run_date=today,
            trigger__in=[PurgeReceipt.Trigger.SCHEDULE, PurgeReceipt.Trigger.RETRY],
        )
        .exclude(outcome=PurgeReceipt.Outcome.SKIPPED)
        .order_by("-started_at", "-pk")
        .first()
    )
    if last is None or last.outcome in (PurgeReceipt.Outcome.COMPLETED, PurgeReceipt.Outcome.RUNNING):
        return False
    if last.retry_at is not None and last.retry_at > timezone.now():
        return False  # a retry is still to come tonight
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ALERT_LOCK_KEY])
        day_start = _uk_midnight(today)
        if AuditEvent.objects.filter(
            action="retention.failure_alerted",
            occurred_at__gte=day_start,
            occurred_at__lt=day_start + dt.timedelta(days=1),
        ).exists():
            return False
        not_done = [
            (KINDS[key].title, counts.get("error") or "it did not get to it before it stopped")
            for key, counts in last.kinds.items()
            if key in KINDS and counts.get("outcome") != "completed"
        ]
        notify(
            recipients=hr_staff(),
            subject="Last night's purge of monitoring data did not finish (clause 4.2)",
            template="monitoring/email/retention_failed.txt",
            context={"receipt": last, "not_done": not_done},
            url=last.get_absolute_url(),
        )
        audit_record(
            actor=None,
            action="retention.failure_alerted",
            obj=last,
            details={"outcome": last.outcome, "not_done": [title for title, _ in not_done]},
        )
    return True


def next_run(now: dt.datetime | None = None) -> dt.datetime | None:
    """When beat next starts the purge, from the schedule in settings (UK time)."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("monitoring-retention-purge")
    if entry is None:
        return None
    schedule = entry["schedule"]
    now = timezone.localtime(now)
    moment = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    for _ in range(60 * 24 * 8):  # a nightly schedule is found within a day; a weekly one within a week
        if (
            moment.minute in schedule.minute
            and moment.hour in schedule.hour
            and (moment.isoweekday() % 7) in schedule.day_of_week
            and moment.day in schedule.day_of_month
            and moment.month in schedule.month_of_year
        ):
            return moment
        moment = timezone.localtime(moment + dt.timedelta(minutes=1))
    return None
