"""Factories and builders for clause 3 records; builders go through the services, as the app does."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from people.models import User
from publishing import services
from publishing.models import Campaign, OfficialAccount, Post, TrainingRecord
from tests.factories import EmployeeFactory, SchoolFactory

ALL_CHECKS = {
    "no_disrepute": True,
    "no_confidential": True,
    "copyright_cleared": True,
    "not_discriminatory": True,
    "purpose_benefit": True,
}


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def png_upload(name: str = "sports-day.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


class OfficialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialAccount

    school = factory.SubFactory(SchoolFactory)
    platform = OfficialAccount.Platform.X
    handle = factory.Sequence(lambda n: f"@testschool{n}")
    url = factory.LazyAttribute(lambda o: f"https://x.com/{o.handle.lstrip('@')}")
    owner = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..school"))


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    employee = factory.SubFactory(EmployeeFactory)
    trained_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    trained_by = factory.LazyFunction(lambda: User.objects.get(username="comms"))


def demo(username: str) -> User:
    return User.objects.get(username=username)


def oakfield_x() -> OfficialAccount:
    return OfficialAccount.objects.get(handle="@OakfieldPrimary")


def draft_post(author: User | None = None, account: OfficialAccount | None = None, **fields) -> Post:
    author = author or demo("employee")
    account = account or oakfield_x()
    data = {"text": "Sports day is on Friday: come and cheer!", "purpose_benefit": "Brings families to school."}
    data.update(fields)
    return services.post_create(actor=author, account=account, **data)


def submitted_post(author: User | None = None, checker: User | None = None, **fields) -> Post:
    post = draft_post(author, **fields)
    return services.post_submit(actor=post.author, post=post, checker=checker or demo("manager"))


def approved_post(author: User | None = None, checker: User | None = None, **fields) -> Post:
    post = submitted_post(author, checker, **fields)
    services.post_check(actor=post.checker, post=post, decision="approved", **ALL_CHECKS)
    return Post.objects.get(pk=post.pk)


def media_on(post: Post):
    from publishing.models import PostMedia

    item = PostMedia(
        post=post,
        original_name="sports-day.png",
        content_type="image/png",
        size=len(png_bytes()),
        description="Pupils on the field",
        source=PostMedia.Source.OWN_WORK,
        uploaded_by=post.author,
    )
    item.file.save("upload", io.BytesIO(png_bytes()), save=False)
    item.save()
    return item


def advice_thread_on(post: Post):
    from publishing.models import AdviceThread

    adviser = post.author.line_manager
    return AdviceThread.objects.create(post=post, adviser=adviser)


def draft_campaign(proposer: User, **fields) -> Campaign:
    today = timezone.localdate()
    accounts = list(OfficialAccount.objects.filter(school_id=proposer.organisation_id))
    data = {
        "title": "Healthy Lunch Week",
        "purpose_benefit": "Encourages healthy eating.",
        "audience": "Families",
        "accounts": accounts,
        "starts_on": today + dt.timedelta(days=3),
        "ends_on": today + dt.timedelta(days=10),
        "planned_posts": "One post a day.",
    }
    data.update(fields)
    return services.campaign_create(actor=proposer, **data)


def submitted_campaign(proposer: User, **fields) -> Campaign:
    campaign = draft_campaign(proposer, **fields)
    return services.campaign_submit(actor=proposer, campaign=campaign)


def approved_campaign(proposer: User, **fields) -> Campaign:
    """Through the line manager (unless they are the headteacher) and the headteacher, as 3.4 asks."""
    from people.models import Role

    campaign = submitted_campaign(proposer, **fields)
    if not campaign.line_manager_is_headteacher():
        campaign = services.campaign_endorse(actor=proposer.line_manager, campaign=campaign)
    head = (
        User.objects.filter(
            role_assignments__role=Role.HEADTEACHER, role_assignments__organisation_id=proposer.organisation_id
        )
        .exclude(pk=proposer.pk)
        .first()
    )
    return services.campaign_decide(actor=head, campaign=campaign, approve=True, reason="")


def running_campaign(proposer: User, **fields) -> Campaign:
    today = timezone.localdate()
    return approved_campaign(proposer, **{"starts_on": today, "ends_on": today + dt.timedelta(days=7), **fields})


def finished_campaign(proposer: User, **fields) -> Campaign:
    """Approved, then its dates moved into the past, as if it had run and reached its last day."""
    campaign = running_campaign(proposer, **fields)
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1)
    )
    return Campaign.objects.get(pk=campaign.pk)


def approved_post_of_finished_campaign(**campaign_fields) -> Post:
    """Checked and approved while its campaign ran; the campaign has since passed its last day (3.4)."""
    campaign = running_campaign(User.objects.get(username="employee"), **campaign_fields)
    post = approved_post(campaign=campaign)
    today = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1)
    )
    return Post.objects.get(pk=post.pk)


# Plain row factories for every model (the builders above are what the workflow tests use).
class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publishing.Contributor"

    account = factory.SubFactory(OfficialAccountFactory)
    employee = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..account.school"))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    school = factory.SubFactory(SchoolFactory)
    proposer = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..school"))
    title = factory.Sequence(lambda n: f"Reading week {n}")
    purpose_benefit = "Encourages families to read together."
    audience = "Parents and carers"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=14))
    planned_posts = "Three posts a week."


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    account = factory.SubFactory(OfficialAccountFactory)
    author = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..account.school"))
    text = "Our Year 5 choir sang at the town hall today."
    purpose_benefit = "Celebrates pupils' achievements."


class ContentCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publishing.ContentCheck"

    post = factory.SubFactory(PostFactory)
    round = 1
    checker = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..post.account.school"))
    decision = "returned"


class PostMediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publishing.PostMedia"

    post = factory.SubFactory(PostFactory)
    file = factory.LazyFunction(lambda: png_upload())
    original_name = "sports-day.png"
    content_type = "image/png"
    size = factory.LazyAttribute(lambda o: o.file.size)
    description = "The relay race"
    uploaded_by = factory.SelfAttribute("post.author")


class AdviceThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publishing.AdviceThread"

    post = factory.SubFactory(PostFactory)
    adviser = factory.SubFactory(EmployeeFactory, organisation=factory.SelfAttribute("..post.account.school"))


class AdviceMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publishing.AdviceMessage"

    thread = factory.SubFactory(AdviceThreadFactory)
    author = factory.SelfAttribute("thread.post.author")
    body = "Is this photo all right to use?"
