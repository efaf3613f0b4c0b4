"""Does the person someone wants to search look like an applicant? (clause 6.1). Pure functions."""

from __future__ import annotations

import re
import unicodedata

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev"})


def name_parts(name: str) -> list[str]:
    """Lower case, no accents or titles; hyphens and apostrophes join or split the way people write them."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Mn", "Cf"}).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    words = re.findall(r"\w+", text)
    while words and words[0] in TITLES:
        words = words[1:]
    return words


def _middles_compatible(a: list[str], b: list[str]) -> bool:
    """Either side may leave middle names out; those given must agree, an initial standing for a name."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    position = 0
    for word in shorter:
        while position < len(longer):
            candidate = longer[position]
            position += 1
            if (
                candidate == word
                or (len(word) == 1 and candidate.startswith(word))
                or (len(candidate) == 1 and word.startswith(candidate))
            ):
                break
        else:
            return False
    return True


def same_person_name(a: str, b: str) -> bool:
    """Same first and last name, ignoring case, accents, titles and middle names."""
    pa, pb = name_parts(a), name_parts(b)
    if len(pa) < 2 or len(pb) < 2:
        return False
    if pa[0] != pb[0] or pa[-1] != pb[-1]:
        return False
    return _middles_compatible(pa[1:-1], pb[1:-1])


def same_email(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()
