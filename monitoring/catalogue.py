"""The starting site catalogue: the major platforms, blogs and video sites of clause 1.1 (HR add the rest, 1.2)."""

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


SMOOTHWALL_MAPPING = {
    "name": "Smoothwall web filter export",
    "time_column": "Time",
    "time_format": "%Y-%m-%d %H:%M:%S",
    "user_column": "Username",
    "address_column": "Source IP",
    "url_column": "URL",
    "status_column": "Status",
    "blocked_values": "blocked,denied",
}


def ensure_catalogue(site_model, mapping_model) -> None:
    """Add the starting sites and the Smoothwall mapping where missing (used by a migration and the demo seed)."""
    for name, category, domains in SITES:
        site_model.objects.get_or_create(name=name, defaults={"category": category, "domains": domains})
    defaults = {k: v for k, v in SMOOTHWALL_MAPPING.items() if k != "name"}
    mapping_model.objects.get_or_create(name=SMOOTHWALL_MAPPING["name"], defaults=defaults)
