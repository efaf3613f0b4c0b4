"""Two-step sign-in, idle time-out, sign-in throttling and the content security policy."""

import re
import time
from pathlib import Path

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from people.demo import DEMO_PASSWORD
from people.twofactor import current_code
from tests.factories import EmployeeFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def password_client(username: str, ip: str = "10.0.0.1") -> Client:
    c = Client(REMOTE_ADDR=ip)
    c.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    return c


@pytest.mark.parametrize("username", ["hr", "headofhr", "investigator", "admin"])
def test_sensitive_roles_must_enter_a_code_after_their_password(username):
    c = password_client(username)
    response = c.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")
    assert c.get("/people/employees/").status_code == 302


@pytest.mark.parametrize("username", ["employee", "manager", "headteacher", "bizmanager", "comms"])
def test_other_roles_sign_in_with_a_password(username):
    assert password_client(username).get("/").status_code == 200


def test_a_wrong_code_is_refused_beside_the_field_and_audited():
    c = password_client("hr")
    response = c.post("/accounts/2fa/", {"token": "000000", "next": "/"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.two_factor_failed", actor_label="hr").exists()
    assert c.get("/").status_code == 302


def test_the_right_code_lets_hr_in(demo_user):
    c = password_client("hr")
    device = TOTPDevice.objects.get(user=demo_user("hr"), confirmed=True)
    response = c.post("/accounts/2fa/", {"token": current_code(device), "next": "/people/employees/"})
    assert response.status_code == 302 and response["Location"] == "/people/employees/"
    assert c.get("/people/employees/").status_code == 200


def test_an_offsite_next_address_is_ignored(demo_user):
    c = password_client("hr")
    device = TOTPDevice.objects.get(user=demo_user("hr"), confirmed=True)
    response = c.post("/accounts/2fa/", {"token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_new_hr_officer_sets_up_an_authenticator_first():
    council = RoleAssignmentFactory._meta.model.objects.filter(role="hr_officer").first().organisation
    newcomer = EmployeeFactory(organisation=council, username="newhr")
    RoleAssignmentFactory(user=newcomer, role="hr_officer", organisation=council)
    c = Client()
    c.force_login(newcomer)
    page = c.get("/accounts/2fa/").content.decode()
    assert "Set up two-step sign-in" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    c.post("/accounts/2fa/", {"token": current_code(device), "next": "/"})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled", actor=newcomer).exists()


def test_an_idle_hr_session_ends(client_for, settings):
    c = client_for("hr")
    assert c.get("/").status_code == 200
    session = c.session
    session["last_activity"] = int(time.time()) - settings.IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = c.get("/people/employees/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.filter(action="auth.idle_timeout", actor_label="hr").exists()


def test_an_employee_session_has_no_idle_timeout(client_for, settings):
    c = client_for("employee")
    c.get("/")
    session = c.session
    session["last_activity"] = int(time.time()) - 10 * settings.IDLE_TIMEOUT_SECONDS
    session.save()
    assert c.get("/").status_code == 200


def test_five_failures_lock_out_that_user_name_from_that_address_only(settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "employee", "password": "guess"})
    locked = attacker.post("/accounts/login/", {"username": "employee", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked_out", details__username="employee").exists()
    # The real employee, at school, is not locked out by someone guessing from elsewhere.
    assert password_client("employee", ip="10.1.1.1").get("/").status_code == 200


def test_behind_the_proxy_the_lockout_follows_the_real_address(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="198.51.100.7").post(
            "/accounts/login/", {"username": "manager", "password": "guess"}
        )
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_REAL_IP="198.51.100.8")
    other.post("/accounts/login/", {"username": "manager", "password": DEMO_PASSWORD})
    assert other.get("/").status_code == 200


def test_every_page_carries_a_strict_content_security_policy(client_for):
    header = client_for("employee").get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in header and "style-src 'self'" in header
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert "frame-ancestors 'none'" in header


def test_no_template_has_an_inline_script_style_or_event_handler():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or re.search(r"<style", text)
            or re.search(r"\son[a-z]+=\"", text)
        ):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"inline script or style in {offenders}"


def test_a_code_cannot_be_used_twice(demo_user):
    device = TOTPDevice.objects.get(user=demo_user("hr"), confirmed=True)
    code = current_code(device)
    first = password_client("hr")
    assert first.post("/accounts/2fa/", {"token": code, "next": "/"}).status_code == 302
    second = password_client("hr", ip="10.0.0.2")
    assert second.post("/accounts/2fa/", {"token": code, "next": "/"}).status_code == 400
