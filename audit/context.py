"""The request that is being served, so that services can stamp the caller's address on events."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
