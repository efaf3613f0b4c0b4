"""Keyset ("cursor") pagination for lists that reach hundreds of thousands of rows.

OFFSET makes PostgreSQL build and throw away every row before the page: the last page of 100,000 cases
took seconds. Here a page is found from where the previous one ended: the link to the next page carries
the sort values and id of the last row shown (`?after=...`), the link back those of the first row
(`?before=...`), and the database starts reading at that row by the sort's index, so every page costs
the same as the first. `?page=last` reads the list in reverse. The links keep the list's sort and filters,
so they still work when bookmarked or shared; a cursor that cannot be read gives the first page and a
notice, never an error.

A sort is a list of `SortKey`s, then the id (always ascending, as `SortableListMixin` orders). A key must
not be NULL: sort a nullable column by two keys, "is missing" then the value with a default
(`nullable_sort_keys`), which keeps PostgreSQL's order (missing last ascending, first descending).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Expression, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull

FIRST, LAST = "first", "last"
LEGACY_OFFSET_ROWS = 500  # old `?page=N` links are still served by OFFSET while that stays this cheap


@dataclass(frozen=True)
class SortKey:
    """One sort column: an expression of the row and how its values go into a cursor and back."""

    expression: Expression | str
    descending: bool = False
    kind: str = "str"  # str, int, bool or datetime

    def dump(self, value):
        if value is None:
            raise ValueError("keyset sort keys must not be NULL")
        return value.isoformat() if self.kind == "datetime" else value

    def load(self, value):
        if self.kind == "datetime":
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError("a cursor's time has no time zone")
            return parsed
        expected = {"str": str, "int": int, "bool": bool}[self.kind]
        if type(value) is not expected:
            raise ValueError("a cursor value of the wrong type")
        if expected is str and "\x00" in value:
            raise ValueError("PostgreSQL text holds no NUL character")
        if expected is int and not -(2**63) <= value < 2**63:
            raise ValueError("a number out of range")
        return value


def nullable_sort_keys(name: str, *, descending: bool, default: str = "") -> list[SortKey]:
    """Sort keys for a nullable text column: rows without a value after the others (ascending)."""
    return [
        SortKey(IsNull(F(name), True), descending, "bool"),
        SortKey(Coalesce(F(name), Value(default)), descending, "str"),
    ]


class InvalidCursor(ValueError):
    pass


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with what its links need."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    position: str = ""  # FIRST, LAST or "" for a page in between
    notice: str = ""
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[SortKey]) -> list:
    """The sort values and id a cursor carries, checked against the sort; InvalidCursor if it is not one."""
    try:
        if len(cursor) > 1000:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys) + 1:
            raise ValueError("not this sort's cursor")
        loaded = [key.load(value) for key, value in zip(keys, values[:-1], strict=True)]
        pk = values[-1]
        if type(pk) is not int or not -(2**63) <= pk < 2**63:
            raise ValueError("no row id")
        return [*loaded, pk]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidCursor(str(exc)) from exc


def _names(keys: list[SortKey]) -> list[str]:
    return [f"_keyset_{i}" for i in range(len(keys))]


def _ordering(keys: list[SortKey], *, reverse: bool) -> list:
    ordering = []
    for name, key in zip(_names(keys), keys, strict=True):
        descending = key.descending != reverse
        ordering.append(F(name).desc() if descending else F(name).asc())
    ordering.append(F("pk").desc() if reverse else F("pk").asc())
    return ordering


def _beyond(keys: list[SortKey], values: list, *, reverse: bool) -> Q:
    """Rows after the cursor's row in the sort order (before it when reverse)."""
    names = [*_names(keys), "pk"]
    descending = [key.descending != reverse for key in keys] + [reverse]
    condition = Q()
    equal = Q()
    for name, desc, value in zip(names, descending, values, strict=True):
        condition |= equal & Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
        equal &= Q(**{name: value})
    # The first key's bound on its own as well, so that PostgreSQL starts reading at the cursor by its index.
    first_bound = Q(**{f"{names[0]}__{'lte' if descending[0] else 'gte'}": values[0]})
    return first_bound & condition


def _row_values(row, keys: list[SortKey]) -> list:
    return [key.dump(getattr(row, name)) for name, key in zip(_names(keys), keys, strict=True)] + [row.pk]


def keyset_page(queryset: QuerySet, keys: list[SortKey], params, per_page: int = 25) -> KeysetPage:
    """The page that the request's `after`, `before` or `page` parameter asks for (the first if none)."""
    expressions = (F(k.expression) if isinstance(k.expression, str) else k.expression for k in keys)
    qs = queryset.annotate(**dict(zip(_names(keys), expressions, strict=True)))
    after, before, page = params.get("after"), params.get("before"), params.get("page", "")
    notice = ""
    try:
        if after:
            return _forward(qs, keys, per_page, decode_cursor(after, keys))
        if before:
            return _backward(qs, keys, per_page, decode_cursor(before, keys))
    except InvalidCursor:
        notice = "That page link could not be read (the list may have been sorted differently). This is the first page."
    if page == LAST:
        return _backward(qs, keys, per_page, None)
    number = int(page) if page.isascii() and page.isdigit() and len(page) <= 9 else None  # not "²", not 10**5000
    if number is not None and number > 1 and (number - 1) * per_page <= LEGACY_OFFSET_ROWS:
        return _by_offset(qs, keys, per_page, number)
    if page and page not in {"1", FIRST}:
        notice = notice or "That page number is no longer used for this list. This is the first page."
    result = _forward(qs, keys, per_page, None)
    result.notice = notice
    return result


def _forward(qs, keys, per_page, cursor) -> KeysetPage:
    if cursor is not None:
        qs = qs.filter(_beyond(keys, cursor, reverse=False))
    rows = list(qs.order_by(*_ordering(keys, reverse=False))[: per_page + 1])
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    return _page(rows, keys, has_next=has_next, has_previous=cursor is not None, position="" if cursor else FIRST)


def _backward(qs, keys, per_page, cursor) -> KeysetPage:
    if cursor is not None:
        qs = qs.filter(_beyond(keys, cursor, reverse=True))
    rows = list(qs.order_by(*_ordering(keys, reverse=True))[: per_page + 1])
    has_previous = len(rows) > per_page
    rows = rows[:per_page][::-1]
    position = LAST if cursor is None else ("" if has_previous else FIRST)
    return _page(rows, keys, has_next=cursor is not None, has_previous=has_previous, position=position)


def _by_offset(qs, keys, per_page, number) -> KeysetPage:
    start = (number - 1) * per_page
    rows = list(qs.order_by(*_ordering(keys, reverse=False))[start : start + per_page + 1])
    has_next = len(rows) > per_page
    return _page(rows[:per_page], keys, has_next=has_next, has_previous=True, position="")


def _page(rows, keys, *, has_next, has_previous, position) -> KeysetPage:
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=encode_cursor(_row_values(rows[-1], keys)) if rows else None,
        previous_cursor=encode_cursor(_row_values(rows[0], keys)) if rows else None,
        position=position,
    )
