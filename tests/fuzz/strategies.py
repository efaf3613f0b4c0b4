"""Hypothesis strategies for hostile form input, chosen by the kind of Django form field.

`value_for(field)` returns a strategy for what a browser (or an attacker with curl) could send for that field:
mostly junk of the right shape, sometimes a valid value, so that both the error path and the success path of
a form are exercised.
"""

from __future__ import annotations

import os
import string

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.publishing.factories import png_bytes

# Literal attacks that random text would almost never produce.
SCRIPT = "<script>alert(1)</script>"
NASTY_TEXT = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "\u202egnp.exe",  # right-to-left override
    "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",  # Arabic and Hebrew
    "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467" * 20,  # emoji with zero-width joiners
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m",
    "' OR 1=1 --",
    "%s%n%x{0}{{7*7}}",
    "../../../../etc/passwd",
    "\ufeff\u200b\u2028\u2029",
    "\U00010348" * 50,  # four-byte UTF-8
    " ",
    "",
]
CONTROL = "".join(chr(c) for c in range(0, 32)) + "\x7f"

text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.text(alphabet=CONTROL + "ab<>&\"'", max_size=20),
    # Huge strings: far over every max_length, still under the request-size limit.
    st.integers(min_value=201, max_value=50_000).map(lambda n: "x" * n),
    st.builds(lambda a, b: a + SCRIPT + b, st.text(max_size=10), st.text(max_size=10)),
)

ODD_DATES = [
    "31/02/2026",
    "29/02/2025",
    "29/02/2028",
    "00/00/0000",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2026-13-01",
    "12/31/2026",
    "1/1/1",
    "-1/01/2026",
    "2026-01-01T25:61",
    "2026-03-29T01:30",  # does not exist in Europe/London (clocks go forward)
    "2026-10-25T01:30",  # happens twice in Europe/London (clocks go back)
    "29/03/2026 01:30",
    "01/01/1900 00:00",
    "31/12/9999 23:59",
    "today",
    "１２/０１/２０２６",  # full-width digits
]
dates = st.one_of(
    st.sampled_from(ODD_DATES),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y") if d.year >= 1000 else str(d)),
    st.dates().map(str),
    text,
)
datetimes = st.one_of(
    st.sampled_from(ODD_DATES),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M") if d.year >= 1000 else str(d)),
    st.datetimes().map(lambda d: d.strftime("%d/%m/%Y %H:%M") if d.year >= 1000 else str(d)),
    text,
)
times = st.one_of(
    st.sampled_from(["00:00", "23:59", "24:00", "12:60", "-1:00", "7", "12:30:99", "noon", "１２:００"]),
    st.times().map(lambda t: t.strftime("%H:%M")),
    text,
)
urls = st.one_of(
    st.sampled_from(
        [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://" + "a" * 300 + ".example",
            "//evil.example/",
            "https://ex ample.com",
            "https://例え.テスト/パス",
            "https://x.com/" + "\u202e",
            "http://127.0.0.1:6379/",
            "https://x.com/ok",
        ]
    ),
    text,
)
# Forged ids: other objects' ids, negatives, numbers past bigint, non-numbers.
forged_ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=1, max_value=5000).map(str),
    st.sampled_from(["0", "-1", "1.5", "1e3", "0x10", "1 OR 1=1", "[1]", "", "null", "１"]),
    text,
)
booleans = st.sampled_from(["on", "", "true", "false", "0", "1", "off", SCRIPT])


def _choice(field) -> st.SearchStrategy:
    valid = [str(key) for key, label in field.choices if key not in ("", None) and not isinstance(label, (list, tuple))]
    options = [st.sampled_from(valid)] if valid else []
    return st.one_of(*options, text)


def _model_choice(field) -> st.SearchStrategy:
    valid = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:50]]
    if not valid:
        return forged_ids
    return st.integers(0, 2).flatmap(lambda i: forged_ids if i == 0 else st.sampled_from(valid))


SAMPLE_FILES = [
    ("photo.png", png_bytes()),
    ("photo.html", png_bytes()),  # a real image with a misleading name
    ("photo.png", b"<html><script>alert(1)</script></html>"),  # HTML pretending to be an image
    ("photo.gif", b"GIF89a<script>alert(1)</script>"),  # a polyglot that starts like a GIF
    ("../../../etc/passwd.png", png_bytes()),
    ("\u202egnp.exe", png_bytes()),
    ("x" * 400 + ".png", png_bytes()),
    ("empty.png", b""),
]
files = st.one_of(
    st.sampled_from(SAMPLE_FILES),
    # Django refuses to build an upload named "/", "." or ".." (a browser never sends such a name), so the
    # test could not even send it: those names are left out.
    st.tuples(st.text(alphabet=string.printable, min_size=1, max_size=30), st.binary(max_size=2048)).filter(
        lambda nc: os.path.basename(nc[0]) not in ("", ".", "..")
    ),
).map(lambda nc: SimpleUploadedFile(nc[0], nc[1]))


def value_for(field: forms.Field) -> st.SearchStrategy:
    """A strategy for one field's submitted value (a string, a list for multiple choices, or a file)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return st.lists(_model_choice(field), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        return _model_choice(field)
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(_choice(field), max_size=4)
    if isinstance(field, forms.ChoiceField):
        return _choice(field)
    if isinstance(field, forms.FileField):
        return files
    if isinstance(field, forms.BooleanField):
        return booleans
    if isinstance(field, forms.DateTimeField):
        return datetimes
    if isinstance(field, forms.DateField):
        return dates
    if isinstance(field, forms.TimeField):
        return times
    if isinstance(field, forms.URLField):
        return urls
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return forged_ids
    return text


def form_data(fields: dict[str, forms.Field]) -> st.SearchStrategy:
    """A whole submission: every field sometimes missing, otherwise hostile; plus a forged extra field."""
    parts = {name: st.one_of(st.none(), value_for(f)) for name, f in fields.items()}
    return st.fixed_dictionaries(parts, optional={"id": forged_ids, "pk": forged_ids, "state": text}).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )
