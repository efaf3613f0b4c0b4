"""Covert surveillance (clause 7.2): request, the Head of HR and OD's decision, observations, closing.

The database enforces the same rules again (see surveillance.models); these services are where
the people using the app get a clear answer instead of a database error.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case
from cases.services._common import tell
from cases.services.evidence import removing_files_on_error
from core.choices import Platform
from core.permissions import require
from core.uploads import check_upload, sha256_of
from people.models import Role, User
from surveillance.models import SurveillanceDecision, SurveillanceObservation, SurveillanceRequest

POLICE_MESSAGE = (
    "A matter that may be criminal must be reported to the police; it cannot be approved here. Clause 7.2 "
    "allows surveillance of social media only because such activity would generally fall outside the "
    "Regulation of Investigatory Powers Act as it is not criminal. Nothing has been saved."
)
TEXT_FIELDS = {
    "grounds": "Give the grounds for suspicion.",
    "necessity": "Say why surveillance is necessary.",
    "proportionality": "Say why it is proportionate.",
    "less_intrusive": "Say which less intrusive ways were considered and why they are not enough.",
    "accounts": "List exactly which accounts or pages are in scope.",
    "collateral_intrusion": "Say who else may be seen and how their privacy is protected.",
    "dpia_reference": "Give the reference of the data protection impact assessment.",
}
CONTENT_FIELDS = (
    *TEXT_FIELDS,
    "platforms",
    "public_only_confirmed",
    "starts_on",
    "ends_on",
    "review_on",
    "may_be_criminal",
)


def max_days() -> int:
    return settings.SURVEILLANCE_MAX_DAYS


def heads_of_hr(case: Case, *, exclude: User | None = None) -> list[User]:
    """Every Head of HR and OD who may decide on this case's surveillance."""
    involved = case.people_involved()
    people = User.objects.filter(is_active=True, role_assignments__role=Role.HEAD_OF_HR).distinct()
    return [u for u in people if u.pk not in involved and (exclude is None or u.pk != exclude.pk)]


def _validate(data: dict, *, today: dt.date, previous_start: dt.date | None = None) -> dict:
    """Clean the request's content; raise ValidationError with every problem beside its field."""
    errors: dict[str, str] = {}
    clean = dict(data)
    for field, message in TEXT_FIELDS.items():
        clean[field] = (data.get(field) or "").strip()
        if not clean[field]:
            errors[field] = message
    platforms = list(dict.fromkeys(data.get("platforms") or []))
    if not platforms:
        errors["platforms"] = "Choose at least one platform."
    elif any(p not in Platform.values for p in platforms):
        errors["platforms"] = "Choose platforms from the list."
    clean["platforms"] = platforms
    if not data.get("public_only_confirmed"):
        errors["public_only_confirmed"] = (
            "Confirm that only public content is viewed: no fake accounts, friend or follow requests, "
            "or private messages."
        )
    starts_on, ends_on, review_on = data.get("starts_on"), data.get("ends_on"), data.get("review_on")
    if starts_on is None:
        errors["starts_on"] = "Give the start date."
    elif starts_on < today and starts_on != previous_start:
        errors["starts_on"] = "The start cannot be in the past."
    if ends_on is None:
        errors["ends_on"] = "Give the end date."
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = "The end must be on or after the start."
        elif (ends_on - starts_on).days + 1 > max_days():
            errors["ends_on"] = f"Surveillance may last at most {max_days()} days; ask again if more is needed."
        elif ends_on < today:
            errors["ends_on"] = "The end cannot be in the past."
    if review_on is None:
        errors["review_on"] = "Give the review date."
    elif starts_on and ends_on and not (starts_on <= review_on <= ends_on):
        errors["review_on"] = "The review date must fall inside the window, between the start and the end."
    if errors:
        raise ValidationError(errors)
    return clean


def _refuse_if_criminal(*, actor: User, case: Case, may_be_criminal: bool) -> None:
    if may_be_criminal:
        # Recorded outside any transaction: the refusal itself belongs on the trail for oversight.
        audit_record(
            actor=actor, action="surveillance_request.refused_criminal", obj=case, details={"case": case.reference}
        )
        raise ValidationError({"may_be_criminal": POLICE_MESSAGE}, code="criminal")


def _reference() -> str:
    import secrets

    return f"SR-{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}"


def surveillance_request_create(
    *,
    actor: User,
    case: Case,
    grounds: str,
    necessity: str,
    proportionality: str,
    less_intrusive: str,
    platforms: list[str],
    accounts: str,
    public_only_confirmed: bool,
    collateral_intrusion: str,
    starts_on: dt.date,
    ends_on: dt.date,
    review_on: dt.date,
    dpia_reference: str,
    may_be_criminal: bool,
) -> SurveillanceRequest:
    """An investigating officer or HR asks the Head of HR and OD to approve surveillance (7.2)."""
    require(actor, "surveillance.request_surveillance", case)
    _refuse_if_criminal(actor=actor, case=case, may_be_criminal=may_be_criminal)
    data = _validate(
        dict(
            grounds=grounds,
            necessity=necessity,
            proportionality=proportionality,
            less_intrusive=less_intrusive,
            platforms=platforms,
            accounts=accounts,
            public_only_confirmed=public_only_confirmed,
            collateral_intrusion=collateral_intrusion,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=review_on,
            dpia_reference=dpia_reference,
            may_be_criminal=False,
        ),
        today=timezone.localdate(),
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in Case.ACTIVE_STATES:
            raise ValidationError(f"{case.reference} is {case.get_status_display().lower()}: no surveillance now.")
        request = SurveillanceRequest(reference=_reference(), case=case, requested_by=actor, **data)
        request.content_hash = request.compute_content_hash()
        twin = SurveillanceRequest.objects.filter(
            case=case,
            requested_by=actor,
            content_hash=request.content_hash,
            status=SurveillanceRequest.Status.REQUESTED,
        ).first()
        if twin is not None:  # the same form sent twice
            raise ValidationError(f"{twin.reference} was already sent; it was not sent twice.", code="duplicate")
        request.save()
        audit_record(
            actor=actor,
            action="surveillance_request.created",
            obj=request,
            details={"case": case.reference, "hash": request.content_hash, "from": starts_on, "to": ends_on},
        )
        tell(
            heads_of_hr(case, exclude=actor),
            f"Surveillance request {request.reference} awaits your decision",
            f"{actor} asks to watch the public social media of the subject of {case.reference} "
            f"from {starts_on:%d/%m/%Y} to {ends_on:%d/%m/%Y}. Only the Head of HR and OD may approve (7.2).",
            request.get_absolute_url(),
        )
    return request


def _lock(request: SurveillanceRequest) -> SurveillanceRequest:
    return SurveillanceRequest.objects.select_for_update().select_related("case").get(pk=request.pk)


def surveillance_request_update(*, actor: User, request: SurveillanceRequest, **changes) -> SurveillanceRequest:
    """The requester changes the request. Whatever its state, it then needs a (fresh) decision."""
    require(actor, "surveillance.edit_surveillance", request)
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    _refuse_if_criminal(actor=actor, case=request.case, may_be_criminal=bool(changes.get("may_be_criminal")))
    with transaction.atomic():
        request = _lock(request)
        if request.status not in SurveillanceRequest.EDITABLE or request.phase() == "expired":
            raise ValidationError(
                f"{request.reference} is {request.get_phase_display().lower()}: it cannot change. "
                "If more is truly needed, make a new request."
            )
        current = {f: getattr(request, f) for f in CONTENT_FIELDS}
        data = _validate(
            {**current, **changes, "may_be_criminal": False},
            today=timezone.localdate(),
            previous_start=request.starts_on,
        )
        changed = sorted(f for f in CONTENT_FIELDS if data[f] != current[f])
        if not changed:
            return request
        was_approved = request.status == SurveillanceRequest.Status.APPROVED
        for field in changed:
            setattr(request, field, data[field])
        request.version += 1
        request.content_hash = request.compute_content_hash()
        request.resubmit()
        request.save()
        audit_record(
            actor=actor,
            action="surveillance_request.edited",
            obj=request,
            details={"fields": changed, "hash": request.content_hash, "approval_voided": was_approved},
        )
        note = " Its approval no longer applies: nothing may be watched until you decide again." if was_approved else ""
        tell(
            heads_of_hr(request.case, exclude=actor),
            f"Surveillance request {request.reference} changed",
            f"{actor} changed {', '.join(changed)}.{note}",
            request.get_absolute_url(),
        )
    return request


def surveillance_request_decide(
    *, actor: User, request: SurveillanceRequest, decision: str, reasons: str, version: int | None = None
) -> SurveillanceDecision:
    """The Head of HR and OD approves, rejects or sends back one version of the request, in writing (7.2)."""
    require(actor, "surveillance.decide_surveillance", request)
    if decision not in SurveillanceDecision.Decision.values:
        raise ValidationError({"decision": "Choose approve, reject or send back."})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "Write the reasons for your decision."})
    with transaction.atomic():
        request = _lock(request)
        if request.status != SurveillanceRequest.Status.REQUESTED:
            raise ValidationError(
                f"{request.reference} was already decided ({request.get_status_display().lower()}).",
                code="already_decided",
            )
        if version is not None and version != request.version:
            raise ValidationError(
                f"{request.reference} changed while you were reading it. Read the new version before deciding.",
                code="changed",
            )
        if request.compute_content_hash() != request.content_hash:
            raise ValidationError("The stored request does not match its recorded hash; it cannot be decided.")
        Decision = SurveillanceDecision.Decision
        if decision == Decision.APPROVE:
            if request.ends_on < timezone.localdate():
                raise ValidationError({"decision": "The window has already ended; it cannot be approved."})
            request.approve(actor)
        elif decision == Decision.REJECT:
            request.reject()
        else:
            request.send_back()
        request.save()
        made = SurveillanceDecision.objects.create(
            request=request,
            version=request.version,
            decision=decision,
            reasons=reasons.strip(),
            content_hash=request.content_hash,
            decided_by=actor,
        )
        audit_record(
            actor=actor,
            action=f"surveillance_request.{decision}",
            obj=request,
            details={"version": request.version, "hash": request.content_hash, "reasons": made.reasons},
        )
        tell(
            [request.requested_by],
            f"Surveillance request {request.reference}: {made.get_decision_display().lower()}",
            f"{actor} decided: {made.get_decision_display()}. Reasons: {made.reasons}",
            request.get_absolute_url(),
        )
    return made


def surveillance_observation_record(
    *,
    actor: User,
    request: SurveillanceRequest,
    observed_at: dt.datetime,
    platform: str,
    what_was_seen: str,
    link: str = "",
    screenshot=None,
) -> SurveillanceObservation:
    """Something seen, recorded only while the approval stands and inside its window."""
    require(actor, "surveillance.run_surveillance", request)
    errors: dict[str, str | list[str]] = {}
    if not (what_was_seen or "").strip():
        errors["what_was_seen"] = "Describe what was seen."
    if platform not in Platform.values:
        errors["platform"] = "Choose the platform."
    if observed_at > timezone.now():
        errors["observed_at"] = "An observation cannot be recorded before it happens."
    if screenshot is not None:
        try:
            check_upload(screenshot)
        except ValidationError as exc:
            errors["screenshot"] = exc.messages
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with removing_files_on_error() as saved, transaction.atomic():
        request = _lock(request)
        if not request.approval_current:
            raise ValidationError(
                f"{request.reference} is not approved ({request.get_phase_display().lower()}): "
                "nothing may be recorded.",
                code="not_approved",
            )
        if not request.window_open(today):
            raise ValidationError(
                f"{request.reference} runs from {request.starts_on:%d/%m/%Y} to {request.ends_on:%d/%m/%Y}; "
                "observations can be recorded only inside that window.",
                code="outside_window",
            )
        seen_on = timezone.localtime(observed_at).date()
        if not (request.starts_on <= seen_on <= request.ends_on):
            raise ValidationError({"observed_at": "That moment is outside the approved window."})
        if platform not in request.platforms:
            raise ValidationError({"platform": "That platform is not in the approved scope."})
        if request.observations.filter(
            observed_at=observed_at, what_was_seen=what_was_seen.strip(), recorded_by=actor
        ).exists():  # the same form sent twice
            raise ValidationError("This observation was already recorded.", code="duplicate")
        file_fields = {}
        if screenshot is not None:
            name, content_type = check_upload(screenshot)
            digest = sha256_of(screenshot)
            ending = os.path.splitext(name)[1].lower()
            path = default_storage.save(f"surveillance/{today:%Y/%m}/{uuid.uuid4().hex}{ending}", screenshot)
            saved.append(path)
            file_fields = dict(
                screenshot=path,
                screenshot_name=name,
                screenshot_type=content_type,
                screenshot_size=screenshot.size,
                screenshot_sha256=digest,
            )
        observation = SurveillanceObservation.objects.create(
            request=request,
            observed_at=observed_at,
            platform=platform,
            what_was_seen=what_was_seen.strip(),
            link=link or "",
            recorded_by=actor,
            **file_fields,
        )
        audit_record(
            actor=actor,
            action="surveillance_observation.recorded",
            obj=observation,
            organisation_id=request.case.organisation_id,
            details={"request": request.reference, "sha256": observation.screenshot_sha256},
        )
    return observation


def surveillance_request_close(
    *, actor: User, request: SurveillanceRequest, outcome: str, summary: str
) -> SurveillanceRequest:
    """Stop an approved request before its end: revoked (no longer justified) or completed (done)."""
    require(actor, "surveillance.run_surveillance", request)
    if outcome not in ("revoke", "complete"):
        raise ValidationError({"outcome": "Choose revoke or complete."})
    if not (summary or "").strip():
        raise ValidationError({"summary": "Write a summary: why it stops, and what it found."})
    with transaction.atomic():
        request = _lock(request)
        if request.status != SurveillanceRequest.Status.APPROVED or request.phase() == "expired":
            raise ValidationError(
                f"{request.reference} is {request.get_phase_display().lower()}: only a current approval can stop.",
                code="not_approved",
            )
        if outcome == "revoke":
            request.revoke()
        else:
            request.complete()
        request.closed_by, request.closing_summary = actor, summary.strip()
        request.save()
        audit_record(
            actor=actor, action=f"surveillance_request.{request.status}", obj=request, details={"summary": summary}
        )
        tell(
            {request.requested_by, request.approved_by, request.case.investigating_officer} - {actor},
            f"Surveillance {request.reference} {request.get_status_display().lower()}",
            f"{actor}: {request.closing_summary}",
            request.get_absolute_url(),
        )
    return request


def surveillance_screenshot_record_download(*, actor: User, observation: SurveillanceObservation) -> None:
    require(actor, "surveillance.view_surveillance", observation.request)
    audit_record(
        actor=actor,
        action="surveillance_observation.screenshot_downloaded",
        obj=observation,
        kind="read",
        organisation_id=observation.request.case.organisation_id,
        details={"sha256": observation.screenshot_sha256},
    )


def send_surveillance_reminders(*, today: dt.date | None = None) -> int:
    """Remind the officer and the Head of HR before a running request's review date and its end.
    Each reminder goes once: the row is locked and stamped in the same transaction."""
    today = today or timezone.localdate()
    ahead = dt.timedelta(days=settings.SURVEILLANCE_REMINDER_DAYS)
    sent = 0
    kinds = (
        ("review_on", "review_reminded_at", "review"),
        ("ends_on", "end_reminded_at", "end"),
    )
    for date_field, stamp_field, label in kinds:
        due = SurveillanceRequest.objects.filter(
            status=SurveillanceRequest.Status.APPROVED,
            **{f"{stamp_field}__isnull": True, f"{date_field}__lte": today + ahead, f"{date_field}__gte": today},
        ).values_list("pk", flat=True)
        for pk in due:
            with transaction.atomic():
                request = (
                    SurveillanceRequest.objects.select_for_update(skip_locked=True)
                    .select_related("case", "requested_by")
                    .filter(pk=pk, **{f"{stamp_field}__isnull": True})
                    .first()
                )
                if request is None:
                    continue
                when = getattr(request, date_field)
                SurveillanceRequest.objects.filter(pk=pk).update(**{stamp_field: timezone.now()})
                recipients = [request.requested_by, request.case.investigating_officer, *heads_of_hr(request.case)]
                text = (
                    f"Surveillance {request.reference} is due for review on {when:%d/%m/%Y}: is it still necessary "
                    "and proportionate? Revoke it if not."
                    if label == "review"
                    else f"Surveillance {request.reference} ends on {when:%d/%m/%Y} and then lapses by itself. "
                    "Record a completion summary, or ask again if more is truly needed."
                )
                subject = f"Surveillance {request.reference}: {label} on {when:%d/%m/%Y}"
                tell(recipients, subject, text, request.get_absolute_url())
                audit_record(actor=None, action=f"surveillance_request.{label}_reminded", obj=request)
                sent += 1
    return sent
