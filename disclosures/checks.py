"""The automatic profile checks of clauses 5.3 (profile name) and 5.4 (disclaimer).

Pure functions over plain values, so that they can be tested on large tables and reused by
services, forms and commands alike. Nothing here touches the database.

Profile name (5.3). A handle or display name must not contain the name of the employee's school or
the council, nor any of their configured other names and abbreviations. Comparison ignores case,
accents, spaces and punctuation, so `@MrsJonesAtOakfieldPrimary` and `oakfield.primary` both contain
"Oakfield Primary". To avoid flagging ordinary words that merely overlap a name:

* capitals that mark words (`WestLaurence`, `ThamesideHighlights`) are trusted as word boundaries,
  so a name must start and end on them;
* inside a run of letters in one case (`mrsjonesatoakfieldprimary`) word boundaries are unknown, so a
  name may start or end there only where its first or last word is long enough (four letters or more)
  to be distinctive;
* short names and abbreviations ("OPS", "RBC") must be whole words (`@OPS_teacher`, `MrJonesOPS`,
  `O.P.S.`), never letters inside another word (`oops`, `herbcottage`, `maths`).

Disclaimer (5.4). Someone who discusses their work must show a statement that their views are their
own and are not their employer's. Wordings are configurable patterns: words, `*` for a gap of up to
five words (never a negation such as "not"), and `{employer}` for employer, school, council and the like.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# --- text normalisation -------------------------------------------------------------------------

_SHORT_NAME_LENGTH = 4  # names of this many letters or fewer must be whole words
_DISTINCTIVE_WORD_LENGTH = 4  # a name may start or end inside a one-case run only on a word this long


def _strip_accents(text: str) -> str:
    """NFKC folds full-width and styled letters; NFKD then drops accents; format characters
    (zero-width spaces and joiners, direction marks) are removed so they cannot split a name."""
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in {"Mn", "Cf"})


def _fold(text: str) -> str:
    return _strip_accents(text).casefold().replace("'", "").replace("\u2019", "")


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    if ch.isupper():
        return "upper"
    if ch.islower():
        return "lower"
    return "other"  # letters of scripts without case


@dataclass(frozen=True)
class _Segment:
    """A run of letters and digits in the input, with the input index of each of its characters."""

    chars: str
    positions: tuple[int, ...]
    boundaries: frozenset[int]  # offsets within the segment where a word is known to start
    trusted_case: bool  # True when capitals inside the segment mark words


def _segments(text: str) -> list[_Segment]:
    """Split the input into alphanumeric runs, remembering where each character came from."""
    segments: list[_Segment] = []
    current: list[tuple[str, int]] = []

    def flush() -> None:
        if current:
            segments.append(_make_segment(current))
            current.clear()

    for index, raw in enumerate(text):
        if raw in "'\u2019":  # an apostrophe joins: "St Laurence's" -> "laurences"
            continue
        folded = _strip_accents(raw)
        if not folded:
            continue
        for ch in folded:
            if ch.isalnum():
                current.append((ch, index))
            else:
                flush()
    flush()
    return segments


def _make_segment(chars: list[tuple[str, int]]) -> _Segment:
    text = "".join(c for c, _ in chars)
    classes = [_char_class(c) for c in text]
    boundaries = {0, len(text)}
    for i in range(1, len(text)):
        prev, cur = classes[i - 1], classes[i]
        nxt = classes[i + 1] if i + 1 < len(text) else None
        if (prev == "digit") != (cur == "digit"):
            boundaries.add(i)
        elif prev == "lower" and cur == "upper":
            boundaries.add(i)  # mrsJones
        elif prev == "upper" and cur == "upper" and nxt == "lower":
            boundaries.add(i)  # OPSTeacher -> OPS | Teacher
    # Capitals mark words only when the run mixes them with small letters beyond a leading capital.
    trusted = any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)
    # Fold case character by character: one letter may fold to two ("ß" -> "ss").
    folded, positions, new_offset = [], [], []
    for ch, (_, index) in zip(text, chars, strict=True):
        new_offset.append(len(folded))
        for f in ch.casefold():
            folded.append(f)
            positions.append(index)
    new_offset.append(len(folded))
    return _Segment(
        chars="".join(folded),
        positions=tuple(positions),
        boundaries=frozenset(new_offset[b] for b in boundaries),
        trusted_case=trusted,
    )


def _name_words(name: str) -> list[str]:
    words = re.findall(r"\w+", _fold(name).replace("&", " and "))
    return [w for w in words if w]


def _name_variants(name: str) -> list[list[str]]:
    """The name's words, plus "st"/"saint" spelled either way."""
    words = _name_words(name)
    variants = [words]
    if "st" in words:
        variants.append(["saint" if w == "st" else w for w in words])
    if "saint" in words:
        variants.append(["st" if w == "saint" else w for w in words])
    return variants


# --- profile name check (5.3) -----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationName:
    """One name by which an organisation may be recognised: its name, another name or an abbreviation."""

    text: str
    organisation: str
    is_abbreviation: bool = False


@dataclass(frozen=True)
class NameMatch:
    field: str  # "handle" or "display_name"
    field_label: str
    value: str
    matched_text: str  # the part of the value that contains the name, as the employee typed it
    name: OrganisationName

    @property
    def clause(self) -> str:
        return "5.3"

    def explanation(self) -> str:
        if self.name.text == self.name.organisation:
            what = f"the name of {self.name.organisation}"
        elif self.name.is_abbreviation:
            what = f"“{self.name.text}”, an abbreviation of {self.name.organisation}"
        else:
            what = f"“{self.name.text}”, another name of {self.name.organisation}"
        return (
            f"Your {self.field_label} “{self.value}” contains {what} (in “{self.matched_text}”). "
            f"Clause 5.3: you may say where you work, but your profile name must not contain the school's "
            f"or the council's name. Choose a {self.field_label} without it."
        )


@dataclass(frozen=True)
class _Text:
    """The input's letters and digits run together, with what is known about word boundaries."""

    chars: str
    positions: tuple[int, ...]  # index in the input of each character
    boundaries: frozenset[int]  # offsets where a word certainly starts or ends
    trusted: tuple[bool, ...]  # per character: do capitals in its run mark words?


def _read(value: str) -> _Text:
    chars, positions, boundaries, trusted = [], [], set(), []
    offset = 0
    for seg in _segments(value):
        chars.append(seg.chars)
        positions.extend(seg.positions)
        boundaries.update(offset + b for b in seg.boundaries)
        trusted.extend([seg.trusted_case] * len(seg.chars))
        offset += len(seg.chars)
    return _Text("".join(chars), tuple(positions), frozenset(boundaries), tuple(trusted))


def _edge_ok(text: _Text, offset: int, inside: int, word: str, short: bool) -> bool:
    """May a name start (or end) at `offset`? `inside` is the name's character next to that edge."""
    if offset in text.boundaries:
        return True
    if short or text.trusted[inside]:
        return False
    # A run in one case: word boundaries inside it are unknown, so accept an edge there only on a
    # distinctive word ("oakfield"), never on a short one ("st", "of").
    return len(word) >= _DISTINCTIVE_WORD_LENGTH


def _find(text: _Text, words: list[str], short: bool) -> tuple[int, int] | None:
    target = "".join(words)
    start = text.chars.find(target)
    while start != -1:
        end = start + len(target)
        if _edge_ok(text, start, start, words[0], short) and _edge_ok(text, end, end - 1, words[-1], short):
            return text.positions[start], text.positions[end - 1] + 1
        start = text.chars.find(target, start + 1)
    return None


def find_organisation_names(
    value: str, names: Sequence[OrganisationName], *, field: str = "handle", field_label: str = "handle"
) -> list[NameMatch]:
    """Every organisation name found in `value`, longest first, without overlapping reports."""
    if not value or not value.strip():
        return []
    text = _read(value)
    found: list[tuple[int, int, OrganisationName]] = []
    for name in names:
        for words in _name_variants(name.text):
            target_length = len("".join(words))
            if not target_length:
                continue
            short = name.is_abbreviation or target_length <= _SHORT_NAME_LENGTH
            span = _find(text, words, short)
            if span is not None:
                found.append((span[0], span[1], name))
                break
    # Longest first; a name found inside a longer one that was already reported adds nothing.
    found.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    reported: list[tuple[int, int, OrganisationName]] = []
    for start, end, name in found:
        if any(start >= s and end <= e for s, e, _ in reported):
            continue
        reported.append((start, end, name))
    reported.sort(key=lambda item: item[0])
    return [
        NameMatch(field=field, field_label=field_label, value=value, matched_text=value[s:e], name=n)
        for s, e, n in reported
    ]


@dataclass(frozen=True)
class NameCheckResult:
    matches: list[NameMatch] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.matches


def check_profile_name(*, handle: str, display_name: str, names: Sequence[OrganisationName]) -> NameCheckResult:
    """Clause 5.3: neither the handle nor the display name may contain the organisation's names."""
    matches = find_organisation_names(handle, names, field="handle", field_label="handle")
    matches += find_organisation_names(display_name, names, field="display_name", field_label="display name")
    return NameCheckResult(matches)


# --- disclaimer check (5.4) -------------------------------------------------------------------------


class DisclaimerElement(enum.StrEnum):
    OWN_VIEWS = "own_views"
    NOT_EMPLOYER = "not_employer"


ELEMENT_LABELS = {
    DisclaimerElement.OWN_VIEWS: "that the views you express are your own",
    DisclaimerElement.NOT_EMPLOYER: "that they are not (or not necessarily) your employer's views",
}
ELEMENT_EXAMPLES = {
    DisclaimerElement.OWN_VIEWS: "The views I express here are mine alone.",
    DisclaimerElement.NOT_EMPLOYER: "These views do not necessarily reflect the views of my employer.",
}
POLICY_SENTENCE = "The views I express here are mine alone and do not necessarily reflect the views of my employer."

EMPLOYER_WORDS = (
    "employer",
    "employers",
    "school",
    "schools",
    "council",
    "councils",
    "workplace",
    "organisation",
    "organisations",
    "organization",
    "organizations",
    "company",
    "job",
    "work",
    "colleagues",
)
NEGATIONS = ("not", "never", "no", "nor", "neither")
_GAP_WORDS = 5
_PATTERN_TOKEN = re.compile(r"^(\*|\{employer\}|[a-z0-9]+)$")


@dataclass(frozen=True)
class Wording:
    """A configured way of saying one part of the disclaimer, e.g. `views * my own`."""

    pattern: str
    element: DisclaimerElement


def normalise_for_disclaimer(text: str) -> str:
    """Lower case, no accents, "don't" read as "do not", punctuation as spaces, one space between words."""
    text = _strip_accents(text).casefold()
    text = text.replace("\u2019", "'").replace("&", " and ")
    text = re.sub(r"n't\b", " not", text)
    text = text.replace("'", "")
    words = re.findall(r"\w+", text)
    return " " + " ".join(words) + " "


def wording_errors(pattern: str) -> list[str]:
    """Why a wording pattern cannot be used, or an empty list; shown beside the field on HR's form."""
    tokens = pattern.strip().lower().split()
    if not tokens:
        return ["Enter some words."]
    bad = [t for t in tokens if not _PATTERN_TOKEN.match(t)]
    if bad:
        return [f"Use only words, “*” and “{{employer}}” separated by spaces (not: {', '.join(bad[:5])})."]
    if tokens[0] == "*" or tokens[-1] == "*":
        return ["A pattern cannot start or end with “*”."]
    if not any(t not in {"*", "{employer}"} for t in tokens):
        return ["A pattern needs at least one ordinary word."]
    return []


def compile_wording(pattern: str) -> re.Pattern[str]:
    gap = r"(?:(?!(?:" + "|".join(NEGATIONS) + r") )\S+ ){0," + str(_GAP_WORDS) + "}"
    employer = "(?:" + "|".join(EMPLOYER_WORDS) + ") "
    parts = [" "]
    for token in pattern.strip().lower().split():
        if token == "*":
            parts.append(gap)
        elif token == "{employer}":
            parts.append(employer)
        else:
            parts.append(re.escape(token) + "s? ")
    return re.compile("".join(parts))


@dataclass(frozen=True)
class DisclaimerCheckResult:
    required: bool
    found: dict[DisclaimerElement, str]  # element -> the words that said it
    missing: list[DisclaimerElement]

    @property
    def passed(self) -> bool:
        return not self.required or not self.missing

    def explanation(self) -> str:
        if not self.required:
            if len(self.found) == len(DisclaimerElement):
                return "You do not discuss your work, so clause 5.4 does not require a disclaimer; yours is fine."
            return (
                "You do not discuss your work, so clause 5.4 does not require a disclaimer. If you start to, add one."
            )
        if not self.missing:
            return "Your profile says that your views are your own and not your employer's (clause 5.4)."
        needed = " and ".join(ELEMENT_LABELS[e] for e in self.missing)
        example = ELEMENT_EXAMPLES[self.missing[0]] if len(self.missing) == 1 else POLICY_SENTENCE
        said = ""
        if self.found:
            said = f"It already says {' and '.join(ELEMENT_LABELS[e] for e in self.found)}. "
        return (
            f"You discuss your work, so clause 5.4 asks your profile to carry a statement {needed}. "
            f"{said}Add wording such as “{example}”"
        )


def check_disclaimer(
    *, texts: Sequence[str], discusses_work: bool, wordings: Sequence[Wording]
) -> DisclaimerCheckResult:
    """Clause 5.4: look for each part of the disclaimer in any of the texts (profile text, disclaimer)."""
    normalised = [normalise_for_disclaimer(t) for t in texts if t and t.strip()]
    found: dict[DisclaimerElement, str] = {}
    for wording in wordings:
        if wording.element in found or wording_errors(wording.pattern):
            continue
        regex = compile_wording(wording.pattern)
        for text in normalised:
            hit = regex.search(text)
            if hit:
                found[wording.element] = hit.group(0).strip()
                break
    missing = [e for e in DisclaimerElement if e not in found]
    return DisclaimerCheckResult(required=discusses_work, found=found, missing=missing)


DEFAULT_WORDINGS: tuple[Wording, ...] = tuple(
    Wording(p, DisclaimerElement.OWN_VIEWS)
    for p in (
        "views * my own",
        "views * mine",
        "opinions * my own",
        "opinions * mine",
        "thoughts * my own",
        "thoughts * mine",
        "posts * my own",
        "tweets * my own",
        "my own views",
        "my own opinions",
        "my views alone",
        "personal views",
        "personal opinions",
        "speak * for myself",
        "speaking * for myself",
        "views mine",
    )
) + tuple(
    Wording(p, DisclaimerElement.NOT_EMPLOYER)
    for p in (
        "not * reflect * {employer}",
        "not * represent * {employer}",
        "not * views of * {employer}",
        "not those of * {employer}",
        "not * endorsed by * {employer}",
        "not * on behalf of * {employer}",
        "not * speak for * {employer}",
        "not my {employer}",
        "not the {employer}",
        "not * my {employer} views",
        "not * my {employer} opinions",
        "not * official * {employer}",
    )
)
