"""Helpers every cases service uses."""

from __future__ import annotations

import contextlib
import contextvars

from audit.context import current_ip
from people.notifications import notify

NOTICE = "cases/email/notice.txt"


_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("cases_quiet_notifications", default=False)


@contextlib.contextmanager
def quiet_notifications():
    """Demo seeding builds history through the services but sends nobody a message about it."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def tell(recipients, subject: str, message: str, url: str = "") -> None:
    if _quiet.get():
        return
    notify(recipients=recipients, subject=subject, template=NOTICE, context={"message": message}, url=url)


@contextlib.contextmanager
def without_ip():
    """An anonymous reporter's address must not reach the audit trail, or it would name them."""
    token = current_ip.set(None)
    try:
        yield
    finally:
        current_ip.reset(token)
