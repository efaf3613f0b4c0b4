"""The one clock the tests read. Nothing here is computed at import: `today()` reads the clock when a test runs,
so a test frozen with `time_machine` (or a whole run under `faketime`) sees the day it controls."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the app's time zone (Europe/London), read now."""
    return timezone.localdate()


class Days(int):
    """A date written as a number of days from the day the test runs, for `parametrize` tables (which are built
    at import, before any test's clock is set): `Days(-1)` is yesterday when the test runs."""


def dated(values: dict) -> dict:
    """A copy of `values` with each `Days` turned into the date it stands for today."""
    return {key: today() + dt.timedelta(days=v) if isinstance(v, Days) else v for key, v in values.items()}


def earlier_today(delta: dt.timedelta) -> dt.datetime:
    """`delta` ago, but never before today's UK midnight: a moment that is both in the past and on today's date,
    for things that must happen on a day that began today (an observation in a window that starts today) even when
    the suite runs just after midnight."""
    now = timezone.now()
    midnight = timezone.make_aware(dt.datetime.combine(today(), dt.time.min))
    return max(now - delta, midnight)
