"""Uploaded media: the type is read from the content, the file is served only as an attachment with
`nosniff`, only to people who may see the post, and every refusal is on the audit trail."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from publishing.models import PostMedia
from tests.publishing.factories import draft_post, png_bytes
from tests.security.access.publishing import POST_READERS
from tests.security.matrix import STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


def _upload(client_for, name: str, content: bytes, claimed_type: str):
    post = draft_post()
    response = client_for("employee").post(
        reverse("publishing:post_media_add", args=[post.pk]),
        {
            "file": SimpleUploadedFile(name, content, content_type=claimed_type),
            "description": "x",
            "source": "own_work",
        },
    )
    return post, response


def test_an_image_named_and_sent_as_html_is_stored_and_served_as_the_image_it_is(client_for):
    post, response = _upload(client_for, "page.html", png_bytes(), "text/html")
    assert response.status_code == 302
    item = PostMedia.objects.get(post=post)
    assert item.content_type == "image/png", "the type must come from the bytes, not the name or the browser"
    download = client_for("headteacher").get(reverse("publishing:media_download", args=[item.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == png_bytes()


def test_html_pretending_to_be_an_image_is_refused_and_nothing_is_kept(client_for, tmp_path):
    post, response = _upload(client_for, "photo.png", b"<html><script>alert(1)</script></html>", "image/png")
    assert response.status_code == 200 and "not an image or video we accept" in response.content.decode()
    assert not PostMedia.objects.filter(post=post).exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "a refused upload left a file on disk"


def test_a_gif_polyglot_is_only_ever_an_attachment_with_nosniff(client_for):
    """A file that starts like a GIF and carries a script is accepted as a GIF; it can never run as a page."""
    post, response = _upload(client_for, "x.gif", b"GIF89a<script>alert(1)</script>", "text/html")
    if response.status_code == 200:  # refused: that is fine too
        assert not PostMedia.objects.filter(post=post).exists()
        return
    item = PostMedia.objects.get(post=post)
    download = client_for("employee").get(reverse("publishing:media_download", args=[item.pk]))
    assert download["Content-Type"] == "image/gif"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in download["Content-Security-Policy"]


def test_a_hostile_file_name_cannot_add_headers(client_for):
    post = draft_post()
    item = PostMedia(
        post=post,
        original_name='a"; filename=evil.html\r\nSet-Cookie: sessionid=stolen',
        content_type="image/png",
        size=len(png_bytes()),
        description="x",
        source=PostMedia.Source.OWN_WORK,
        uploaded_by=post.author,
    )
    item.file.save("upload", io.BytesIO(png_bytes()), save=False)
    item.save()
    download = client_for("employee").get(reverse("publishing:media_download", args=[item.pk]))
    assert download.status_code == 200
    assert "sessionid" not in download.cookies
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment;")


def test_media_is_served_to_those_who_may_see_the_post_and_every_refusal_is_audited(client_for, demo_user):
    post, response = _upload(client_for, "relay.png", png_bytes(), "image/png")
    item = PostMedia.objects.get(post=post)
    url = reverse("publishing:media_download", args=[item.pk])
    for role in sorted(STAFF):
        client = client_for(role)
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        got = client.get(url)
        if role in POST_READERS:
            assert got.status_code == 200, role
            assert got["Content-Disposition"].startswith("attachment;")
        else:
            assert got.status_code in (403, 404), role
            refusals = AuditEvent.objects.filter(
                pk__gt=last, action__in=("access.denied", "access.not_found"), actor=demo_user(role)
            )
            assert [e.details for e in refusals] == [{"path": url, "method": "GET"}], f"{role}: not audited"
    assert Client().get(url).status_code == 302  # signed out: sent to sign in


def test_uploads_are_not_reachable_outside_the_permission_checked_view(client_for):
    post, _ = _upload(client_for, "relay.png", png_bytes(), "image/png")
    item = PostMedia.objects.get(post=post)
    client = client_for("employee")
    for guess in (f"/{item.file.name}", f"/media/{item.file.name}", f"/static/{item.file.name}"):
        assert client.get(guess).status_code == 404, guess
