"""Actions that change monitoring data; each checks permission, validates, changes state and audits in one
transaction, and tells the next person in the hand-off (clauses 1.2, 2, 4.1, 4.3)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from core.permissions import require
from monitoring.analysis import usage_days_recompute
from monitoring.importer import import_stream
from monitoring.models import (
    AccessWithdrawal,
    AddressRange,
    CsvMapping,
    IdentityKind,
    MonitoringCheck,
    NetworkIdentity,
    Site,
    UsageImport,
)
from monitoring.parsers import Rejected, normalise_address, normalise_user
from people.models import Organisation, User
from people.notifications import notify
from people.selectors import hr_staff

if TYPE_CHECKING:
    from cases.models import IncidentReport

MAX_CHECK_DAYS = 92


# --- catalogue, address ranges, mappings ---------------------------------------------------------------


def site_save(*, actor: User, site: Site) -> Site:
    """Add or change a catalogue site (1.2: the list of social media keeps changing)."""
    require(actor, "monitoring.run_monitoring")
    domains = []
    for domain in site.domains:
        domain = domain.strip().lower().strip(".")
        if domain.startswith("*."):
            domain = domain[2:]
        if domain and domain not in domains:
            domains.append(domain)
    if not domains:
        raise ValidationError({"domains": "Give at least one domain, such as example.com."})
    site.domains = domains
    with transaction.atomic():
        clash = Site.objects.filter(domains__overlap=domains).exclude(pk=site.pk).first()
        if clash is not None:
            shared = sorted(set(domains) & set(clash.domains))
            raise ValidationError({"domains": f"{', '.join(shared)} already belongs to {clash}."})
        created = site.pk is None
        site.full_clean()
        site.save()
        audit_record(
            actor=actor,
            action="site.added" if created else "site.changed",
            obj=site,
            details={"domains": domains, "active": site.is_active},
        )
    return site


def address_range_save(*, actor: User, address_range: AddressRange) -> AddressRange:
    require(actor, "monitoring.run_monitoring")
    with transaction.atomic():
        address_range.full_clean()
        address_range.save()
        audit_record(
            actor=actor,
            action="address_range.saved",
            obj=address_range,
            organisation_id=address_range.organisation_id,
            details={"network": address_range.network, "device": address_range.device},
        )
    return address_range


def csv_mapping_save(*, actor: User, mapping: CsvMapping) -> CsvMapping:
    require(actor, "monitoring.run_monitoring")
    with transaction.atomic():
        mapping.full_clean()
        mapping.save()
        audit_record(actor=actor, action="csv_mapping.saved", obj=mapping, details={"name": mapping.name})
    return mapping


# --- network identities ---------------------------------------------------------------------------------


def normalise_identity(kind: str, value: str) -> str:
    try:
        normal = normalise_user(value) if kind == IdentityKind.USERNAME else normalise_address(value.strip())
    except Rejected as exc:
        raise ValidationError({"value": str(exc).capitalize() + "."})
    if not normal:
        raise ValidationError({"value": "Enter a user name or an address."})
    return normal


def identity_assign(
    *,
    actor: User,
    kind: str,
    value: str,
    employee: User,
    valid_from: dt.datetime,
    valid_to: dt.datetime | None = None,
) -> tuple[NetworkIdentity, int]:
    """Say that a user name or address belonged to an employee over a period, and give that employee the
    unmatched usage records of the period. Returns the identity and how many records were re-attributed."""
    require(actor, "monitoring.run_monitoring")
    value = normalise_identity(kind, value)
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": "The period must end after it starts."})
    with transaction.atomic():
        # Serialise assignments of the same identity so two HR officers cannot give it two owners at once.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"identity:{kind}:{value}"])
        overlapping = NetworkIdentity.objects.filter(kind=kind, value=value).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)
        )
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lt=valid_to)
        clash = overlapping.select_related("employee").first()
        if clash is not None:
            raise ValidationError(
                f"{value} already belongs to {clash.employee} for part of this period; end that period first."
            )
        identity = NetworkIdentity.objects.create(
            kind=kind, value=value, employee=employee, valid_from=valid_from, valid_to=valid_to, created_by=actor
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH changed AS (UPDATE monitoring_usagerecord SET employee_id = %s WHERE employee_id IS NULL "
                "AND identity_kind = %s AND identity_value = %s AND started_at >= %s "
                "AND (%s::timestamptz IS NULL OR started_at < %s::timestamptz) RETURNING started_at) "
                "SELECT count(*), array_agg(DISTINCT (started_at AT TIME ZONE %s)::date) FROM changed",
                [employee.pk, kind, value, valid_from, valid_to, valid_to, timezone.get_current_timezone_name()],
            )
            moved, days = cursor.fetchone()
        usage_days_recompute(pairs={(employee.pk, day) for day in days or []})
        audit_record(
            actor=actor,
            action="network_identity.assigned",
            obj=identity,
            organisation_id=employee.organisation_id,
            details={"kind": kind, "value": value, "employee": employee.pk, "records_reattributed": moved},
        )
    return identity, moved


# --- imports --------------------------------------------------------------------------------------------


def usage_import_run(
    *, actor: User | None, stream, file_name: str, file_size: int, format: str, mapping: CsvMapping | None = None
) -> UsageImport:
    """Import one log file. `actor` is None only for the command line, whose operator runs the server."""
    if actor is not None:
        require(actor, "monitoring.run_monitoring")
    if format not in UsageImport.Format.values:
        raise ValidationError({"format": "Choose Squid, FortiGate or CSV."})
    if format == UsageImport.Format.CSV and mapping is None:
        raise ValidationError({"mapping": "A CSV file needs the column mapping of the filter that wrote it."})
    usage_import = UsageImport.objects.create(
        file_name=file_name[:255],
        file_size=file_size,
        format=format,
        mapping=mapping if format == UsageImport.Format.CSV else None,
        imported_by=actor,
    )
    import_stream(usage_import, stream)
    audit_record(
        actor=actor,
        action="usage_import.finished" if usage_import.status == UsageImport.Status.DONE else "usage_import.failed",
        obj=usage_import,
        details={
            "file": usage_import.file_name,
            "format": format,
            "read": usage_import.lines_read,
            "kept": usage_import.lines_kept,
            "dropped": usage_import.lines_dropped,
            "rejected": usage_import.lines_rejected,
        },
    )
    return usage_import


# --- monitoring checks (4.1) ----------------------------------------------------------------------------


def check_request(
    *,
    actor: User,
    employee: User,
    reason: str,
    justification: str,
    period_start: dt.date,
    period_end: dt.date,
) -> MonitoringCheck:
    """Ask HR for a check of one employee's internet use over a period, for a reason clause 4.1 accepts."""
    require(actor, "monitoring.request_check_on", employee)
    today = timezone.localdate()
    errors = {}
    if reason not in MonitoringCheck.Reason.values:
        errors["reason"] = "Choose one of the reasons."
    justification = justification.strip()
    if len(justification) < 20:
        errors["justification"] = "Say in a sentence or two what has been seen that makes the check necessary."
    if period_end < period_start:
        errors["period_end"] = "The period must end on or after its first day."
    elif (period_end - period_start).days + 1 > MAX_CHECK_DAYS:
        errors["period_end"] = f"A check covers at most {MAX_CHECK_DAYS} days; a narrower period intrudes less."
    if period_end > today:
        errors["period_end"] = "A check looks at what has happened: the period cannot end in the future."
    if period_start < today - dt.timedelta(days=365):
        errors["period_start"] = "Usage is kept for 12 months only (clause 4.2)."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=employee.pk).first()  # one open request at a time per person
        duplicate = MonitoringCheck.objects.filter(
            employee=employee,
            requested_by=actor,
            status=MonitoringCheck.Status.REQUESTED,
            period_start__lte=period_end,
            period_end__gte=period_start,
        ).exists()
        if duplicate:
            raise ValidationError("You have already asked for a check of this employee over this period.")
        check = MonitoringCheck.objects.create(
            employee=employee,
            requested_by=actor,
            reason=reason,
            justification=justification,
            period_start=period_start,
            period_end=period_end,
        )
        audit_record(
            actor=actor,
            action="monitoring_check.requested",
            obj=check,
            details={"reason": reason, "from": period_start, "to": period_end},
        )
        notify(
            recipients=hr_staff(exclude={actor.pk, employee.pk}),
            subject="A monitoring check is awaiting approval",
            template="monitoring/email/check_requested.txt",
            context={"check": check},
            url=check.get_absolute_url(),
        )
    return check


def _locked_check(check: MonitoringCheck) -> MonitoringCheck:
    return (
        MonitoringCheck.objects.select_for_update(of=("self",))
        .select_related("employee", "requested_by")
        .get(pk=check.pk)
    )


def _decide(*, actor: User, check: MonitoringCheck, note: str, approve: bool) -> MonitoringCheck:
    require(actor, "monitoring.decide_check", check)
    note = note.strip()
    with transaction.atomic():
        check = _locked_check(check)
        if check.status != MonitoringCheck.Status.REQUESTED:
            raise ValidationError(f"This check has already been {check.get_status_display().lower()}.")
        if not note and (not approve or check.reason == MonitoringCheck.Reason.OTHER):
            raise ValidationError(
                {
                    "note": "Say why the reason given is accepted under clause 4.1."
                    if approve
                    else "Say why the check is declined."
                }
            )
        if approve:
            check.approve(by=actor, note=note)
        else:
            check.decline(by=actor, note=note)
        check.save()
        audit_record(actor=actor, action=f"monitoring_check.{check.status}", obj=check, details={"note": note[:500]})
        notify(
            recipients=[check.requested_by],
            subject=f"Your monitoring check request was {check.get_status_display().lower()}",
            template="monitoring/email/check_decided.txt",
            context={"check": check},
            url=check.get_absolute_url(),
        )
    return check


def check_approve(*, actor: User, check: MonitoringCheck, note: str = "") -> MonitoringCheck:
    """HR approve a check; for 'another reason' the note records why HR accept it."""
    return _decide(actor=actor, check=check, note=note, approve=True)


def check_decline(*, actor: User, check: MonitoringCheck, note: str) -> MonitoringCheck:
    return _decide(actor=actor, check=check, note=note, approve=False)


def check_complete(
    *, actor: User, check: MonitoringCheck, findings: str, deferred_reason: str = "", case_reference: str = ""
) -> MonitoringCheck:
    """Record the findings; tell the employee now unless HR record why that would prejudice an investigation."""
    require(actor, "monitoring.complete_check", check)
    findings = findings.strip()
    if len(findings) < 10:
        raise ValidationError({"findings": "Record what the check found, even if it found nothing of concern."})
    with transaction.atomic():
        check = _locked_check(check)
        if check.status != MonitoringCheck.Status.APPROVED:
            raise ValidationError("Only an approved check can be completed.")
        check.complete(
            by=actor, findings=findings, deferred_reason=deferred_reason.strip(), case_reference=case_reference.strip()
        )
        if not check.notice_deferred_reason:
            check.employee_told_at = timezone.now()
        check.save()
        audit_record(
            actor=actor,
            action="monitoring_check.completed",
            obj=check,
            details={"employee_told": check.employee_told_at is not None, "case": check.case_reference},
        )
        notify(
            recipients=[check.requested_by],
            subject="A monitoring check you asked for is complete",
            template="monitoring/email/check_completed.txt",
            context={"check": check},
            url=check.get_absolute_url(),
        )
        if check.employee_told_at:
            notify(
                recipients=[check.employee],
                subject="Your internet use at work has been checked",
                template="monitoring/email/check_employee_told.txt",
                context={"check": check},
                url="",
            )
    return check


def check_tell_employee(*, actor: User, check: MonitoringCheck) -> MonitoringCheck:
    """Tell the employee about a completed check whose notice HR had deferred, once the reason has passed."""
    require(actor, "monitoring.complete_check", check)
    with transaction.atomic():
        check = _locked_check(check)
        if check.status != MonitoringCheck.Status.COMPLETE or check.employee_told_at is not None:
            raise ValidationError("The employee has already been told, or the check is not complete.")
        check.employee_told_at = timezone.now()
        check.save(update_fields=["employee_told_at"])
        audit_record(actor=actor, action="monitoring_check.employee_told", obj=check)
        notify(
            recipients=[check.employee],
            subject="Your internet use at work has been checked",
            template="monitoring/email/check_employee_told.txt",
            context={"check": check},
            url="",
        )
    return check


# --- access withdrawal (4.3) ----------------------------------------------------------------------------


def withdrawal_create(
    *,
    actor: User,
    site: Site,
    reason: str,
    review_date: dt.date,
    employee: User | None = None,
    organisation: Organisation | None = None,
    reference: str = "",
) -> AccessWithdrawal:
    """Withdraw access to a site from an employee or a whole organisation for misuse (4.3)."""
    require(actor, "monitoring.run_monitoring")
    errors = {}
    if (employee is None) == (organisation is None):
        errors["employee"] = "Choose either one employee or one organisation."
    if review_date <= timezone.localdate():
        errors["review_date"] = "The review date must be in the future."
    elif review_date > timezone.localdate() + dt.timedelta(days=366):
        errors["review_date"] = "Review a withdrawal at least once a year."
    if len(reason.strip()) < 10:
        errors["reason"] = "Say what misuse led to this (clause 4.3)."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Site.objects.select_for_update().filter(pk=site.pk).first()
        if AccessWithdrawal.objects.filter(
            site=site, employee=employee, organisation=organisation, status=AccessWithdrawal.Status.ACTIVE
        ).exists():
            raise ValidationError("Access to this site is already withdrawn from them.")
        withdrawal = AccessWithdrawal.objects.create(
            site=site,
            employee=employee,
            organisation=organisation,
            reason=reason.strip(),
            reference=reference.strip(),
            review_date=review_date,
            withdrawn_by=actor,
        )
        audit_record(
            actor=actor,
            action="access_withdrawal.created",
            obj=withdrawal,
            organisation_id=withdrawal.organisation_id_for_audit,
            details={"site": site.name, "review": review_date, "reference": withdrawal.reference},
        )
        if employee is not None:
            notify(
                recipients=[employee],
                subject=f"Your access to {site} has been withdrawn",
                template="monitoring/email/withdrawal_created.txt",
                context={"withdrawal": withdrawal},
                url="/monitoring/my/",
            )
    return withdrawal


def withdrawal_lift(*, actor: User, withdrawal: AccessWithdrawal, reason: str) -> AccessWithdrawal:
    require(actor, "monitoring.run_monitoring")
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "Say why access is given back."})
    with transaction.atomic():
        withdrawal = (
            AccessWithdrawal.objects.select_for_update(of=("self",))
            .select_related("site", "employee")
            .get(pk=withdrawal.pk)
        )
        if withdrawal.status != AccessWithdrawal.Status.ACTIVE:
            raise ValidationError("This withdrawal has already been lifted.")
        withdrawal.lift(by=actor, reason=reason.strip())
        withdrawal.save()
        audit_record(
            actor=actor,
            action="access_withdrawal.lifted",
            obj=withdrawal,
            organisation_id=withdrawal.organisation_id_for_audit,
            details={"reason": withdrawal.lift_reason[:500]},
        )
        if withdrawal.employee is not None:
            notify(
                recipients=[withdrawal.employee],
                subject=f"Your access to {withdrawal.site} is restored",
                template="monitoring/email/withdrawal_lifted.txt",
                context={"withdrawal": withdrawal},
                url="/monitoring/my/",
            )
    return withdrawal


def withdrawal_review_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind HR of active withdrawals due for review; each is reminded once, so reruns do no harm."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        due = list(
            AccessWithdrawal.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("site", "employee", "organisation")
            .filter(status=AccessWithdrawal.Status.ACTIVE, review_date__lte=today, reminded_at__isnull=True)
        )
        for withdrawal in due:
            notify(
                recipients=hr_staff(),
                subject=f"Review due: {withdrawal}",
                template="monitoring/email/withdrawal_review.txt",
                context={"withdrawal": withdrawal},
                url="/monitoring/withdrawals/",
            )
            withdrawal.reminded_at = timezone.now()
            withdrawal.save(update_fields=["reminded_at"])
            audit_record(actor=None, action="access_withdrawal.review_reminded", obj=withdrawal)
            sent += 1
    return sent


def usage_read_record(*, actor: User, employee: User | None, what: str, details: dict | None = None) -> None:
    """Put a read of someone's monitoring data on the audit trail."""
    audit_record(
        actor=actor,
        action=f"monitoring.{what}_viewed",
        obj=employee,
        kind=AuditEvent.Kind.READ,
        details=details or {},
    )


def check_raise_concern(*, actor: User, check: MonitoringCheck) -> IncidentReport:
    """Turn a completed check's findings into an incident report for HR's triage queue (4.1 → 7).

    The report is written by the HR officer who acts, about the checked employee, under the clause the
    check was for; the check then records the report's reference, so each finding feeds one report."""
    from cases.models import Category, IncidentReport
    from cases.services import incident_report_create

    require(actor, "monitoring.complete_check", check)
    with transaction.atomic():
        check = _locked_check(check)
        if check.status != MonitoringCheck.Status.COMPLETE:
            raise ValidationError("Only a completed check's findings can be raised as a concern.")
        if check.case_reference:
            existing = IncidentReport.objects.filter(reference=check.case_reference).first()
            if existing:
                return existing
        category = Category.EXCESSIVE_USE if check.reason == MonitoringCheck.Reason.EXCESSIVE_USE else Category.OTHER
        report = incident_report_create(
            reporter=actor,
            subject=check.employee,
            capacity="professional",
            platform="other",
            occurred_at=cast(dt.datetime, check.completed_at),  # a completed check has its time
            description=f"Findings of monitoring check #{check.pk} "
            f"({check.period_start:%d/%m/%Y}–{check.period_end:%d/%m/%Y}):\n{check.findings}",
            categories=[category],
        )
        MonitoringCheck.objects.filter(pk=check.pk).update(case_reference=report.reference)
        audit_record(
            actor=actor, action="monitoring_check.raised_concern", obj=check, details={"report": report.reference}
        )
    return report
