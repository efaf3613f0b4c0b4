"""The pre-screen: warnings about a draft for its author and checker to weigh, never a verdict (clause 3.3).

It looks for personal data (phone numbers, email and postal addresses, names of staff or pupils),
words from the configured list of sensitive and derogatory terms, media without a stated source,
and links to blocked or inappropriate domains. A person decides; the pre-screen only points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Warning:
    kind: str
    message: str
    excerpt: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


KIND_LABELS = {
    "phone": "Phone number",
    "email": "Email address",
    "postcode": "Postal address",
    "address": "Postal address",
    "name": "Name of a person",
    "term": "Sensitive or derogatory term",
    "media": "Media without a stated source",
    "link": "Blocked or inappropriate link",
}

# UK numbers such as 07700 900123, +44 7700 900123, (0118) 4960000: a run starting +44 or 0 with 10-12 digits.
_PHONE = re.compile(r"(?<![\w+/])(?:\+44|\(?0)[\d\s()-]{7,16}\d(?![\d/])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Full UK postcode, e.g. RG1 7AE, RG30 4BZ, SW1A 1AA.
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# A house number and a street: "14 Mill Lane", "3a Oxford Road".
_STREET = re.compile(
    r"\b\d{1,4}[a-z]?\s+(?:[A-Z][a-z']+\s+){1,3}"
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Gardens|Place|Court|Grove|Terrace)\b"
)
_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"')]+""", re.IGNORECASE)
_JAVASCRIPT = re.compile(r"\b(?:java|vb)script\s*:", re.IGNORECASE)


def contains_script_link(text: str) -> bool:
    """A `javascript:` link can never be part of an official post: forms refuse it outright."""
    return bool(_JAVASCRIPT.search(text or ""))


def _host(url: str) -> str:
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def _domain_matches(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def scan(
    text: str,
    *,
    names: Iterable[str] = (),
    media: Iterable = (),
    terms: Iterable[str] | None = None,
    blocked_domains: Iterable[str] | None = None,
) -> list[Warning]:
    """Every warning for a draft's text and media, in the order a reader meets them."""
    text = text or ""
    terms = settings.PUBLISHING_SENSITIVE_TERMS if terms is None else terms
    blocked_domains = settings.PUBLISHING_BLOCKED_DOMAINS if blocked_domains is None else blocked_domains
    warnings: list[Warning] = []

    emails = list(_EMAIL.finditer(text))
    for match in emails:
        warnings.append(Warning("email", "An email address: is it the school's public address?", match.group()))
    without_emails = _EMAIL.sub(" ", text)
    for match in _PHONE.finditer(_URL.sub(" ", without_emails)):
        if not 10 <= sum(ch.isdigit() for ch in match.group()) <= 12:
            continue
        warnings.append(Warning("phone", "A phone number: is it the school's public number?", match.group().strip()))
    for match in _POSTCODE.finditer(without_emails):
        warnings.append(Warning("postcode", "A postcode: does it point to someone's home?", match.group()))
    for match in _STREET.finditer(without_emails):
        warnings.append(Warning("address", "A street address: is it the school's own?", match.group()))

    lowered = text.lower()
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 3}):
        if re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered):
            warnings.append(
                Warning("name", "Names someone on the school's staff or pupil list: do they agree to it?", name)
            )
    for term in terms:
        term = term.strip()
        if term and re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", lowered):
            warnings.append(Warning("term", "A word on the list of sensitive or derogatory terms.", term))

    for match in _URL.finditer(text):
        host = _host(match.group())
        if host and any(_domain_matches(host, d) for d in blocked_domains):
            warnings.append(Warning("link", "A link to a blocked or inappropriate site.", match.group()))
    if contains_script_link(text):
        warnings.append(Warning("link", "A javascript: link, which is never allowed.", "javascript:"))

    for item in media:
        if not item.source_stated():
            warnings.append(
                Warning(
                    "media", "No source stated: own work, permission (from whom, with evidence) or licence.", str(item)
                )
            )
    return warnings
