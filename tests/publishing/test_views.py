"""The publishing pages with bad input, uploads, outsiders and list-page query guards."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from publishing.models import Campaign, ContentCheck, Post, PostMedia
from tests.publishing.factories import (
    demo,
    draft_campaign,
    draft_post,
    media_on,
    oakfield_x,
    png_bytes,
    png_upload,
    submitted_post,
)

pytestmark = pytest.mark.django_db


def _post_form(**overrides):
    data = {
        "account": oakfield_x().pk,
        "text": "Sports day is on Friday.",
        "purpose_benefit": "Brings families in.",
        "pupil_consent": "",
    }
    data.update(overrides)
    return data


def test_script_tags_in_a_post_are_shown_escaped(client_for):
    c = client_for("employee")
    response = c.post(reverse("publishing:post_create"), _post_form(text="<script>alert(1)</script> Hello"))
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("text", ["<a href='javascript:alert(1)'>Win</a>", "JavaScript:void(0)", "see vbscript:msgbox"])
def test_javascript_links_are_refused_beside_the_text_field(client_for, text):
    before = Post.objects.count()
    response = client_for("employee").post(reverse("publishing:post_create"), _post_form(text=text))
    assert response.status_code == 200
    assert "javascript: link is never allowed" in response.content.decode()
    assert Post.objects.count() == before


def test_oversize_text_and_a_forged_account_are_refused(client_for):
    c = client_for("employee")
    before = Post.objects.count()
    response = c.post(reverse("publishing:post_create"), _post_form(text="x" * 5001))
    assert response.status_code == 200 and "at most 5000 characters" in response.content.decode()
    from publishing.models import OfficialAccount

    kennet = OfficialAccount.objects.get(handle="@kennetvalleyacademy")
    response = c.post(reverse("publishing:post_create"), _post_form(account=kennet.pk))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Post.objects.count() == before


def test_pupils_shown_without_consent_is_refused_beside_the_field(client_for):
    response = client_for("employee").post(
        reverse("publishing:post_create"), _post_form(pupils_shown="on", pupil_consent="")
    )
    assert response.status_code == 200
    assert "photo consent was confirmed" in response.content.decode()


def test_a_forged_checker_id_of_the_author_is_refused(client_for):
    post = draft_post()
    response = client_for("employee").post(
        reverse("publishing:post_submit", args=[post.pk]), {"checker": demo("employee").pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Post.objects.get(pk=post.pk).state == Post.State.DRAFT


def test_submit_page_shows_prescreen_warnings_without_blocking(client_for):
    post = draft_post(text="Ring Mrs Bennett on 07700 900123 or email parent@gmail.com")
    c = client_for("employee")
    page = c.get(reverse("publishing:post_submit", args=[post.pk])).content.decode()
    assert "Phone number" in page and "Email address" in page and "not a verdict" in page
    response = c.post(reverse("publishing:post_submit", args=[post.pk]), {"checker": demo("manager").pk})
    assert response.status_code == 302
    post = Post.objects.get(pk=post.pk)
    assert {w["kind"] for w in post.prescreen_warnings} == {"phone", "email"}


def test_double_submitted_check_leaves_one_decision(client_for):
    post = submitted_post()
    c = client_for("manager")
    data = {
        "no_disrepute": "on",
        "no_confidential": "on",
        "copyright_cleared": "on",
        "not_discriminatory": "on",
        "purpose_benefit": "on",
        "decision": "approved",
    }
    url = reverse("publishing:post_check", args=[post.pk])
    assert c.post(url, data).status_code == 302
    assert c.post(url, data).status_code in {403, 404}
    assert ContentCheck.objects.filter(post=post).count() == 1


def test_approving_with_an_unticked_checklist_is_refused(client_for):
    post = submitted_post()
    response = client_for("manager").post(
        reverse("publishing:post_check", args=[post.pk]), {"decision": "approved", "no_disrepute": "on"}
    )
    assert response.status_code == 200 and "every point of the checklist" in response.content.decode()
    assert Post.objects.get(pk=post.pk).state == Post.State.AWAITING_CHECK


def test_a_real_image_is_stored_privately_and_served_only_to_those_who_may_see_the_post(client_for, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    post = draft_post()
    response = client_for("employee").post(
        reverse("publishing:post_media_add", args=[post.pk]),
        {"file": png_upload(), "description": "The relay race", "source": "own_work"},
    )
    assert response.status_code == 302
    item = PostMedia.objects.get(post=post)
    assert item.content_type == "image/png" and item.file.path.startswith(str(tmp_path))
    url = reverse("publishing:media_download", args=[item.pk])
    download = client_for("headteacher").get(url)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == png_bytes()
    assert client_for("hr").get(url).status_code == 404


def test_a_fake_image_is_refused(client_for):
    post = draft_post()
    fake = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>" * 10, content_type="image/jpeg")
    response = client_for("employee").post(
        reverse("publishing:post_media_add", args=[post.pk]),
        {"file": fake, "description": "A photo", "source": "own_work"},
    )
    assert response.status_code == 200
    assert "not an image or video we accept" in response.content.decode()
    assert not PostMedia.objects.filter(post=post).exists()


def test_a_huge_upload_is_refused(client_for, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    post = draft_post()
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * 4096, content_type="image/png")
    response = client_for("employee").post(
        reverse("publishing:post_media_add", args=[post.pk]),
        {"file": big, "description": "A photo", "source": "own_work"},
    )
    assert response.status_code == 200 and "larger than" in response.content.decode()
    assert not PostMedia.objects.filter(post=post).exists()


def test_permission_without_evidence_is_refused_beside_the_field(client_for):
    post = draft_post()
    response = client_for("employee").post(
        reverse("publishing:post_media_add", args=[post.pk]),
        {"file": png_upload(), "description": "Press photo", "source": "permission", "permission_from": "Chronicle"},
    )
    assert response.status_code == 200 and "where the permission is recorded" in response.content.decode()


def test_published_link_must_be_a_web_address_and_the_time_not_in_the_future(client_for):
    from tests.publishing.factories import approved_post

    post = approved_post()
    url = reverse("publishing:post_publish", args=[post.pk])
    c = client_for("employee")
    bad = c.post(url, {"url": "javascript:alert(1)", "published_at": "01/01/2026 10:00"})
    assert bad.status_code == 200 and "Enter a valid URL" in bad.content.decode()
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
    bad = c.post(url, {"url": "https://x.com/a/1", "published_at": future})
    assert bad.status_code == 200 and "cannot be in the future" in bad.content.decode()
    bad = c.post(url, {"url": "https://x.com/a/1", "published_at": "31/02/2026 10:00"})
    assert bad.status_code == 200 and "Enter a valid date/time" in bad.content.decode()
    assert Post.objects.get(pk=post.pk).state == Post.State.APPROVED


def test_campaign_form_refuses_bad_dates(client_for):
    c = client_for("employee")
    data = {
        "title": "<b>Bold</b> idea",
        "purpose_benefit": "x",
        "audience": "y",
        "accounts": [oakfield_x().pk],
        "starts_on": "2026-13-45",
        "ends_on": "",
        "planned_posts": "z",
    }
    before = Campaign.objects.count()
    response = c.post(reverse("publishing:campaign_create"), data)
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()
    today = timezone.localdate()
    data.update(
        starts_on=(today + dt.timedelta(days=5)).isoformat(), ends_on=(today + dt.timedelta(days=1)).isoformat()
    )
    response = c.post(reverse("publishing:campaign_create"), data)
    assert "must end on or after" in response.content.decode()
    assert Campaign.objects.count() == before


def test_campaign_rejection_needs_reasons_shown_beside_the_field(client_for):
    campaign = draft_campaign(demo("manager"))
    from publishing import services

    services.campaign_submit(actor=demo("manager"), campaign=campaign)
    response = client_for("headteacher").post(
        reverse("publishing:campaign_decide", args=[campaign.pk]), {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 200 and "Give the reasons" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.SUBMITTED


def test_a_campaign_title_with_markup_is_shown_escaped(client_for):
    campaign = draft_campaign(demo("employee"), title="<img src=x onerror=alert(1)>")
    page = client_for("employee").get(campaign.get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_media_of_another_school_is_not_served(client_for):
    kennet_post = Post.objects.filter(account__school__name="Kennet Valley Academy").first()
    item = media_on(kennet_post)
    assert client_for("headteacher").get(reverse("publishing:media_download", args=[item.pk])).status_code == 404


# --- list pages --------------------------------------------------------------------------------------


def _more_posts(n):
    for i in range(n):
        draft_post(text=f"Notice {i}: the library is open late.")


@pytest.mark.parametrize("extra", [0, 30])
def test_post_list_query_count_does_not_grow(client_for, django_assert_max_num_queries, extra):
    _more_posts(extra)
    c = client_for("headteacher")
    with django_assert_max_num_queries(16):
        response = c.get(reverse("publishing:post_list") + "?sort=-state&page=1")
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_campaign_list_query_count_does_not_grow(client_for, django_assert_max_num_queries, extra):
    for i in range(extra):
        draft_campaign(demo("employee"), title=f"Campaign {i}")
    c = client_for("headteacher")
    with django_assert_max_num_queries(16):
        response = c.get(reverse("publishing:campaign_list") + "?sort=title")
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_account_register_query_count_does_not_grow(client_for, django_assert_max_num_queries, extra):
    from tests.publishing.factories import OfficialAccountFactory

    OfficialAccountFactory.create_batch(extra)
    c = client_for("comms")
    with django_assert_max_num_queries(16):
        response = c.get(reverse("publishing:account_list") + "?sort=-handle")
    assert response.status_code == 200


def test_post_list_filters_and_has_a_helpful_empty_state(client_for):
    c = client_for("manager")
    page = c.get(reverse("publishing:post_list") + "?role=check").content.decode()
    assert "Our Year 4 science week" in page
    assert "Well done to Year 6" not in page  # the manager's own published post is not waiting for a check
    empty = c.get(reverse("publishing:post_list") + "?state=returned").content.decode()
    assert "No posts match these filters" in empty


def test_an_outsider_does_not_see_oakfield_posts_in_lists(client_for):
    page = client_for("hr").get(reverse("publishing:post_list")).content.decode()
    assert "science week" not in page
    assert "There are no posts for you to see" in page


def test_dashboards_show_each_role_their_panel(client_for):
    assert "Your official posts" in client_for("employee").get("/").content.decode()
    assert "Posts waiting for your check" in client_for("manager").get("/").content.decode()
    head = client_for("headteacher").get("/").content.decode()
    assert "Walk to School Month" in head and "official accounts" in head
    comms = client_for("comms").get("/").content.decode()
    assert "Contributors still to train" in comms
