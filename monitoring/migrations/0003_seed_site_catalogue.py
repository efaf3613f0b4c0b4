"""The site catalogue starts with the major platforms, blogs and video sites of clause 1.1; HR adds the rest (1.2)."""

from django.db import migrations

SITES = [
    ("Facebook", "network", ["facebook.com", "fb.com", "fbcdn.net", "facebook.net", "messenger.com"]),
    ("Instagram", "video", ["instagram.com", "cdninstagram.com"]),
    ("X (Twitter)", "network", ["twitter.com", "x.com", "twimg.com", "t.co"]),
    ("LinkedIn", "network", ["linkedin.com", "licdn.com"]),
    ("TikTok", "video", ["tiktok.com", "tiktokcdn.com", "tiktokv.com"]),
    ("YouTube", "video", ["youtube.com", "youtu.be", "ytimg.com", "googlevideo.com"]),
    ("Snapchat", "messaging", ["snapchat.com", "sc-cdn.net"]),
    ("Pinterest", "video", ["pinterest.com", "pinimg.com", "pinterest.co.uk"]),
    ("Reddit", "network", ["reddit.com", "redd.it", "redditmedia.com", "redditstatic.com"]),
    ("Tumblr", "blog", ["tumblr.com"]),
    ("WordPress.com", "blog", ["wordpress.com"]),
    ("Blogger", "blog", ["blogger.com", "blogspot.com"]),
    ("Medium", "blog", ["medium.com"]),
    ("Vimeo", "video", ["vimeo.com", "vimeocdn.com"]),
    ("Twitch", "video", ["twitch.tv", "ttvnw.net"]),
    ("Flickr", "video", ["flickr.com", "staticflickr.com"]),
    ("WhatsApp Web", "messaging", ["whatsapp.com", "whatsapp.net"]),
    ("Threads", "network", ["threads.net", "threads.com"]),
    ("Bluesky", "network", ["bsky.app", "bsky.social"]),
    ("Mastodon", "network", ["mastodon.social", "mastodon.online"]),
    ("Mumsnet", "network", ["mumsnet.com"]),
]


def seed(apps, schema_editor):
    Site = apps.get_model("monitoring", "Site")
    for name, category, domains in SITES:
        Site.objects.get_or_create(name=name, defaults={"category": category, "domains": domains})
    CsvMapping = apps.get_model("monitoring", "CsvMapping")
    CsvMapping.objects.get_or_create(
        name="Smoothwall web filter export",
        defaults={
            "time_column": "Time",
            "time_format": "%Y-%m-%d %H:%M:%S",
            "user_column": "Username",
            "address_column": "Source IP",
            "url_column": "URL",
            "status_column": "Status",
            "blocked_values": "blocked,denied",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_usagerecord_partitioned_table")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
