"""Choices more than one part of the policy uses."""

from django.db import models


class Platform(models.TextChoices):
    """A social media platform: of an official account (3), a declared personal account (5), a reported
    incident (7) or a covert surveillance request (7.2). One list, so that whatever can be declared can also
    be reported and named in a request."""

    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    WHATSAPP = "whatsapp", "WhatsApp or another messaging group"
    BLOG = "blog", "Blog or website"
    OTHER = "other", "Other"
