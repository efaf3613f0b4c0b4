"""Actions on official accounts, posts and campaigns (clause 3).

Each checks the actor's permission, validates, locks the row for a workflow transition, changes state,
writes the audit trail and tells the next person, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from audit.services import audit_record
from core.permissions import require
from people.models import Role, User
from people.notifications import notify
from publishing import prescreen, selectors
from publishing.models import (
    AdviceMessage,
    AdviceThread,
    Campaign,
    ContentCheck,
    Contributor,
    OfficialAccount,
    Post,
    PostMedia,
    TrainingRecord,
)

ALLOWED_MEDIA_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/quicktime",
    "video/webm",
}


# --- Account register (3.1) -------------------------------------------------------------------------


def official_account_create(
    *, actor: User, school, platform: str, handle: str, url: str, owner: User, status: str = "active"
) -> OfficialAccount:
    require(actor, "publishing.add_official_account")
    require(actor, "publishing.manage_account", school)
    with transaction.atomic():
        account = OfficialAccount(school=school, platform=platform, handle=handle, url=url, owner=owner, status=status)
        account.full_clean()
        if owner.organisation_id != school.pk:
            raise ValidationError({"owner": "The owner must work at the account's school."})
        account.save()
        audit_record(actor=actor, action="official_account.created", obj=account, details={"url": url})
    return account


def contributor_add(*, actor: User, account: OfficialAccount, employee: User) -> Contributor:
    require(actor, "publishing.manage_account", account)
    if employee.organisation_id != account.school_id:
        raise ValidationError({"employee": "A contributor must work at the account's school."})
    try:
        with transaction.atomic():
            contributor = Contributor.objects.create(account=account, employee=employee, added_by=actor)
            audit_record(
                actor=actor,
                action="contributor.added",
                obj=contributor,
                details={"account": account.pk, "employee": employee.pk},
            )
            if not selectors.is_trained(employee):
                notify(
                    recipients=User.objects.filter(role_assignments__role=Role.COMMUNICATIONS),
                    subject=f"{employee} needs social media training",
                    template="publishing/email/training_needed.txt",
                    context={"contributor": contributor},
                    url=account.get_absolute_url(),
                )
    except IntegrityError as exc:
        raise ValidationError({"employee": f"{employee} already contributes to this account."}) from exc
    return contributor


def training_record(*, actor: User, employee: User, trained_on: dt.date, notes: str = "") -> TrainingRecord:
    """The communications team records that it trained someone (3.1)."""
    require(actor, "publishing.record_training")
    from django.utils import timezone

    if trained_on > timezone.localdate():
        raise ValidationError({"trained_on": "Training cannot be recorded in the future."})
    with transaction.atomic():
        record = TrainingRecord.objects.create(employee=employee, trained_on=trained_on, trained_by=actor, notes=notes)
        audit_record(
            actor=actor,
            action="training.recorded",
            obj=record,
            organisation_id=employee.organisation_id,
            details={"employee": employee.pk, "trained_on": trained_on},
        )
        notify(
            recipients=[employee],
            subject="Your social media training is recorded",
            template="publishing/email/training_recorded.txt",
            context={"record": record},
            url="/publishing/posts/",
        )
    employee._social_trained_cache = True
    return record


# --- Posts (3.3, 3.4) -------------------------------------------------------------------------------


def _check_campaign(*, author: User, account: OfficialAccount, campaign: Campaign | None) -> None:
    if campaign is not None and not selectors.campaigns_open_for_posts(author, account).filter(pk=campaign.pk).exists():
        raise ValidationError({"campaign": "That campaign does not use this account, was rejected or has finished."})


def post_create(
    *,
    actor: User,
    account: OfficialAccount,
    text: str,
    purpose_benefit: str,
    pupils_shown: bool = False,
    pupil_consent: str = "",
    campaign: Campaign | None = None,
) -> Post:
    require(actor, "publishing.draft_post", account)
    _check_campaign(author=actor, account=account, campaign=campaign)
    with transaction.atomic():
        post = Post(
            account=account,
            author=actor,
            text=text,
            purpose_benefit=purpose_benefit,
            pupils_shown=pupils_shown,
            pupil_consent=pupil_consent,
            campaign=campaign,
        )
        _validate_post(post)
        post.save()
        audit_record(actor=actor, action="post.drafted", obj=post, details={"account": account.pk})
    return post


def _validate_post(post: Post) -> None:
    errors = {}
    if prescreen.contains_script_link(post.text):
        errors["text"] = "A javascript: link is never allowed in an official post."
    if post.pupils_shown and not post.pupil_consent.strip():
        errors["pupil_consent"] = "Say how photo consent was confirmed for each pupil shown."
    if errors:
        raise ValidationError(errors)
    post.full_clean(exclude=["state", "checker"])


def post_update(*, actor: User, post: Post, **fields) -> Post:
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not locked.is_editable:
            raise ValidationError("Only a draft or a returned post can be changed.")
        require(actor, "publishing.edit_post", locked)
        if "campaign" in fields:
            _check_campaign(author=actor, account=locked.account, campaign=fields["campaign"])
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_post(locked)
        locked.save()
        audit_record(actor=actor, action="post.edited", obj=locked, details={"fields": sorted(fields)})
    return locked


def validate_media_file(upload: UploadedFile) -> str:
    """The real type, read from the file's content rather than its name; refuses what is not media."""
    if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than the {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit."}
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in ALLOWED_MEDIA_TYPES:
        raise ValidationError(
            {"file": "This is not an image or video we accept (JPEG, PNG, GIF, WebP, MP4, MOV, WebM)."}
        )
    return kind.mime


def post_media_add(
    *,
    actor: User,
    post: Post,
    upload: UploadedFile,
    description: str,
    source: str = "",
    permission_from: str = "",
    permission_evidence: str = "",
    licence: str = "",
    acknowledgement: str = "",
) -> PostMedia:
    mime = validate_media_file(upload)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not locked.is_editable:
            raise ValidationError("Media can be added only to a draft or a returned post.")
        require(actor, "publishing.edit_post", locked)
        item = PostMedia(
            post=locked,
            original_name=(upload.name or "upload")[:200],
            content_type=mime,
            size=upload.size or 0,
            description=description,
            source=source,
            permission_from=permission_from,
            permission_evidence=permission_evidence,
            licence=licence,
            acknowledgement=acknowledgement,
            uploaded_by=actor,
        )
        item.file.save("upload", upload, save=False)
        try:
            item.save()
            audit_record(
                actor=actor,
                action="post.media_added",
                obj=locked,
                details={"media": item.pk, "type": mime, "size": upload.size, "source": source},
            )
        except Exception:
            item.file.delete(save=False)
            raise
    return item


def post_prescreen(post: Post) -> list[prescreen.Warning]:
    return prescreen.scan(
        post.text,
        names=selectors.staff_names_for_prescreen(post.account.school_id),
        media=list(post.media.all()),
    )


def post_submit(*, actor: User, post: Post, checker: User) -> Post:
    """The author asks a named colleague, never themselves, to check the post (3.4)."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not locked.is_editable:
            raise ValidationError("This post has already been sent for a check.")
        require(actor, "publishing.edit_post", locked)
        if not selectors.is_trained(actor):
            raise PermissionDenied("Only contributors trained by the communications team can submit posts (3.1).")
        require(actor, "publishing.submit_post", locked)
        if checker.pk == actor.pk:
            raise ValidationError({"checker": "A colleague must check the post: you cannot check your own."})
        if not selectors.colleagues_for_check(actor).filter(pk=checker.pk).exists():
            raise ValidationError({"checker": "Choose a colleague at your school who is in post."})
        if locked.account.status != OfficialAccount.Status.ACTIVE:
            raise ValidationError("The account is not active.")
        if (campaign := locked.campaign) is not None and locked.campaign_has_finished():
            # Checked and approved inside a campaign that is over, it could never be published (3.4).
            raise ValidationError(
                f"Its campaign “{campaign.title}” finished on {campaign.finished_on:%d/%m/%Y}: "
                "edit the post and take it out of the campaign before you send it for a check."
            )
        warnings = [w.as_dict() for w in post_prescreen(locked)]
        locked.submit(checker=checker, warnings=warnings)
        locked.save()
        audit_record(
            actor=actor,
            action="post.submitted",
            obj=locked,
            details={"checker": checker.pk, "round": locked.check_round, "warnings": len(warnings)},
        )
        notify(
            recipients=[checker],
            subject=f"Please check a post for {locked.account.handle}",
            template="publishing/email/post_submitted.txt",
            context={"post": locked, "warnings": warnings},
            url=locked.get_absolute_url(),
        )
    return locked


def post_check(
    *,
    actor: User,
    post: Post,
    decision: str,
    comments: str = "",
    no_disrepute: bool = False,
    no_confidential: bool = False,
    copyright_cleared: bool = False,
    not_discriminatory: bool = False,
    purpose_benefit: bool = False,
) -> ContentCheck:
    """The checker answers the 3.3 checklist and approves, or returns the post with comments."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.state != Post.State.AWAITING_CHECK:
            raise ValidationError("This post has already been decided.")
        require(actor, "publishing.check_post", locked)
        answers = {
            "no_disrepute": no_disrepute,
            "no_confidential": no_confidential,
            "copyright_cleared": copyright_cleared,
            "not_discriminatory": not_discriminatory,
            "purpose_benefit": purpose_benefit,
        }
        if decision == ContentCheck.Decision.APPROVED:
            if not all(answers.values()):
                raise ValidationError("Approve only when every point of the checklist holds; otherwise return it.")
            if (campaign := locked.campaign) is not None and locked.campaign_has_finished():
                # Approved now, it could never be published for the campaign (3.4): the author must take it out.
                raise ValidationError(
                    f"Its campaign “{campaign.title}” finished on {campaign.finished_on:%d/%m/%Y}: "
                    "return the post, so that its author can take it out of the campaign."
                )
            locked.approve()
        elif decision == ContentCheck.Decision.RETURNED:
            if not comments.strip():
                raise ValidationError({"comments": "Say what the author should change."})
            locked.return_to_author()
        else:
            raise ValidationError({"decision": "Approve or return the post."})
        check = ContentCheck.objects.create(
            post=locked, round=locked.check_round, checker=actor, decision=decision, comments=comments, **answers
        )
        locked.save()
        audit_record(
            actor=actor,
            action=f"post.{'approved' if decision == 'approved' else 'returned'}",
            obj=locked,
            details={"round": locked.check_round, **answers},
        )
        notify(
            recipients=[locked.author],
            subject=f"Your post for {locked.account.handle} was {check.get_decision_display().lower()}",
            template="publishing/email/post_checked.txt",
            context={"post": locked, "check": check},
            url=locked.get_absolute_url(),
        )
    return check


def post_record_published(*, actor: User, post: Post, url: str, published_at: dt.datetime) -> Post:
    """The author records where and when the post went live; the app never posts to the networks itself."""
    from django.utils import timezone

    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.state != Post.State.APPROVED:
            raise ValidationError("Only a post a colleague has approved can be recorded as published.")
        require(actor, "publishing.record_published", locked)
        if locked.campaign_id:
            campaign = Campaign.objects.get(pk=locked.campaign_id)
            if campaign.is_finished():
                raise ValidationError(
                    f"Its campaign finished on {campaign.finished_on:%d/%m/%Y}, so the post can no longer be "
                    "published for it (3.4)."
                )
            if not campaign.accepts_publishing():
                raise ValidationError("Its campaign is not approved yet, so the post cannot be published (3.4).")
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": "Give the post's web address (https://...)."})
        if published_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"published_at": "The time it went live cannot be in the future."})
        if published_at < locked.created_at - dt.timedelta(days=1):
            raise ValidationError({"published_at": "The post cannot have gone live before it was written."})
        locked.publish(url=url, at=published_at)
        locked.save()
        audit_record(actor=actor, action="post.published", obj=locked, details={"url": url, "at": published_at})
    return locked


def post_take_out_of_campaign(*, actor: User, post: Post) -> Post:
    """The author takes an approved post out of its finished campaign so that it can go out on its own.

    It goes back to draft and needs a colleague's check again: the checker judged its purpose and benefit (3.4)
    as part of the campaign, and that approval does not carry over to a stand-alone post."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.state != Post.State.APPROVED or locked.campaign_id is None:
            raise ValidationError("Only an approved post of a campaign can be taken out of it.")
        campaign = Campaign.objects.get(pk=locked.campaign_id)
        if not campaign.is_finished():
            raise ValidationError("Its campaign has not finished, so the post can still be published as part of it.")
        require(actor, "publishing.take_out_of_campaign", locked)
        locked.take_out_of_campaign()
        locked.save()
        audit_record(
            actor=actor,
            action="post.taken_out_of_campaign",
            obj=locked,
            details={"campaign": campaign.pk, "finished_on": campaign.finished_on, "checker": locked.checker_id},
        )
        if locked.checker_id:
            notify(
                recipients=[cast(User, locked.checker)],
                subject=f"A post you approved for {locked.account.handle} was taken out of its campaign",
                template="publishing/email/post_taken_out_of_campaign.txt",
                context={"post": locked, "campaign": campaign, "actor": actor},
                url=locked.get_absolute_url(),
            )
    return locked


def advice_ask(*, actor: User, post: Post, adviser: User, question: str) -> AdviceThread:
    """The author asks their line manager, business manager or headteacher for advice (3.4)."""
    require(actor, "publishing.ask_advice", post)
    if not selectors.advisers_for(actor).filter(pk=adviser.pk).exists():
        raise ValidationError({"adviser": "Ask your line manager, the school business manager or the headteacher."})
    if not question.strip():
        raise ValidationError({"body": "Write your question."})
    with transaction.atomic():
        thread, _ = AdviceThread.objects.get_or_create(post=post, adviser=adviser)
        message = AdviceMessage.objects.create(thread=thread, author=actor, body=question)
        audit_record(actor=actor, action="post.advice_asked", obj=post, details={"adviser": adviser.pk})
        notify(
            recipients=[adviser],
            subject=f"{actor} asks your advice on a post",
            template="publishing/email/advice.txt",
            context={"post": post, "message": message},
            url=post.get_absolute_url(),
        )
    return thread


def advice_reply(*, actor: User, thread: AdviceThread, body: str) -> AdviceMessage:
    if actor.pk not in (thread.adviser_id, thread.post.author_id):
        raise PermissionDenied("Only the author and the adviser write in an advice thread.")
    if not body.strip():
        raise ValidationError({"body": "Write your reply."})
    with transaction.atomic():
        message = AdviceMessage.objects.create(thread=thread, author=actor, body=body)
        audit_record(actor=actor, action="post.advice_replied", obj=thread.post, details={"thread": thread.pk})
        other = thread.post.author if actor.pk == thread.adviser_id else thread.adviser
        notify(
            recipients=[other],
            subject=f"{actor} replied about a post",
            template="publishing/email/advice.txt",
            context={"post": thread.post, "message": message},
            url=thread.post.get_absolute_url(),
        )
    return message


# --- Campaigns (3.4) --------------------------------------------------------------------------------


def campaign_create(
    *,
    actor: User,
    title: str,
    purpose_benefit: str,
    audience: str,
    accounts: list[OfficialAccount],
    starts_on: dt.date,
    ends_on: dt.date,
    planned_posts: str,
) -> Campaign:
    require(actor, "publishing.propose_campaign")
    if any(a.school_id != actor.organisation_id for a in accounts) or not accounts:
        raise ValidationError({"accounts": "Choose one or more of your school's official accounts."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The campaign must end on or after its first day."})
    with transaction.atomic():
        campaign = Campaign(
            school_id=cast(int, actor.organisation_id),  # the accounts' school, checked above
            proposer=actor,
            title=title,
            purpose_benefit=purpose_benefit,
            audience=audience,
            starts_on=starts_on,
            ends_on=ends_on,
            planned_posts=planned_posts,
        )
        campaign.full_clean(exclude=["state"])
        campaign.save()
        campaign.accounts.set(accounts)
        audit_record(
            actor=actor, action="campaign.drafted", obj=campaign, details={"accounts": [a.pk for a in accounts]}
        )
    return campaign


def campaign_submit(*, actor: User, campaign: Campaign) -> Campaign:
    """The proposer asks their line manager's permission (3.4)."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state != Campaign.State.DRAFT:
            raise ValidationError("This campaign has already been submitted.")
        require(actor, "publishing.submit_campaign", locked)
        if actor.line_manager is None:
            raise ValidationError("You have no line manager on record to approve it; please ask HR.")
        locked.submit()
        locked.save()
        audit_record(actor=actor, action="campaign.submitted", obj=locked, details={"to": actor.line_manager_id})
        notify(
            recipients=[actor.line_manager],
            subject=f"Campaign for your permission: {locked.title}",
            template="publishing/email/campaign.txt",
            context={"campaign": locked, "step": "endorse"},
            url=locked.get_absolute_url(),
        )
    return locked


def _headteachers(school_id: int) -> list[User]:
    return list(
        User.objects.filter(role_assignments__role=Role.HEADTEACHER, role_assignments__organisation_id=school_id)
    )


def campaign_endorse(*, actor: User, campaign: Campaign) -> Campaign:
    """The line manager endorses it; the headteacher decides next, or now if they are the line manager."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state != Campaign.State.SUBMITTED:
            raise ValidationError("This campaign is not waiting for its line manager.")
        require(actor, "publishing.endorse_campaign", locked)
        locked.endorse(by=actor)
        locked.save()
        audit_record(actor=actor, action="campaign.endorsed", obj=locked)
        heads = [h for h in _headteachers(locked.school_id) if h.pk != locked.proposer_id]
        notify(
            recipients=heads,
            subject=f"Campaign awaiting your approval: {locked.title}",
            template="publishing/email/campaign.txt",
            context={"campaign": locked, "step": "decide"},
            url=locked.get_absolute_url(),
        )
    return locked


def campaign_decide(*, actor: User, campaign: Campaign, approve: bool, reason: str) -> Campaign:
    """The headteacher approves or rejects; the line manager may reject at their step. Reasons are required
    for a rejection. A rejected campaign's unpublished posts go back to draft."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.state not in (Campaign.State.SUBMITTED, Campaign.State.ENDORSED):
            raise ValidationError("This campaign is not waiting for a decision.")
        as_head = actor.has_perm("publishing.decide_campaign", locked)
        as_manager = not approve and actor.has_perm("publishing.endorse_campaign", locked)
        if not (as_head or as_manager):
            raise PermissionDenied("Only the school's headteacher, or the line manager at their step, decides.")
        if not approve and not reason.strip():
            raise ValidationError({"reason": "Give the reasons for rejecting it."})
        if approve:
            locked.approve(by=actor, reason=reason)
        else:
            locked.reject(by=actor, reason=reason)
        locked.save()
        audit_record(
            actor=actor,
            action=f"campaign.{'approved' if approve else 'rejected'}",
            obj=locked,
            details={"reason": reason},
        )
        if not approve:
            _campaign_posts_back_to_draft(actor=actor, campaign=locked)
        notify(
            recipients=[locked.proposer],
            subject=f"Your campaign was {'approved' if approve else 'rejected'}: {locked.title}",
            template="publishing/email/campaign.txt",
            context={"campaign": locked, "step": "decided"},
            url=locked.get_absolute_url(),
        )
    return locked


def campaign_end(*, actor: User, campaign: Campaign, reason: str) -> Campaign:
    """The proposer or the school's headteacher ends a running campaign before its last day, with a reason.
    Its posts not yet published go back to their authors, who may take them out of the campaign (3.4)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the campaign is ending early."})
    if len(reason) > 2000:
        raise ValidationError({"reason": "Keep the reason to 2,000 characters."})
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_running():
            raise ValidationError("Only a running campaign can be ended early.")
        require(actor, "publishing.end_campaign", locked)
        locked.end_early(by=actor, reason=reason)
        locked.save()
        audit_record(
            actor=actor,
            action="campaign.ended_early",
            obj=locked,
            details={"reason": reason, "planned_end": locked.ends_on},
        )
        sent_back = _campaign_posts_back_to_draft(actor=actor, campaign=locked, why="campaign ended early")
        told = [locked.proposer, *_headteachers(locked.school_id), *(p.author for p in sent_back)]
        notify(
            recipients=[u for u in told if u.pk != actor.pk],
            subject=f"Campaign ended early: {locked.title}",
            template="publishing/email/campaign.txt",
            context={"campaign": locked, "step": "ended", "sent_back": len(sent_back)},
            url=locked.get_absolute_url(),
        )
    return locked


def _campaign_posts_back_to_draft(*, actor: User, campaign: Campaign, why: str = "campaign rejected") -> list[Post]:
    pending = Post.objects.select_for_update().filter(
        Q(campaign=campaign),
        state__in=[Post.State.AWAITING_CHECK, Post.State.APPROVED, Post.State.RETURNED],
    )
    sent_back = []
    for post in pending:
        previous = post.state
        post.back_to_draft()
        post.save()
        audit_record(
            actor=actor,
            action="post.back_to_draft",
            obj=post,
            details={"from": previous, "reason": why, "campaign": campaign.pk},
        )
        sent_back.append(post)
    return sent_back
