"""Shared fixtures. The demo world is seeded once into the test database; each test runs in a
transaction that is rolled back, so every test sees the same council, schools and demo users."""

import os
import random

import pytest
from django.core.cache import cache

from people.management.commands.seed_demo import seed_demo_data
from people.models import User

# CI sets REQUIRE_SERVICES=1: then a test that needs Redis, a worker or Chromium fails instead of skipping.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo_data(rng=random.Random(2026))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Empty this test process's cache keys after each test. Not `cache.clear()`: that empties the whole Redis
    database, and parallel workers (`-n 2`) share it, each under its own key prefix."""
    yield
    try:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    except Exception:  # noqa: BLE001 - Redis may be down in a fault-injection test
        pass


@pytest.fixture
def demo_user(db):
    """demo_user("hr") returns the seeded demo user with that name."""

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


def sign_in(client, user: User):
    """Sign a test client in as the user, past the two-step check if their role needs one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from people.twofactor import requires_two_factor

    client.force_login(user)
    if requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test authenticator", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(demo_user):
    """client_for("hr") returns a test client signed in (and past two-step sign-in) as that demo user."""
    from django.test import Client

    def make(username: str | None) -> Client:
        c = Client()
        if username:
            sign_in(c, demo_user(username))
        return c

    return make


@pytest.fixture
def demo_world(transactional_db):
    """Transactional tests empty the database after themselves, so the demo world is rebuilt as needed."""
    if not User.objects.filter(username="employee").exists():
        seed_demo_data(rng=random.Random(2026))


def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_SERVICES=1 (CI), a skipped test is a failure: nothing may pass by not running."""
    if not REQUIRE_SERVICES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"REQUIRE_SERVICES=1 but {skipped} test(s) were skipped", red=True)
        session.exitstatus = 1
