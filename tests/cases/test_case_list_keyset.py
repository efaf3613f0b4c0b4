"""The case list pages by keyset: every case once, in order, both ways, with its sort and filters kept."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from core.keyset import encode_cursor
from people.models import Organisation, User
from tests.cases import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("cases:case_list")
PER_PAGE = 25


def _make_cases(n: int, *, officer_every: int = 0, status_every: int = 0) -> None:
    """n cases, many opened at the same moment (so the id decides their order), some with an officer."""
    school = Organisation.objects.get(name=f.KENNET)
    subjects = [f.staff_of(f.KENNET, i) for i in range(5)]
    hr, investigator = f.user("hr"), f.user("investigator")
    moment = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    Case.objects.bulk_create(
        Case(
            reference=f"KS-{i:04d}",
            subject=subjects[i % 5],
            organisation=school,
            summary="Generated for the pagination tests.",
            status=Case.Status.HEARING if status_every and i % status_every == 0 else Case.Status.OPEN,
            opened_by=hr,
            opened_at=moment - dt.timedelta(hours=i // 4),  # four cases share each opening time
            investigating_officer=investigator if officer_every and i % officer_every == 0 else None,
        )
        for i in range(n)
    )


def _link(content: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="\?([^"]+)"', content)
    return "?" + html.unescape(match.group(1)) if match else None


def _walk(client, start: str, rel: str) -> list[list[int]]:
    """The ids of each page, following the `rel` link from `start` until there is none."""
    pages, url = [], start
    while url is not None:
        response = client.get(URL + url)
        assert response.status_code == 200
        pages.append([c.pk for c in response.context["cases"]])
        url = _link(response.content.decode(), rel)
        assert len(pages) < 50, "the links go round in circles"
    return pages


def _expected(user: User, *ordering: str, **filters) -> list[int]:
    from cases.selectors import cases_visible_to

    return list(cases_visible_to(user).filter(**filters).order_by(*ordering).values_list("pk", flat=True))


def test_next_links_walk_every_case_once_in_order(client_for):
    _make_cases(60)
    pages = _walk(client_for("hr"), "", "next")
    assert [len(p) for p in pages[:-1]] == [PER_PAGE] * (len(pages) - 1)
    assert [pk for page in pages for pk in page] == _expected(f.user("hr"), "-opened_at", "pk")


def test_previous_links_from_the_last_page_walk_back_to_the_first(client_for):
    _make_cases(60)
    pages = _walk(client_for("hr"), "?page=last", "prev")
    assert [pk for page in reversed(pages) for pk in page] == _expected(f.user("hr"), "-opened_at", "pk")
    assert len(pages[0]) == PER_PAGE  # the last page is full: it is read from the end


def test_the_first_page_has_no_previous_link_and_the_last_no_next_link(client_for):
    _make_cases(60)
    client = client_for("hr")
    first = client.get(URL)
    last = client.get(URL + "?page=last")
    assert first.context["page_obj"].has_next and not first.context["page_obj"].has_previous
    assert last.context["page_obj"].has_previous and not last.context["page_obj"].has_next
    assert _link(first.content.decode(), "prev") is None and _link(last.content.decode(), "next") is None
    assert "the last page" in last.content.decode()


def test_a_list_of_exactly_two_pages_ends_on_the_second(client_for):
    visible = len(_expected(f.user("hr"), "pk"))
    _make_cases(2 * PER_PAGE - visible)
    pages = _walk(client_for("hr"), "", "next")
    assert [len(p) for p in pages] == [PER_PAGE, PER_PAGE]


def test_a_short_list_has_no_page_links(client_for):
    response = client_for("hr").get(URL)
    assert 0 < len(response.context["cases"]) < PER_PAGE
    assert 'data-testid="keyset-pagination"' not in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "ordering"),
    [
        ("officer", ("investigating_officer__last_name", "pk")),
        ("-officer", ("-investigating_officer__last_name", "pk")),
        ("reference", ("reference", "pk")),
        ("-subject", ("-subject__last_name", "pk")),
    ],
)
def test_each_sort_pages_in_the_order_it_shows(client_for, sort, ordering):
    _make_cases(70, officer_every=3)
    hr = f.user("hr")
    forward = _walk(client_for("hr"), f"?sort={sort}", "next")
    backward = _walk(client_for("hr"), f"?sort={sort}&page=last", "prev")
    expected = _expected(hr, *ordering)
    assert [pk for page in forward for pk in page] == expected
    assert [pk for page in reversed(backward) for pk in page] == expected


def test_the_links_keep_the_filter_and_the_sort(client_for):
    _make_cases(120, status_every=2)
    client = client_for("hr")
    response = client.get(URL + "?status=hearing&sort=reference")
    next_link = _link(response.content.decode(), "next")
    assert "status=hearing" in next_link and "sort=reference" in next_link
    pages = _walk(client, "?status=hearing&sort=reference", "next")
    expected = _expected(f.user("hr"), "reference", "pk", status=Case.Status.HEARING)
    assert [pk for page in pages for pk in page] == expected


def test_sorting_again_starts_at_the_first_page(client_for):
    _make_cases(60)
    client = client_for("hr")
    second = _link(client.get(URL).content.decode(), "next")
    content = client.get(URL + second).content.decode()
    header = re.search(r'<a class="link-dark text-decoration-none" href="\?([^"]+)">Reference', content).group(1)
    assert "after=" not in header and "before=" not in header


@pytest.mark.parametrize(
    "query",
    [
        "?after=not-a-cursor",
        "?before=%25%25%25",
        "?after=" + encode_cursor(["2026-01-01T00:00:00+00:00"]),  # no id
        "?after=" + encode_cursor(["yesterday", 5]),  # not a time
        "?after=" + encode_cursor(["2026-01-01T00:00:00", 5]),  # no time zone
        "?after=" + encode_cursor([17, 5]),
        "?sort=reference&after=" + encode_cursor([None, 5]),
        "?after=" + "A" * 5000,
        "?sort=reference&after=" + encode_cursor(["KS\x000001", 5]),  # PostgreSQL text has no NUL
        "?after=" + encode_cursor(["2026-01-01T00:00:00+00:00", 2**70]),  # beyond bigint
    ],
)
def test_a_bad_cursor_gives_the_first_page_and_says_so(client_for, query):
    _make_cases(30)
    client = client_for("hr")
    response = client.get(URL + query)
    first = client.get(URL + ("?sort=reference" if "sort=reference" in query else ""))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [c.pk for c in first.context["cases"]]
    assert "could not be read" in response.content.decode()


def test_old_page_number_links_still_work_near_the_start(client_for):
    _make_cases(60)
    client = client_for("hr")
    by_number = client.get(URL + "?page=2")
    by_cursor = client.get(URL + _link(client.get(URL).content.decode(), "next"))
    assert [c.pk for c in by_number.context["cases"]] == [c.pk for c in by_cursor.context["cases"]]
    for page in ("4000", "²", "9" * 5000, "-3", "0"):
        deep = client.get(URL, {"page": page})
        assert deep.status_code == 200 and "no longer used" in deep.content.decode()


def test_a_cursor_past_the_end_shows_an_empty_page_not_an_error(client_for):
    _make_cases(30)
    response = client_for("hr").get(URL + "?after=" + encode_cursor(["2000-01-01T00:00:00+00:00", 1]))
    assert response.status_code == 200 and list(response.context["cases"]) == []
    assert "No cases match" in response.content.decode()


def test_a_deep_page_makes_the_same_queries_as_the_first(client_for):
    _make_cases(80)
    client = client_for("hr")
    client.get(URL)  # the session's first request
    counts = []
    for query in ("", "?page=last", "?after=" + client.get(URL).context["page_obj"].next_cursor, "?page=2"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL + query).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


def test_an_outsider_cannot_page_through_cases(client_for):
    _make_cases(30)
    cursor = encode_cursor(["2100-01-01T00:00:00+00:00", 0])
    assert client_for("employee").get(URL + "?after=" + cursor).status_code == 403


def test_an_investigator_pages_only_through_their_own_cases(client_for):
    _make_cases(80, officer_every=2)
    pages = _walk(client_for("investigator"), "", "next")
    seen = [pk for page in pages for pk in page]
    assert seen == _expected(f.user("investigator"), "-opened_at", "pk")
    assert all(c.investigating_officer.username == "investigator" for c in Case.objects.filter(pk__in=seen))
