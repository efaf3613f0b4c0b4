"""Reporting a concern, talking with the reporter, and HR's triage decisions (issue items 1, 2, 4)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Capacity, Case, CaseEntry, Category, IncidentReport, ReportMessage
from cases.selectors import receipt_key_hash
from cases.services._common import tell, without_ip
from cases.services.evidence import evidence_store_files, removing_files_on_error
from core.choices import Platform
from core.permissions import require
from people.models import User
from people.selectors import hr_staff

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_receipt_key() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _reference(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}"


def incident_report_create(
    *,
    reporter: User,
    capacity: str,
    platform: str,
    occurred_at: dt.datetime,
    description: str,
    categories: list[str],
    subject: User | None = None,
    subject_description: str = "",
    link: str = "",
    files=(),
    anonymous: bool = False,
    on_behalf_of: str = "",
    self_reported: bool = False,
    submission_token: uuid.UUID | None = None,
) -> IncidentReport:
    """Record a concern. An anonymous report keeps no link to its reporter: not in the row, the audit
    trail (no actor, no address) or the evidence; the reporter gets a receipt key (`report.receipt_key`,
    shown once, stored only as a hash). Other apps call this too, e.g. for self-reports (5.5)."""
    require(reporter, "cases.report_concern")
    errors = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = "The date cannot be in the future."
    if not description.strip():
        errors["description"] = "Please say what happened."
    if capacity not in Capacity.values:
        errors["capacity"] = "Choose professional or personal capacity."
    if platform not in Platform.values:
        errors["platform"] = "Choose a platform."
    if not categories or any(c not in Category.values for c in categories):
        errors["categories"] = "Choose at least one rule that may have been broken."
    if subject is None and not subject_description.strip():
        errors["subject"] = "Pick the person from the directory, or describe them if they are unknown or outside."
    if self_reported and (anonymous or subject != reporter):
        errors["subject"] = "A self-report names the reporter as the person concerned and cannot be anonymous."
    if anonymous and on_behalf_of:
        errors["on_behalf_of"] = "A report taken on someone's behalf names them; it cannot also be anonymous."
    if submission_token and IncidentReport.objects.filter(submission_token=submission_token).exists():
        raise ValidationError("This report was already received (the form was sent twice).", code="duplicate")
    if errors:
        raise ValidationError(errors)
    key = new_receipt_key() if anonymous else None
    try:
        with removing_files_on_error() as saved, transaction.atomic():
            report = IncidentReport.objects.create(
                reference=_reference("IR"),
                reporter=None if anonymous else reporter,
                anonymous=anonymous,
                receipt_key_hash=receipt_key_hash(key) if key else None,
                on_behalf_of=on_behalf_of.strip(),
                self_reported=self_reported,
                subject=subject,
                subject_description="" if subject else subject_description.strip(),
                capacity=capacity,
                platform=platform,
                link=link,
                occurred_at=occurred_at,
                description=description,
                categories=list(dict.fromkeys(categories)),
                submission_token=submission_token,
            )
            items = evidence_store_files(files=files, uploaded_by=None if anonymous else reporter, report=report)
            saved.extend(i.file.name for i in items)
            details = {"categories": report.categories, "evidence": [i.sha256 for i in items], "anonymous": anonymous}
            if anonymous:
                with without_ip():
                    audit_record(actor=None, action="incident_report.created", obj=report, details=details)
            else:
                audit_record(actor=reporter, action="incident_report.created", obj=report, details=details)
            tell(
                [u for u in hr_staff() if u.pk not in {report.subject_id, report.reporter_id}],
                f"New concern to triage: {report.reference}",
                f"A concern about {report.subject_label} ({', '.join(report.get_categories_display())}) "
                "is waiting in the triage queue.",
                report.get_absolute_url(),
            )
    except IntegrityError as exc:
        if submission_token and IncidentReport.objects.filter(submission_token=submission_token).exists():
            raise ValidationError(
                "This report was already received (the form was sent twice).", code="duplicate"
            ) from exc
        raise
    report.receipt_key = key
    return report


def _lock_open(report: IncidentReport) -> IncidentReport:
    """Lock the report row; if another HR officer decided it first, say so and change nothing."""
    locked = IncidentReport.objects.select_for_update(of=("self",)).select_related("triaged_by").get(pk=report.pk)
    if not locked.is_open:
        when = timezone.localtime(locked.triaged_at).strftime("%d/%m/%Y %H:%M") if locked.triaged_at else ""
        raise ValidationError(
            f"{locked.reference} was already decided ({locked.get_status_display().lower()}) "
            f"by {locked.triaged_by or 'another officer'} {when}. Nothing was changed.",
            code="already_decided",
        )
    return locked


def _decided(report: IncidentReport, actor: User, reason: str) -> None:
    report.triaged_by = actor
    report.triaged_at = timezone.now()
    report.decision_reason = reason
    report.save()


def report_close_no_action(*, actor: User, report: IncidentReport, reason: str) -> IncidentReport:
    require(actor, "cases.triage_report", report)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for taking no further action."})
    with transaction.atomic():
        report = _lock_open(report)
        report.close_without_action()
        _decided(report, actor, reason.strip())
        audit_record(actor=actor, action="incident_report.no_further_action", obj=report, details={"reason": reason})
        if report.reporter_id:
            tell(
                [report.reporter],
                f"Your report {report.reference} has been reviewed",
                "HR has reviewed your report and decided that no further action is needed.",
                _status_url(report),
            )
    return report


def report_ask_reporter(*, actor: User, report: IncidentReport, question: str) -> ReportMessage:
    require(actor, "cases.triage_report", report)
    if not question.strip():
        raise ValidationError({"question": "Write the question for the reporter."})
    if not report.anonymous and not report.reporter_id:
        raise ValidationError({"question": "This report has no reporter to ask."})
    with transaction.atomic():
        report = _lock_open(report)
        report.ask_reporter()
        report.save()
        message = ReportMessage.objects.create(
            report=report, sender=ReportMessage.Sender.HR, author=actor, body=question
        )
        audit_record(actor=actor, action="incident_report.question_sent", obj=report, details={"message": message.pk})
        if report.reporter_id:
            tell(
                [report.reporter],
                f"HR has a question about your report {report.reference}",
                "Please open your report to read the question and reply.",
                _status_url(report),
            )
    return message


def report_reply(*, actor: User, report: IncidentReport, body: str, receipt_key: str = "") -> ReportMessage:
    """The reporter answers HR: named reporters as themselves, anonymous ones by receipt key only."""
    if not body.strip():
        raise ValidationError({"body": "Write your reply."})
    if report.anonymous:
        if not receipt_key or receipt_key_hash(receipt_key) != report.receipt_key_hash:
            raise PermissionDenied("That receipt key does not match this report.")
        author = None
    else:
        require(actor, "cases.follow_report", report)
        author = actor
    with transaction.atomic():
        message = ReportMessage.objects.create(
            report=report, sender=ReportMessage.Sender.REPORTER, author=author, body=body
        )
        if report.anonymous:
            with without_ip():
                audit_record(actor=None, action="incident_report.reporter_replied", obj=report)
        else:
            audit_record(actor=actor, action="incident_report.reporter_replied", obj=report)
        recipients = [report.triaged_by] if report.triaged_by is not None else hr_staff()
        tell(
            [u for u in recipients if u.pk != report.subject_id],
            f"The reporter replied on {report.reference}",
            "The reporter has answered; the reply is on the report.",
            report.get_absolute_url(),
        )
    return message


def report_open_case(*, actor: User, report: IncidentReport, summary: str) -> Case:
    require(actor, "cases.triage_report", report)
    if not summary.strip():
        raise ValidationError({"summary": "Summarise the allegation for the case."})
    if not report.subject_id:
        raise ValidationError(
            {"summary": "A case needs the person concerned from the directory; this report has none."}
        )
    with transaction.atomic():
        report = _lock_open(report)
        subject = cast(User, report.subject)  # checked above
        case = Case.objects.create(
            reference=_reference("CASE"),
            subject=subject,
            organisation_id=cast(int, subject.organisation_id),
            summary=summary.strip(),
            opened_by=actor,
        )
        report.merge_into(case)
        _decided(report, actor, f"Case {case.reference} opened.")
        CaseEntry.objects.create(
            case=case, kind=CaseEntry.Kind.STATUS, author=actor, body=f"Case opened from report {report.reference}."
        )
        audit_record(actor=actor, action="case.opened", obj=case, details={"report": report.reference})
        audit_record(actor=actor, action="incident_report.merged", obj=report, details={"case": case.reference})
        if report.reporter_id:
            tell(
                [report.reporter],
                f"Your report {report.reference} is being taken forward",
                "HR has opened a case on the concern you raised.",
                _status_url(report),
            )
    return case


def report_merge(*, actor: User, report: IncidentReport, case: Case) -> Case:
    require(actor, "cases.triage_report", report)
    require(actor, "cases.manage_case", case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError({"case": "That case is closed; open a new one instead."})
    if report.subject_id and report.subject_id != case.subject_id:
        raise ValidationError({"case": f"This report is about {report.subject}, but {case} is about {case.subject}."})
    with transaction.atomic():
        report = _lock_open(report)
        report.merge_into(case)
        _decided(report, actor, f"Merged into {case.reference}.")
        CaseEntry.objects.create(
            case=case, kind=CaseEntry.Kind.STATUS, author=actor, body=f"Report {report.reference} added to the case."
        )
        audit_record(actor=actor, action="incident_report.merged", obj=report, details={"case": case.reference})
        if report.reporter_id:
            tell(
                [report.reporter],
                f"Your report {report.reference} is being taken forward",
                "HR has added the concern you raised to a case that is already open.",
                _status_url(report),
            )
        if case.investigating_officer_id:
            tell(
                [case.investigating_officer],
                f"A new report was added to {case.reference}",
                f"HR has added report {report.reference} to the case you are investigating.",
                case.get_absolute_url(),
            )
    return case


def _status_url(report: IncidentReport) -> str:
    from django.urls import reverse

    return reverse("cases:report_status", args=[report.pk])
