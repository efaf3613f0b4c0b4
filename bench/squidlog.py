"""Writing realistic Squid access.log files for the import benchmark, reproducibly (seeded).

About a third of the requests go to social media sites of the catalogue, the rest to ordinary sites; a few
are blocked by the filter; staff are named by their filter user name (sometimes as DOMAIN\\name), and a few
requests come from an address with no user. Times rise through the period, as in a real log.
"""

from __future__ import annotations

import random
import time

SOCIAL = [
    "www.facebook.com",
    "static.xx.fbcdn.net",
    "www.instagram.com",
    "scontent.cdninstagram.com",
    "x.com",
    "pbs.twimg.com",
    "www.linkedin.com",
    "www.tiktok.com",
    "www.youtube.com",
    "i.ytimg.com",
    "rr3---sn-aigl6n7s.googlevideo.com",
    "www.reddit.com",
    "www.pinterest.co.uk",
    "web.whatsapp.com",
    "www.mumsnet.com",
    "bsky.app",
    "medium.com",
    "vimeo.com",
]
OTHER = [
    "www.bbc.co.uk",
    "www.google.com",
    "fonts.gstatic.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "www.gov.uk",
    "classroom.google.com",
    "www.oxfordowl.co.uk",
    "www.twinkl.co.uk",
    "update.microsoft.com",
    "cdn.jsdelivr.net",
    "www.wikipedia.org",
    "www.theguardian.com",
    "teams.microsoft.com",
    "www.bing.com",
    "www.education.gov.uk",
    "content.sims.co.uk",
    "www.mathsisfun.com",
]
PATHS = ["/", "/home", "/feed/", "/watch?v=dQw4w9WgXcQ", "/api/graphql/", "/images/a.jpg", "/static/app.js", "/p/Cx1"]
TYPES = ["text/html", "application/json", "image/jpeg", "application/javascript", "-"]


def _patterns(rng: random.Random, users: list[str], count: int) -> list[str]:
    """`count` different request lines without their time stamp."""
    out = []
    rand, choice = rng.random, rng.choice
    for _ in range(count):
        r = rand()
        host = choice(SOCIAL) if r < 0.35 else choice(OTHER)
        denied = rand() < 0.03
        code = "TCP_DENIED/403" if denied else ("TCP_MISS/200" if r < 0.8 else "TCP_TUNNEL/200")
        k = rng.randrange(len(users) + 40)
        if k < len(users):
            user = users[k] if k % 7 else f"SCHOOL\\{users[k]}"
            addr = f"10.{20 + k % 40}.{(k // 250) % 250}.{k % 250 + 1}"
        else:
            user, addr = "-", f"10.99.{k % 4}.{k % 250 + 1}"
        url = f"{host}:443" if code.startswith("TCP_TUNNEL") else f"https://{host}{choice(PATHS)}"
        method = "CONNECT" if code.startswith("TCP_TUNNEL") else "GET"
        out.append(
            f"{rng.randrange(5, 3000):6d} {addr} {code} {rng.randrange(300, 90000)} {method} {url} "
            f"{user} HIER_DIRECT/93.184.216.34 {choice(TYPES)}\n"
        )
    return out


def write_log(
    path,
    *,
    lines: int | None = None,
    size: int | None = None,
    users: list[str],
    seed: int = 1,
    end: float | None = None,
    span_seconds: int = 8 * 3600,
) -> tuple[int, int]:
    """Write `lines` lines, or lines until the file holds `size` bytes; returns (lines, bytes).

    The requests are drawn from 100,003 seeded patterns (a prime, so that the same request does not
    come back at the same minute of each cycle), each with its own rising time stamp."""
    rng = random.Random(seed)
    patterns = _patterns(rng, users, 100_003)
    end = end if end is not None else time.time() - 120
    expected = lines if lines is not None else max(size // 125, 1)
    start = end - span_seconds
    step = span_seconds / expected
    written = total = 0
    count = len(patterns)
    with open(path, "w", encoding="ascii", newline="\n") as out:
        while (lines is not None and written < lines) or (size is not None and total < size):
            block = 20_000 if lines is None else min(20_000, lines - written)
            chunk = "".join(
                f"{start + (written + i) * step:.3f} {patterns[(written + i) % count]}" for i in range(block)
            )
            out.write(chunk)
            total += len(chunk)
            written += block
    return written, total
