"""Evidence files: checked, hashed at upload, stored privately, re-verified on demand (chain of custody)."""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import cast

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseEntry, Evidence, IncidentReport
from core.permissions import require
from core.uploads import check_upload, sha256_of
from people.models import User


def _store(uploaded) -> tuple[str, str, str, int, str]:
    """Check the upload and write it under a generated name; returns (path, name, type, size, sha256)."""
    name, content_type = check_upload(uploaded)
    digest = sha256_of(uploaded)
    ending = os.path.splitext(name)[1].lower()
    today = timezone.localdate()
    path = default_storage.save(f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}{ending}", uploaded)
    return path, name, content_type, uploaded.size, digest


def evidence_store_files(*, files, uploaded_by: User | None, report=None, case=None, description: str = "") -> list:
    """Check every file first, then save them all; on any failure nothing is kept."""
    errors = []
    for f in files:
        try:
            check_upload(f)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})
    saved_paths: list[str] = []
    try:
        items = []
        for f in files:
            path, name, content_type, size, digest = _store(f)
            saved_paths.append(path)
            items.append(
                Evidence.objects.create(
                    report=report,
                    case=case,
                    file=path,
                    original_name=name,
                    content_type=content_type,
                    size=size,
                    sha256=digest,
                    description=description,
                    uploaded_by=uploaded_by,
                )
            )
        return items
    except Exception:
        for path in saved_paths:
            default_storage.delete(path)
        raise


@contextlib.contextmanager
def removing_files_on_error():
    """Django has no rollback hook: if the transaction fails, delete the files saved inside it."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for path in saved:
            default_storage.delete(path)
        raise


def evidence_add_to_case(*, actor: User, case: Case, files, description: str = "") -> list[Evidence]:
    require(actor, "cases.investigate_case", case)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("Evidence cannot be added to a closed case.")
    with removing_files_on_error() as saved, transaction.atomic():
        items = evidence_store_files(files=files, uploaded_by=actor, case=case, description=description)
        saved.extend(i.file.name for i in items)
        for item in items:
            CaseEntry.objects.create(
                case=case, kind=CaseEntry.Kind.EVIDENCE, author=actor, evidence=item, body=description
            )
            audit_record(
                actor=actor,
                action="evidence.added",
                obj=item,
                organisation_id=case.organisation_id,
                details={"case": case.reference, "sha256": item.sha256, "size": item.size, "name": item.original_name},
            )
    return items


def evidence_verify(*, actor: User, evidence: Evidence) -> bool:
    """Hash the stored file again and compare with the hash taken at upload."""
    require(actor, "cases.read_evidence", evidence)
    try:
        with default_storage.open(cast(str, evidence.file.name), "rb") as fh:
            current = sha256_of(fh)
    except FileNotFoundError:
        current = ""
    ok = current == evidence.sha256
    with transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(last_verified_at=timezone.now(), last_verified_ok=ok)
        audit_record(
            actor=actor,
            action="evidence.verified",
            obj=evidence,
            organisation_id=_organisation_of(evidence),
            details={"expected": evidence.sha256, "found": current, "ok": ok},
        )
    evidence.refresh_from_db()
    return ok


def evidence_record_download(*, actor: User, evidence: Evidence) -> None:
    audit_record(
        actor=actor,
        action="evidence.downloaded",
        obj=evidence,
        kind="read",
        organisation_id=_organisation_of(evidence),
        details={"sha256": evidence.sha256},
    )


def _organisation_of(evidence: Evidence) -> int | None:
    case = evidence.owning_case
    if case is not None:
        return case.organisation_id
    report: IncidentReport | None = evidence.report
    return report.organisation_id if report else None
